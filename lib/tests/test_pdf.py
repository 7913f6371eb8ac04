"""lib.pdf: HTML to PDF, fetching nothing."""

import http.server
import threading

from lib.pdf import render_pdf


def test_it_renders_html_to_a_pdf():
    pdf = render_pdf("<!DOCTYPE html><html><body><p>Hello</p></body></html>")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 500


def test_it_fetches_nothing_a_document_points_to():
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        pdf = render_pdf(f'<html><head><link rel="stylesheet" href="{base}/a.css"></head>'
                         f'<body><img src="{base}/b.png" alt=""><p style="background: url({base}/c.png)">x</p>'
                         f'<img src="file:///etc/hostname" alt=""></body></html>')
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF-")
    assert requests == []


def _info(pdf, tmp_path):
    import subprocess

    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


def test_every_pdf_is_tagged_for_screen_readers_with_its_language_and_title(tmp_path):
    """Issue 20.9: PDF/UA-1, with the HTML's language and title (a title given stands in for a missing one)."""
    pdf = render_pdf('<html lang="en-GB"><head><title>Advice for parents</title></head>'
                     "<body><h1>Advice</h1><p>Words.</p></body></html>")
    info = _info(pdf, tmp_path)
    assert "Tagged:          yes" in info and "Title:           Advice for parents" in info
    assert "H1 (block)" in _run("pdfinfo", "-struct", tmp_path / "doc.pdf")  # the structure follows the HTML
    assert 'pdfuaid:part="1"' in _run("pdfinfo", "-meta", tmp_path / "doc.pdf")
    assert b"/Lang (en-GB)" in _objects(pdf) and b"/DisplayDocTitle true" in _objects(pdf)

    bare = render_pdf("<p>No head at all</p>", title="Governor report")
    info = _info(bare, tmp_path)
    assert "Tagged:          yes" in info and "Title:           Governor report" in info
    assert b"/Lang (en-GB)" in _objects(bare)


def _run(*command):
    import subprocess

    return subprocess.run([str(c) for c in command], check=True, capture_output=True, text=True).stdout


def _objects(pdf):
    """The PDF's objects, its compressed object streams opened."""
    import re
    import zlib

    opened = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            opened.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return b"\n".join(opened)


def test_warm_up_loads_weasyprint_once_so_a_later_pdf_pays_nothing_for_it(monkeypatch):
    from lib import pdf as module

    monkeypatch.setenv("HARBOUR_PDF_WARM_UP", "1")
    monkeypatch.setattr(module, "_WARM", threading.Event())
    module.warm_up(in_background=False)
    assert module._WARM.is_set()
    assert module.warm_up() is None  # once per process


def test_servers_started_by_tests_skip_the_warm_up(monkeypatch):
    from lib import pdf as module

    monkeypatch.setenv("HARBOUR_PDF_WARM_UP", "0")
    monkeypatch.setattr(module, "_WARM", threading.Event())
    assert module.warm_up() is None and not module._WARM.is_set()

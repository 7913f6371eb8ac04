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

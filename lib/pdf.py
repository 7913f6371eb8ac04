"""HTML to PDF with WeasyPrint. Knows nothing of what the document says.

The renderer fetches nothing: no network, no files. Styles must be inside the HTML (a
<style> element), so a template cannot make the server reach out to another host, and
a PDF looks the same wherever it is made.

Every PDF is tagged for screen readers (PDF/UA-1): its structure follows the HTML's headings, lists and
tables, and it carries the language (`<html lang>`) and the title (`<title>`) of its HTML, which must have both.

WeasyPrint takes seconds to import and its first document loads the fonts, so the web server and the worker
call `warm_up()` when they start (harbour/wsgi.py, lib/apps.py): the first PDF a person asks for is then as
quick as the later ones (bench/pdf_times.py measures both).
"""

import os
import re
import threading

_HAS_LANG = re.compile(r"<html\b[^>]*\blang=\"[a-zA-Z-]+\"", re.IGNORECASE)
_HAS_TITLE = re.compile(r"<title>[^<]*\S[^<]*</title>", re.IGNORECASE)


def render_pdf(html: str, *, title: str | None = None) -> bytes:
    """Return `html` rendered as a tagged PDF (PDF/UA-1). `title`, when given, stands in for a missing `<title>`."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    class RefuseEveryFetch(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"this PDF may not fetch anything ({url[:80]})")

    if title and not _HAS_TITLE.search(html):
        html = html.replace("</head>", f"<title>{_escape(title)}</title></head>", 1) if "</head>" in html \
            else f"<title>{_escape(title)}</title>" + html
    if not _HAS_LANG.search(html):
        html = html.replace("<html", '<html lang="en-GB"', 1) if "<html" in html else f'<html lang="en-GB">{html}'
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=RefuseEveryFetch()).write_pdf(
        pdf_variant="pdf/ua-1")


def _escape(text):
    from markupsafe import escape

    return str(escape(text))


_WARM = threading.Event()
# What Harbour's PDFs use: Arial in its regular, bold and italic faces, a running footer, a table and an SVG bar,
# so that each is loaded before the first real document.
WARM_UP_DOCUMENT = """<!DOCTYPE html><html lang="en-GB"><head><title>Warm-up</title><style>
@page { size: A4; @bottom-center { content: element(footer); } }
html { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; }
.footer { position: running(footer); font-size: 8pt; }</style></head><body>
<div class="footer">Harbour</div><h1>Harbour</h1><p>Words, <strong>bold</strong> and <em>italic</em>.</p>
<table><tr><th scope="row">Group</th><td>5</td><td><svg width="20mm" height="3mm" viewBox="0 0 20 3"
xmlns="http://www.w3.org/2000/svg"><rect width="20" height="3" fill="#0b5e62"/></svg></td></tr></table>
</body></html>"""


def warm_up(*, in_background: bool = True):
    """Import WeasyPrint and render one small document (which loads the fonts), once per process. In the
    background by default, so that the process starts serving at once; a PDF asked for meanwhile waits for the
    import (Python's import lock) rather than doing it twice."""
    if _WARM.is_set() or os.environ.get("HARBOUR_PDF_WARM_UP", "1") == "0":  # tests' servers make no PDFs
        return None

    def run():
        try:
            render_pdf(WARM_UP_DOCUMENT)
        finally:
            _WARM.set()

    if not in_background:
        run()
        return None
    thread = threading.Thread(target=run, name="harbour-pdf-warm-up", daemon=True)
    thread.start()
    return thread

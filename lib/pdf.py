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


def warm_up(*, in_background: bool = True):
    """Import WeasyPrint and render one small document (which loads the fonts), once per process. In the
    background by default, so that the process starts serving at once; a PDF asked for meanwhile waits for the
    import (Python's import lock) rather than doing it twice."""
    if _WARM.is_set() or os.environ.get("HARBOUR_PDF_WARM_UP", "1") == "0":  # tests' servers make no PDFs
        return None

    def run():
        try:
            render_pdf('<html lang="en-GB"><head><title>Warm-up</title></head><body><h1>Warm-up</h1>'
                       '<p style="font-family: Arial">Harbour</p></body></html>')
        finally:
            _WARM.set()

    if not in_background:
        run()
        return None
    thread = threading.Thread(target=run, name="harbour-pdf-warm-up", daemon=True)
    thread.start()
    return thread

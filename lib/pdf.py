"""HTML to PDF with WeasyPrint. Knows nothing of what the document says.

The renderer fetches nothing: no network, no files. Styles must be inside the HTML (a
<style> element), so a template cannot make the server reach out to another host, and
a PDF looks the same wherever it is made.
"""


def render_pdf(html: str) -> bytes:
    """Return `html` rendered as a PDF document."""
    # WeasyPrint takes a few seconds to import; only the pages that print pay for it.
    import weasyprint
    from weasyprint.urls import URLFetcher

    class RefuseEveryFetch(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"this PDF may not fetch anything ({url[:80]})")

    return weasyprint.HTML(string=html, base_url=None, url_fetcher=RefuseEveryFetch()).write_pdf()

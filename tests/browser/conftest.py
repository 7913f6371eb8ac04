"""Chromium through Playwright, against Django's live server; axe-core on every page, and the Nu HTML Checker
over every page the tests visit, once at the end of the session (tests/html_check.py)."""

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class VisitedPages:
    """Every HTML page the browser was served, kept in a directory of this run, checked by vnu once at the end."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="harbour-html-"))
        self.urls = {}

    def keep(self, response):
        """Playwright calls this for every response: pages (not redirects, scripts or htmx fragments) are kept."""
        from playwright.sync_api import Error

        if response.request.resource_type != "document" or 300 <= response.status < 400:
            return
        if not (response.headers.get("content-type") or "").startswith("text/html"):
            return
        try:
            body = response.body()
        except Error:  # the browser moved on before the body was read (a download, a navigation cut short)
            return
        path = re.sub(r"[^A-Za-z0-9]+", "-", response.url.split("//", 1)[-1].split("/", 1)[-1]).strip("-")
        name = f"{len(self.urls):04d}-{path[:80] or 'home'}.html"
        (self.directory / name).write_bytes(body)
        self.urls[name] = f"{response.request.method} {response.url} ({response.status})"


@pytest.fixture(scope="session")
def visited_pages():
    """vnu runs once per session: its JVM takes seconds to start. On the SQLite run only: the HTML does not
    depend on the database, and the PostgreSQL run beside it on the other core would double the cost."""
    from tests.figures import report
    from tests.html_check import check

    pages = VisitedPages()
    yield pages
    if os.environ.get("DATABASE_URL") or not pages.urls:
        shutil.rmtree(pages.directory, ignore_errors=True)
        return
    started = time.monotonic()
    errors = check(pages.directory)
    seconds = time.monotonic() - started
    report("HTML checked", f"{len(pages.urls)} pages, {len(errors)} errors (vnu, {seconds:.1f} s)")
    if errors:
        lines = [f"{pages.urls.get(name, name)} line {line}: {message}" for name, line, message in errors]
        pytest.fail(f"The Nu HTML Checker found {len(errors)} errors (pages kept in {pages.directory}):\n"
                    + "\n".join(lines), pytrace=False)
    shutil.rmtree(pages.directory, ignore_errors=True)


@pytest.fixture
def page(browser, live_server, visited_pages):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", visited_pages.keep)
    page.console_errors = errors
    yield page
    context.close()


def assert_accessible(page):
    """Run axe-core (WCAG 2.2 A/AA rules) on the page and fail on any violation."""
    page.wait_for_load_state("load")
    page.evaluate(AXE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], f"{page.url}: {violations}"
    return len(result["passes"])


def assert_no_csp_violations(page):
    """The strict CSP blocked nothing the page needed (it would log a console error)."""
    blocked = [e for e in page.console_errors if "Content Security Policy" in e or "Refused to" in e]
    assert blocked == [], blocked

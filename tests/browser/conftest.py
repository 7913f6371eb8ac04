"""Chromium through Playwright, against Django's live server; axe-core on every page, and the Nu HTML Checker
over every page the tests visit, once at the end of the session (tests/html_check.py). Every address the browser
requests is recorded, and none may carry a child's or a carer's name (issue 17.3: "a child's name never reaches a
URL"), checked when each test ends while its people are still in the database. Every page and htmx fragment the
browser is served is read for rule numbers outside "Why is this asked?" (issue 20.4, tests/plain_words.py), and each
axe run reads the page as it stands too.

Phones (issue 20.8): every page a test is served is also laid out at 375 px and must not scroll sideways. The
journeys themselves run at desktop width; when each test ends, every page it was served is replayed from the
bytes the server sent into a 375 px tab (its scripts run, nothing but static files reaches the server) and its
width measured (at 375 and at 320 px): one extra page load per page visited instead of repeating whole journeys.
`assert_accessible` runs axe at desktop width and again at 375 px. `make test` runs each journey once, in the
SQLite or the PostgreSQL run (tests/runs.py)."""

import hashlib
import re
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl, unquote_plus, urlsplit

import pytest

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 375, "height": 740}  # the narrowest phone in common use at GOV.UK's figures; 320 is checked too
PHONE_WIDTHS = (375, 320)
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
        self.this_test = []  # (url, body) of the pages served during the running test, replayed at phone width

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
        self.this_test.append((response.url, body))
        self.urls[name] = f"{response.request.method} {response.url} ({response.status})"


@pytest.fixture(scope="session")
def visited_pages():
    """vnu runs once per session, over the pages this run's journeys visited: its JVM takes seconds to start."""
    from tests.figures import report
    from tests.html_check import check

    pages = VisitedPages()
    yield pages
    if not pages.urls:
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
    lost = classes_the_trim_lost(pages)
    report("trimmed CSS", f"classes on the {len(pages.urls)} pages that GOV.UK or MOJ Frontend style but the trimmed "
                          f"CSS lost: {len(lost)}")
    if lost:
        pytest.fail("Pages carry classes the trimmed CSS lost (run scripts/purge_css.py; if a macro builds the class, "
                    f"teach the trim to see it): {sorted(lost)[:10]}", pytrace=False)
    shutil.rmtree(pages.directory, ignore_errors=True)


def classes_the_trim_lost(pages):
    """{class: page}: classes on the pages served that the full GOV.UK or MOJ Frontend stylesheet styles and the
    trimmed one pages load does not (issue 26.2: the trim works from the templates' source, and a macro that builds a
    class from parts can hide it)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import purge_css

    full, trimmed = set(), set()
    for source, target in purge_css.SHEETS:
        full |= purge_css.stylesheet_classes(source.read_text())
        trimmed |= purge_css.stylesheet_classes(target.read_text())
    lost = {}
    for path in sorted(pages.directory.glob("*.html")):
        for attribute in re.findall(r'class="([^"]*)"', path.read_text(errors="replace")):
            for name in attribute.split():
                if name in full and name not in trimmed:
                    lost.setdefault(name, pages.urls.get(path.name, path.name))
    return lost


ADDRESSES = {"tests": 0, "addresses": 0, "names": 0}
PHONES = {"pages": 0, "repeats": 0, "seconds": 0.0, "axe": 0, "axe_repeats": 0, "axe_seconds": 0.0}


@pytest.fixture(scope="session", autouse=True)
def _addresses_figure():
    yield
    if ADDRESSES["tests"]:
        from tests.figures import report

        report("leak canaries, browser addresses", f"{ADDRESSES['addresses']} addresses requested in "
                                                    f"{ADDRESSES['tests']} browser tests: names found "
                                                    f"{ADDRESSES['names']}")
    if PHONES["pages"]:
        from tests.figures import report

        report("phones", f"{PHONES['pages']} pages laid out at {' and '.join(map(str, PHONE_WIDTHS))} px in "
                         f"{PHONES['seconds']:.1f} s ({PHONES['repeats']} served again with the same "
                         f"bytes not laid out again); axe at 375 px on {PHONES['axe']} pages in "
                         f"{PHONES['axe_seconds']:.1f} s; {PHONES['axe_repeats']} met again not checked again")


@pytest.fixture
def page(browser, live_server, visited_pages):
    yield from _page(browser, live_server, visited_pages)


@pytest.fixture
def page_without_javascript(browser, live_server, visited_pages):
    """Progressive enhancement: every journey must also work with scripts off."""
    yield from _page(browser, live_server, visited_pages, java_script_enabled=False)


def _page(browser, live_server, visited_pages, **options):
    visited_pages.this_test = []
    context = browser.new_context(base_url=live_server.url, **options)
    addresses = []
    context.on("request", lambda request: addresses.append(request.url))
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", visited_pages.keep)
    rule_numbers = []
    page.on("response", lambda response: rule_numbers.extend(rule_numbers_served(response)))
    page.console_errors = errors
    yield page
    context.close()
    assert_no_names_in(addresses, live_server.url)
    PLAIN["pages"] += len({url for url, _ in rule_numbers}) if rule_numbers else 0
    assert rule_numbers == [], f"Rule numbers in the text people read (issue 20.4): {rule_numbers[:5]}"
    assert_fits_phones(browser, live_server.url, visited_pages.this_test)


PLAIN = {"pages": 0, "responses": 0}


@pytest.fixture(scope="session", autouse=True)
def _plain_words_figure():
    yield
    if PLAIN["responses"]:
        from tests.figures import report

        report("plain words, browser", f"{PLAIN['responses']} pages and fragments read: rule numbers found on "
                                       f"{PLAIN['pages']}")


def rule_numbers_served(response):
    """The rule numbers in the readable text of an HTML page or fragment the browser was served (not a redirect)."""
    from playwright.sync_api import Error

    from tests.plain_words import rule_numbers_in

    if 300 <= response.status < 400 or not (response.headers.get("content-type") or "").startswith("text/html"):
        return []
    try:
        body = response.body().decode(errors="replace")
    except Error:  # the browser moved on before the body was read
        return []
    PLAIN["responses"] += 1
    return [(response.url, words) for words in rule_numbers_in(body)]


def assert_fits_phones(browser, origin, pages):
    """Each page served to the test, replayed from its bytes at 375 and 320 px, does not scroll sideways (20.8).
    Its scripts run (GOV.UK and MOJ components lay themselves out), static files come from the live server, and
    any other request is refused so that replaying a page changes nothing.

    One phone tab serves the whole run: static files are fetched from the live server once and then answered
    from memory, and a page whose bytes are the same as one already laid out (apart from its nonce and form
    token, which do not change the layout) is not laid out again."""
    if not pages:
        return
    started = time.monotonic()
    phone = _phone_tab(browser, origin)
    wide = []
    try:
        for url, body in pages:
            seen = hashlib.sha256(SAME_LAYOUT.sub(b"", body)).digest()
            if seen in phone.laid_out:
                PHONES["repeats"] += 1
                continue
            phone.served.clear()
            phone.served[url.split("#")[0]] = body
            phone.tab.goto(url.split("#")[0], wait_until="load")
            for width in PHONE_WIDTHS:
                phone.tab.set_viewport_size({"width": width, "height": PHONE["height"]})
                measured = phone.tab.evaluate(OVERFLOW)
                if measured["width"] > width:
                    wide.append((url, width, measured))
            phone.tab.set_viewport_size(PHONE)
            phone.laid_out.add(seen)
            PHONES["pages"] += 1
    finally:
        PHONES["seconds"] += time.monotonic() - started
    assert wide == [], "Pages wider than a phone (url, viewport, page width and the widest elements): " + repr(wide)


# What differs between two servings of the same page without changing its layout: the CSP nonce and the form token.
SAME_LAYOUT_TEXT = r'(?:nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*")'
SAME_LAYOUT = re.compile(SAME_LAYOUT_TEXT.encode())


class _Phone:
    def __init__(self, browser, origin):
        self.origin = origin
        self.context = browser.new_context(base_url=origin, viewport=PHONE)
        self.served = {}
        self.static = {}
        self.laid_out = set()
        self.context.route("**/*", self.route)
        self.tab = self.context.new_page()

    def route(self, request_route):
        url = request_route.request.url
        if request_route.request.resource_type == "document" and url in self.served:
            return request_route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.served[url])
        if url.startswith(self.origin + "/static/"):
            if url not in self.static:
                response = request_route.fetch()
                self.static[url] = (response.status, response.headers.get("content-type"), response.body())
            status, content_type, body = self.static[url]
            return request_route.fulfill(status=status, content_type=content_type, body=body)
        return request_route.abort()


_PHONES = {}


def _phone_tab(browser, origin):
    """The run's phone tab (one per browser and live server)."""
    key = (id(browser), origin)
    if key not in _PHONES:
        _PHONES.clear()
        _PHONES[key] = _Phone(browser, origin)
    return _PHONES[key]


NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

# The page's width, and the innermost elements that stick out past the viewport, to say what to fix.
OVERFLOW = """() => {
  const width = document.documentElement.scrollWidth, viewport = document.documentElement.clientWidth;
  if (width <= viewport) return {width, widest: []};
  const clipped = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  const wide = [...document.body.querySelectorAll('*')].filter(
    el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > viewport + 0.5 && !clipped(el); });
  const innermost = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
  const name = el => el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  return {width, widest: innermost.slice(0, 6).map(
    el => name(el.parentElement || el) + ' > ' + name(el) + ' ' + Math.round(el.getBoundingClientRect().right))};
}"""


def _names():
    """Every child's and carer's name in the database (4 letters or more: shorter ones are found by chance)."""
    from schools.models import Carer, Pupil

    names = set()
    for row in Pupil.objects.values_list("legal_first_name", "legal_last_name", "preferred_first_name",
                                         "preferred_last_name"):
        names.update(row)
    names.update(n for row in Carer.objects.values_list("first_name", "last_name") for n in row)
    return {n for n in names if n and len(n) >= 4}


def assert_no_names_in(addresses, origin):
    """No address asked of the server holds a name (as names are written, capitalised: the addresses' own words
    are lower case), nor, where a search's words would go, the start of one in any case."""
    names = _names()
    ours = [a for a in addresses if a.startswith(origin)]
    found = []
    for address in ours:
        parts = urlsplit(address)
        # A search's key is random letters (lib/searches.py): it is not words anyone typed.
        query = [(k, unquote_plus(v)) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "search"]
        text = unquote_plus(parts.path + "#" + parts.fragment) + " " + " ".join(v for _, v in query)
        typed = [v for k, v in query if k in TYPED]
        for name in names:
            if name in text or any(_starts(name, v) for v in typed):
                found.append((name, address))
    ADDRESSES["tests"] += 1
    ADDRESSES["addresses"] += len(ours)
    ADDRESSES["names"] += len(found)
    assert found == [], found[:5]


TYPED = {"q", "query", "child_search", "name", "words", "next"}  # where a search's words would be


def _starts(name, value):
    """Whether a word of `value` is the start of `name` (4 letters or more, any case), as typed into a search."""
    return any(len(word) >= 4 and name.lower().startswith(word.lower()) for word in re.findall(r"\w+", value))


def assert_accessible(page):
    """Run axe-core (WCAG 2.2 A/AA rules) on the page at desktop width and again at 375 px (issue 20.8), and fail
    on any violation; at 375 px the page must not scroll sideways either; and no rule number in its text as it
    stands now, htmx swaps included (issue 20.4)."""
    from tests.plain_words import rule_numbers_in

    page.wait_for_load_state("load")
    content = page.content()
    found = rule_numbers_in(content)
    assert found == [], f"{page.url}: rule numbers in the text people read (issue 20.4): {found[:5]}"
    # The same document (apart from its nonce and form token) at the same width was checked already in this run:
    # axe would give the same answer.
    seen = (hashlib.sha256(re.sub(SAME_LAYOUT_TEXT, "", content).encode()).digest(), page.viewport_size["width"])
    if seen in CHECKED:
        PHONES["axe_repeats"] += 1
        return None
    page.evaluate(AXE)
    passes = _axe(page, "desktop")
    desktop = page.viewport_size
    started = time.monotonic()
    page.set_viewport_size(PHONE)
    try:
        page.evaluate(NEXT_FRAME)  # resize observers (a table's scrolling container) have run
        measured = page.evaluate(OVERFLOW)
        assert measured["width"] <= PHONE["width"], f"{page.url} at 375 px: {measured}"
        _axe(page, "375 px")
    finally:
        page.set_viewport_size(desktop)
        PHONES["axe"] += 1
        PHONES["axe_seconds"] += time.monotonic() - started
    CHECKED.add(seen)
    return passes


CHECKED = set()  # the documents axe has passed at desktop width and at 375 px in this run


def _axe(page, where):
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], f"{page.url} ({where}): {violations}"
    return len(result["passes"])


def assert_no_csp_violations(page):
    """The strict CSP blocked nothing the page needed (it would log a console error)."""
    blocked = [e for e in page.console_errors if "Content Security Policy" in e or "Refused to" in e]
    assert blocked == [], blocked

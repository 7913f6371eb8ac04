"""Chromium through Playwright, against Django's live server; axe-core on every page. Every address the browser
requests is recorded, and none may carry a child's or a carer's name (issue 17.3: "a child's name never reaches a
URL"), checked when each test ends while its people are still in the database."""

import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote_plus, urlsplit

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


ADDRESSES = {"tests": 0, "addresses": 0, "names": 0}


@pytest.fixture(scope="session", autouse=True)
def _addresses_figure():
    yield
    if ADDRESSES["tests"]:
        from tests.figures import report

        report("leak canaries, browser addresses", f"{ADDRESSES['addresses']} addresses requested in "
                                                    f"{ADDRESSES['tests']} browser tests: names found "
                                                    f"{ADDRESSES['names']}")


@pytest.fixture
def page(browser, live_server):
    yield from _page(browser, live_server)


@pytest.fixture
def page_without_javascript(browser, live_server):
    """Progressive enhancement: every journey must also work with scripts off."""
    yield from _page(browser, live_server, java_script_enabled=False)


def _page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    addresses = []
    context.on("request", lambda request: addresses.append(request.url))
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()
    assert_no_names_in(addresses, live_server.url)


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

"""Issue 26.2: pages do not jump on a phone. A page is drawn as soon as its HTML and CSS arrive; GOV.UK Frontend's
and Harbour's scripts run after that (a module script, deferred). Whatever they change in the layout moves what
someone is already reading or about to tap (cumulative layout shift: Lighthouse measured 0.28-0.33 on every page,
the service navigation folding itself behind its Menu button once its script ran).

So each main page is laid out at 375 px (and those with tables at desktop width) twice, as first drawn
(scripts held back, the template's first inline script still run, as it runs before anything is drawn) and after
every script has run, and the position and size of the header, the page's container, its headings, forms and
tables must be the same."""

import pytest
from playwright.sync_api import expect

from cases.tests.helpers import make_case
from tests.browser.conftest import PHONE
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAYOUT = """() => [...document.querySelectorAll(
    'body > header, .govuk-service-navigation, .govuk-width-container, main, main h1, main h2, main form,'
    + ' main table, main .govuk-summary-list, body > footer')]
  .map((el) => { const r = el.getBoundingClientRect()
                 return `${el.tagName.toLowerCase()}.${el.className.split(' ')[0]} top ${Math.round(r.top + scrollY)}`
                        + ` left ${Math.round(r.left)} ${Math.round(r.width)}x${Math.round(r.height)}` })"""
DESKTOP = {"width": 1280, "height": 800}  # tables take their own margin there (harbour.js wraps them)
TASK_WIDTHS = """() => [...document.querySelectorAll('table.harbour-task-table tbody td:first-child')]
  .map((cell) => cell.getBoundingClientRect().width)"""
NAVIGATION_ROWS = """() => [...new Set([...document.querySelectorAll('.govuk-service-navigation__item')]
  .map((item) => Math.round(item.getBoundingClientRect().top)))]"""
READY = "() => document.querySelector('[data-govuk-service-navigation-init]') !== null"


def layout(page, path, scripts):
    page.goto(path, wait_until="load")
    if scripts:
        page.wait_for_function(READY)  # GOV.UK Frontend has initialised the page's components
    else:
        assert page.evaluate(READY) is False
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    return page.evaluate(LAYOUT)


def test_the_main_pages_look_the_same_before_and_after_their_scripts_run_on_a_phone(page, world):
    case = make_case(world)
    sign_in_as(page, world.diana)
    # A second tab of the same browser (signed in too): the pages are the ones the other journeys check with
    # axe, vnu and the phone widths, so its loads are not replayed and checked once more.
    tab = page.context.new_page()
    pages = ["/", "/concerns/report/", "/concerns/inbox/", f"/cases/{case.id}/", "/reports/", "/cases/",
             "/notifications/"]
    with_tables = ["/concerns/inbox/", "/reports/", "/cases/"]
    for viewport, paths in ((DESKTOP, with_tables), (PHONE, pages)):  # the phone last: the menu is checked there
        tab.set_viewport_size(viewport)
        first_drawn = {}
        tab.route("**/static/harbour/harbour*.js", lambda route: route.abort())
        for path in paths:
            first_drawn[path] = layout(tab, path, scripts=False)
        tab.unroute("**/static/harbour/harbour*.js")
        for path in paths:
            assert layout(tab, path, scripts=True) == first_drawn[path], (viewport, path)
    # The Menu button works once the scripts have run, and the menu was folded from the first draw.
    expect(tab.get_by_role("link", name="Concerns inbox")).to_be_hidden()
    tab.get_by_role("button", name="Menu").click()
    expect(tab.get_by_role("link", name="Concerns inbox")).to_be_visible()
    # On a phone each of the case page's tasks is a block the screen's width, not a squeezed table column.
    tab.goto(f"/cases/{case.id}/#tasks")
    widths = tab.evaluate(TASK_WIDTHS)
    assert widths and min(widths) >= 250, widths
    # At 1280 px the DSL's navigation, their school's name and "Sign out" included, is one row.
    tab.set_viewport_size(DESKTOP)
    tab.goto("/")
    assert len(tab.evaluate(NAVIGATION_ROWS)) == 1

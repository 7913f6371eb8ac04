"""Issue 8.3: script planted in what people type is shown as text, never run. A concern, a note, a decision's
reason and a pupil's name carry script payloads; the DSL opens every page that shows them in Chromium."""

import pytest
from django.urls import reverse

from cases import actions
from cases.tests.helpers import make_case
from tests.browser.test_report_journey import sign_in_as
from tests.figures import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    "<script>window.__pwned = 1</script>",
    '"><img src=x onerror="window.__pwned = 2">',
    # An <svg> payload is never stored at all: an SVG is a picture, refused by the imagery guard (A3; below).
    "<body onload=\"window.__pwned = 3\"></body>",
    "javascript:window.__pwned = 4",
    "{{ 7 * 7 }}{% raw %}",
    "<a href=\"javascript:window.__pwned = 5\">link</a>",
]


def test_an_svg_payload_cannot_even_be_planted(world):
    """A3: an SVG is a picture written as text, so the guard refuses it before it could reach any page."""
    from lib.imagery import ImageryRefused

    with pytest.raises(ImageryRefused):
        make_case(world, account='A pupil said: <svg onload="window.__pwned = 3"></svg>')


def test_planted_scripts_are_shown_as_text_and_never_run(page, world):
    text = " ".join(PAYLOADS)
    world.pupil.preferred_first_name = '<img src=x onerror="window.__pwned = 6">'
    world.pupil.save()
    case = make_case(world, account=f"A pupil said: {text}")
    actions.add_note(user=world.diana, case=case, text=text)
    actions.record_decision(user=world.diana, case=case, taken=False, choice=PAYLOADS[0], reason=PAYLOADS[1])
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in_as(page, world.diana)
    urls = [reverse("cases:detail", args=[case.id]), reverse("cases:list"), reverse("concerns:inbox"),
            reverse("concerns:detail", args=[case.concerns.get().id]), reverse("home"),
            reverse("schools:pupil_detail", args=[world.pupil.id]), reverse("schools:pupil_list"),
            reverse("cases:decision", args=[case.id])]
    ran = []
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        # Escaped, not merely blocked by the CSP: no element was made from the payloads.
        if page.evaluate("window.__pwned") is not None or page.locator("[onerror], [onload]").count():
            ran.append(url)
        assert "<script>window.__pwned" not in page.content()
    # The payloads are on the case page as text, exactly as typed.
    page.goto(reverse("cases:detail", args=[case.id]))
    body = page.inner_text("body")
    assert PAYLOADS[0] in body and "{{ 7 * 7 }}" in body and "49" not in body.split("{{ 7 * 7 }}")[0][-3:]
    report("script payloads", f"{len(PAYLOADS) + 1} payloads planted, {len(urls)} pages opened in Chromium: "
           f"{len(ran)} ran a script, {len(dialogs)} dialogs")
    assert ran == [] and dialogs == []

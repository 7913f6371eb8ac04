"""P1: every screen a pupil sees is written for a seven-year-old: its words, measured by the Flesch–Kincaid
formula (tests/readability.py), give a reading age of 9 or under. The team's reply is the team's own words, so the
screen with it is measured before a reply is written (the reply box tells them to keep it short and kind)."""

import pytest
from django.test import Client
from django.urls import reverse

from concerns import limits
from lib.tests import samples
from lib.tests.samples.encoded import CARRIERS
from tests.figures import report
from tests.readability import grade, main_text, reading_age

from .tell_helpers import check, code_from, tell

pytestmark = pytest.mark.django_db
TARGET = 9


def test_the_formula_reads_plain_and_hard_words_as_they_are():
    easy = grade(["The cat sat on the mat. It was a big cat."])[0]
    hard = grade(["Notwithstanding the aforementioned considerations, safeguarding responsibilities necessitate "
                  "comprehensive multidisciplinary collaboration."])[0]
    assert easy < 1 and hard > 16
    assert main_text("<main><h1>Hi</h1><p>A b.</p><script>x()</script></main><p>outside</p>") == ["Hi", "A b."]


def test_r_p1_every_pupil_screen_reads_at_age_nine_or_under(world, monkeypatch):
    monkeypatch.setitem(limits.LIMITS, "report", (1, 1))
    pupil = Client()
    start = reverse("tell:start", args=[world.oakfield.tell_code])
    screens = {"the page": pupil.get(start), "something missing": pupil.post(start, {})}
    screens["a picture refused"] = tell(pupil, world.oakfield, words=CARRIERS["bare base64"](samples.png()))
    sent = tell(pupil, world.oakfield)
    code = code_from(sent)
    screens["the receipt code"] = sent
    screens["asked for the code"] = pupil.get(reverse("tell:check", args=[world.oakfield.tell_code]))
    screens["a code not found"] = check(pupil, world.oakfield, "AAAA-BBBB-CCCC-DDDD")
    screens["what became of it"] = check(pupil, world.oakfield, code)
    screens["more words added"] = check(pupil, world.oakfield, code, more="It happened again.")
    screens["too many sent"] = tell(pupil, world.oakfield, words="Another worry.")
    ages = {name: round(reading_age(response.content.decode()), 1) for name, response in screens.items()}
    report("pupils' pages reading age", ", ".join(f"{name} {age}" for name, age in ages.items()))
    assert {name: age for name, age in ages.items() if age > TARGET} == {}

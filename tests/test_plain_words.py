"""Issue 20.4, plain words: no rule number in any text people read. A screen that follows a rule says why in words
inside "Why is this asked?", with the rule and its source there for those who want them (procedures/rules.toml).

The browser journeys read every page and fragment they are served (tests/browser/conftest.py); the access matrix
reads every page it is allowed to see, for every kind of person (tests/security/test_access_matrix.py); this module
reads the templates themselves as the project's before-stop check does."""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from procedures.rules import rule, rules_for
from tests.plain_words import rule_numbers_in, visible_text

ROOT = Path(__file__).resolve().parent.parent


def test_a_rule_number_in_the_text_is_found():
    assert rule_numbers_in("<main><p>Not answered yet: B2.1, B2.2</p></main>") != []
    assert rule_numbers_in("<title>Case (B13)</title>") != []
    assert rule_numbers_in("<p>Rules: E1, B12</p>") != []


def test_a_rule_number_inside_why_is_this_asked_attributes_or_scripts_is_not_text_people_read():
    html = ('<details class="govuk-details harbour-why"><summary>Why is this asked?</summary><div><p>Rule B6: a '
            'decision not to refer is signed off.</p></div></details><p data-rule="B6">Plain words.</p>'
            '<script>var r = "A1";</script><style>@page { size: A4 }</style>')
    assert rule_numbers_in(html) == []
    assert "Plain words." in visible_text(html)


def test_year_groups_key_stages_and_case_references_are_not_rule_numbers():
    assert rule_numbers_in("<p>Year 9, KS3, case K000012, concern C000031, 10:30am</p>") == []


def test_r_b6_the_why_element_gives_each_rule_in_words_with_its_source():
    """Rule B6 (and any rule a screen cites): its words and where it comes from, each rule once."""
    found = rule("B6.1")
    assert found["id"] == "B6.1" and "decision not to refer" in found["words"]
    assert "youth-produced sexual imagery" in found["source"] and "YPSI" not in found["source"]
    assert [r["id"] for r in rules_for(["C1", "C2", "C1", "Z9"])] == ["C1", "C2"]


def _cited_rules():
    """Every rule number the data files cite (procedures, agencies, advice, national services, reporting areas)."""
    cited = set()
    for path in [*ROOT.glob("procedures/definitions/*.toml"), ROOT / "cases/agencies.toml",
                 *ROOT.glob("advice/scripts/*.toml"), ROOT / "advice/resources.toml"]:
        for match in re.finditer(r'"((?:[A-J]|P|S)[0-9]{1,2})(?:\.[0-9]{1,2})?"', path.read_text()):
            cited.add(match.group(1))
    return cited


def test_every_rule_the_data_files_cite_has_words_to_show():
    assert sorted(r for r in _cited_rules() if rule(r) is None) == []


def test_no_template_line_shows_a_rule_number():
    """As /work/shared/hooks/before-stop counts them: the words of each template line, outside tags, expressions and
    comments."""
    files = subprocess.run(["git", "ls-files", "*.html", "*.jinja", "*.j2"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()  # nosec B603 B607 - fixed git command, no input
    hits = []
    for name in files:
        if "/vendor/" in name:
            continue
        text = re.sub(r"(?s)\{#.*?#\}", "", (ROOT / name).read_text(encoding="utf-8"))
        for n, line in enumerate(text.splitlines(), 1):
            words = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]*>", " ", line)
            if re.search(r"\b(?:[A-I]|S|J|P)[0-9]{1,2}(?:\.[0-9]{1,2})?\b", words):
                hits.append(f"{name}:{n}")
    assert hits == []


@pytest.mark.django_db
def test_r_b1_a_form_says_why_it_asks_in_words_with_the_rule_behind_it(client, world):
    """Rule B1: the review meeting page says why, and the rule number is only inside "Why is this asked?"."""
    import html

    from cases.tests.helpers import make_case
    from tests.people import sign_in

    case = make_case(world)
    sign_in(client, world.diana)
    page = html.unescape(client.get(reverse("cases:review", args=[case.id])).content.decode())
    why = page.split('class="govuk-details harbour-why"', 1)[1].split("</details>", 1)[0]
    assert "Why is this asked?" in why and "who else needs to know" in why
    assert "Rule B1:" in why and "It comes from a trust" in why
    assert rule_numbers_in(page) == []

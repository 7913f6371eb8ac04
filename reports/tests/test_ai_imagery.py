"""J2: imagery made or altered with AI is recorded on the case so that it can be queried, and the trends and the
governor report count it (numbers only, small numbers hidden as every other figure is)."""

import pytest
import time_machine
from django.urls import reverse

from cases import actions
from cases.models import Case
from reports.tests.helpers import at, case_at
from reports.tests.test_packs import TODAY, governor_html, table_rows
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db
AI = "ai_made_or_altered"
ROW = "Made or altered with AI, or may be"


def answer(world, case, value):
    actions.update_answers(user=world.diana, case=case, facts={AI: value})
    case.refresh_from_db()
    return case


def imagery_cases(world, ai, other, kind="nudes-sharing"):
    """`ai` imagery cases answered "made or altered with AI", `other` answered no, in the autumn term."""
    made = []
    for i in range(ai + other):
        pupil = make_pupil(world.oakfield, "Pupil", f"Number{i}", f"A9990000031{i:02d}", year_group=9)
        case = case_at(world, at(2025, 10, 1 + i), kind, children=[(pupil, "pictured")])
        made.append(answer(world, case, i < ai))
    return made


def test_j2_the_answer_is_kept_on_the_case_and_can_be_queried(world):
    yes = case_at(world, at(2025, 10, 1), "sextortion")
    no = case_at(world, at(2025, 10, 2), "iioc")
    unanswered = case_at(world, at(2025, 10, 3), "upskirting")
    deepfake = case_at(world, at(2025, 10, 4), "deepfake")
    real_after_all = case_at(world, at(2025, 10, 5), "deepfake")
    bullying = case_at(world, at(2025, 10, 6), "cyberbullying")
    answer(world, yes, True)
    answer(world, no, False)
    actions.change_implied_answer(user=world.diana, case=real_after_all, question=AI, answer=False,
                                  reason="The police confirmed it is an unaltered photograph.")
    assert Case.objects.get(pk=yes.pk).facts[AI] is True
    found = set(Case.objects.ai_made().values_list("pk", flat=True))
    assert found == {yes.pk, deepfake.pk}
    assert set(Case.objects.imagery().values_list("pk", flat=True)) == {
        yes.pk, no.pk, unanswered.pk, deepfake.pk, real_after_all.pk}
    assert bullying.pk not in found


def test_j2_the_governor_report_counts_ai_made_imagery_as_a_number(client, world):
    imagery_cases(world, ai=5, other=5)
    rows = table_rows(governor_html(client, world))
    assert (ROW, "5") in rows
    assert ("Not known to be made or altered", "5") in rows


def test_j2_a_small_number_of_ai_made_incidents_is_hidden_in_the_governor_report(client, world):
    imagery_cases(world, ai=2, other=6)
    html = governor_html(client, world)
    assert "Imagery incidents: made or altered with AI" in html
    rows = dict(table_rows(html))
    assert rows[ROW] != "2" and not rows[ROW].isdigit()


def test_j2_the_trends_count_ai_made_imagery(client, world):
    imagery_cases(world, ai=3, other=1, kind="upskirting")
    sign_in(client, world.diana)
    with time_machine.travel(TODAY, tick=True):
        html = client.get(reverse("reports:trends"), {"period": "2025-autumn"}).content.decode()
    assert "Imagery incidents made or altered with AI" in html
    assert ROW in html
    assert (ROW, "3") in table_rows(html)

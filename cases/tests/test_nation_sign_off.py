"""J8 with B6: the roles that sign off a decision not to refer are named as the school's nation names them, in what
blocks the outcome, on the decision page, in the chronology and on the sign-off itself."""

import html

import pytest
from django.urls import reverse

from cases import actions, evaluation
from cases.models import Entry
from cases.tests.helpers import ALL_NO, make_case
from tests.people import sign_in

pytestmark = pytest.mark.django_db
LEAD = {"england": "designated safeguarding lead", "wales": "designated safeguarding person",
        "scotland": "child protection coordinator", "northern_ireland": "designated teacher for child protection"}


@pytest.mark.parametrize("nation", list(LEAD))
def test_r_b6_j8_the_sign_off_roles_are_named_in_the_nation_s_words(client, world, nation):
    world.oakfield.nation = nation
    world.oakfield.save(update_fields=["nation"])
    case = make_case(world, "cyberbullying")  # no referral the nation requires whatever the answers
    case.procedure = {**case.procedure, "sign_off_roles": ["dsl", "headteacher"]}
    case.save(update_fields=["procedure"])
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    reasons = evaluation.assess(case).result["blocked_reasons"]["managed_in_school"]
    assert any(f"signed off by the {LEAD[nation]} and headteacher" in r["text"] for r in reasons), reasons
    sign_in(client, world.diana)
    page = html.unescape(client.get(reverse("cases:no_referral", args=[case.id])).content.decode())
    assert f"{LEAD[nation]} and headteacher" in page
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    assert decision.sign_offs.get(role="dsl").role_label.lower() == LEAD[nation]
    entry = case.entries.filter(kind=Entry.Kind.DECISION).latest("id")
    assert f"waiting for sign-off by the {LEAD[nation]} and headteacher" in entry.text
    others = [words for n, words in LEAD.items() if n != nation and words not in LEAD[nation]]
    assert not any(words in entry.text or words in page for words in others)

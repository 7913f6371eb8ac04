"""Rule D9: a child's advice follows what happened to them, not what they did under pressure.

Every kind of incident × every role a child can hold × whether a child was coerced (or an adult
involved) gets an answer written out below, so that a reviewer can read the table and a new kind
or role fails here until someone decides what it gets. Then: no script offered to a child who was
harmed, and no script offered in a sextortion or grooming case, tells a child to delete anything,
to contact the offender, or warns them about the behaviour policy (D9, E6, D6, D8).
"""

import pytest
from django.core.exceptions import ValidationError

from advice import schema, situations, versions
from advice.casework import advice_for_case
from cases import actions
from cases.tests.helpers import make_case
from concerns.models import ChildRole
from procedures import schema as procedure_schema

SCRIPTS = schema.read_scripts()
ROLES = list(ChildRole.values)

# ---- the table a DSL trainer signs -----------------------------------------------------------

NOTHING = dict.fromkeys(ROLES, [])
# Sharing nudes, and imagery found online or on a device: "sent" is a child who sent a picture of
# themselves. A child who made an image and is also pictured made one of themselves.
SELF_IMAGE = {**NOTHING,
              "pictured": ["imagery_shared"], "sent": ["imagery_shared"],
              "received": ["received"], "witness": ["received"],
              "shared_onward": ["shared_or_created"], "created": ["shared_or_created"]}
# The same, when a child was coerced, blackmailed or groomed, or an adult is involved (B2.1, B2.2).
SELF_IMAGE_COERCED = {**SELF_IMAGE, "pictured": ["imagery_shared", "groomed"], "sent": ["groomed"]}
# Upskirting and AI-made images: the pictured child never took part, so whoever sent it sent
# someone else's picture.
MADE_BY_OTHERS = {**NOTHING,
                  "pictured": ["imagery_shared"],
                  "received": ["received"], "witness": ["received"],
                  "sent": ["shared_or_created"], "shared_onward": ["shared_or_created"],
                  "created": ["shared_or_created"]}
# Sextortion: every possible target gets the NCA advice; a child who harmed others gets no script
# (the police lead).
SEXTORTION = {**NOTHING,
              **dict.fromkeys(["pictured", "sent", "created", "harmed", "disclosed", "other"], ["sextortion"]),
              "received": ["received"], "witness": ["received"]}
# Grooming and online sexual abuse: being sent sexual images is abuse too.
GROOMING = {**NOTHING,
            **dict.fromkeys(["pictured", "sent", "created", "received", "harmed", "disclosed", "other"],
                            ["groomed"])}
EXPECTED = {  # kind: (not coerced, coerced)
    "nudes-sharing": (SELF_IMAGE, SELF_IMAGE_COERCED),
    "iioc": (SELF_IMAGE, SELF_IMAGE_COERCED),
    "upskirting": (MADE_BY_OTHERS, MADE_BY_OTHERS),
    "deepfake": (MADE_BY_OTHERS, MADE_BY_OTHERS),
    "sextortion": (SEXTORTION, SEXTORTION),
    "online-sexual-abuse": (GROOMING, GROOMING),
    "cyberbullying": (NOTHING, NOTHING),
    "online-hate": (NOTHING, NOTHING),
    "radicalisation": (NOTHING, NOTHING),
    "misinformation": (NOTHING, NOTHING),  # J1: no image, so no advice about one
    "filtering-breach": (NOTHING, NOTHING),
    "staff-allegation": (NOTHING, NOTHING),
}
# The children who were harmed, kind by kind: what they are offered is a victim's advice.
VICTIMS = {
    "nudes-sharing": {"pictured", "sent"},
    "iioc": {"pictured", "sent"},
    "upskirting": {"pictured"},
    "deepfake": {"pictured"},
    "sextortion": {"pictured", "sent", "created", "harmed", "disclosed", "other", "received", "witness"},
    "online-sexual-abuse": {"pictured", "sent", "created", "received", "harmed", "disclosed", "other", "witness"},
}
PAIRS = [(kind, role, coerced) for kind in sorted(EXPECTED) for role in ROLES for coerced in (False, True)]


def offered_scripts(kind, roles, coerced):
    return [SCRIPTS[versions.script_for(situation, audience)]
            for situation in situations.situations_for(roles, kind, coerced=coerced)
            for audience in ("child", "parent")]


def forbidden_in(script):
    return schema.d9_instructions_in(" ".join([script["heading"], *script["paragraphs"]]))


def test_r_d9_the_table_covers_every_procedure_and_every_role():
    assert set(EXPECTED) == set(procedure_schema.load_all())
    for kind, answers in EXPECTED.items():
        for table in answers:
            assert set(table) == set(ROLES), kind


@pytest.mark.parametrize("kind, role, coerced", PAIRS)
def test_r_d3_d9_each_kind_and_role_gets_the_advice_in_the_table(kind, role, coerced):
    assert situations.situations_for([role], kind, coerced=coerced) == EXPECTED[kind][coerced][role]


@pytest.mark.parametrize("kind, role, coerced",
                         [(k, r, c) for k, r, c in PAIRS if r in VICTIMS.get(k, ())])
def test_r_d9_a_child_who_was_harmed_never_gets_the_script_for_sharing_another_childs_image(kind, role, coerced):
    offered = offered_scripts(kind, [role], coerced)
    assert "shared_or_created" not in {s["situation"] for s in offered}
    for script in offered:
        assert forbidden_in(script) == [], (kind, role, script["id"])


@pytest.mark.parametrize("kind, role", [(k, r) for k in ("sextortion", "online-sexual-abuse") for r in ROLES])
def test_r_d9_e6_no_sextortion_or_grooming_advice_says_delete_or_contact_the_offender(kind, role):
    for coerced in (False, True):
        for script in offered_scripts(kind, [role], coerced):
            assert forbidden_in(script) == [], (kind, role, script["id"])


def test_r_d9_the_script_for_sharing_another_childs_image_goes_only_to_a_child_who_did_that():
    given = {(kind, role) for kind, role, coerced in PAIRS
             if "shared_or_created" in situations.situations_for([role], kind, coerced=coerced)}
    assert given == {("nudes-sharing", "shared_onward"), ("nudes-sharing", "created"),
                     ("iioc", "shared_onward"), ("iioc", "created"),
                     ("upskirting", "sent"), ("upskirting", "shared_onward"), ("upskirting", "created"),
                     ("deepfake", "sent"), ("deepfake", "shared_onward"), ("deepfake", "created")}


def test_r_d9_a_child_who_made_a_picture_of_themselves_is_not_treated_as_sharing_another_childs():
    assert situations.situations_for(["created", "pictured"], "nudes-sharing") == ["imagery_shared"]
    assert situations.situations_for(["created", "sent"], "nudes-sharing", coerced=True) == ["groomed"]


def test_r_d9_a_child_who_harmed_others_in_a_sextortion_case_gets_no_script_and_the_reason():
    assert situations.situations_for(["harmed_others"], "sextortion") == []
    assert "police lead" in situations.why_no_script(["harmed_others"], "sextortion")
    assert "no advice script for this kind" in situations.why_no_script(["received"], "cyberbullying")


# ---- what the detector finds -----------------------------------------------------------------------

@pytest.mark.parametrize("text, found", [
    # What the scripts said before D9.
    ("When the time is right, we will help you delete it from your phone, your apps and any cloud backups.",
     ["delete anything"]),
    ("You can block the person who sent it. If you would rather ask them to stop, we can help you think about "
     "what to say.", ["contact the person who sent, shared or threatened"]),
    ("Talk with your child about how to stop more messages. They may want to block the sender, or to tell them "
     "to stop.", ["contact the person who sent, shared or threatened"]),
    ("The school may use its behaviour policy.", ["warn about the behaviour policy"]),
    # What a victim's advice says instead.
    ("Do not delete the messages or your account.", []),
    ("Stop talking to them, and block them on every app they use to contact you.", []),
    ("Please do not contact the sender or their family yourself: tell us, and we will deal with it.", []),
    ("You can block the person who sent it, and you do not have to answer them.", []),
])
def test_r_d9_the_check_finds_deletion_contact_and_behaviour_policy_instructions(text, found):
    assert schema.d9_instructions_in(text) == found


def test_r_d9_every_shipped_victim_script_passes_and_the_sharing_script_would_not():
    for script in SCRIPTS.values():
        if script["situation"] in schema.VICTIM_SITUATIONS:
            assert forbidden_in(script) == [], script["id"]
    assert forbidden_in(SCRIPTS["shared-or-created-child"])  # deletion and the behaviour policy: D8, C7


@pytest.mark.django_db
def test_r_d9_a_school_cannot_reword_a_victims_advice_to_tell_them_to_delete_it(world):
    paragraphs = [*SCRIPTS["sextortion-child"]["paragraphs"], "Then delete the chat so nobody sees it."]
    with pytest.raises(ValidationError) as error:
        versions.save_advice_override(user=world.diana, school=world.oakfield, script_id="sextortion-child",
                                      paragraphs=paragraphs, reason="Our own words.")
    assert "a victim's advice never asks that" in str(error.value)
    # The script for a child who shared another child's image may ask them to delete it (C7).
    paragraphs = [*SCRIPTS["shared-or-created-child"]["paragraphs"], "We will check with you that you deleted it."]
    versions.save_advice_override(user=world.diana, school=world.oakfield, script_id="shared-or-created-child",
                                  paragraphs=paragraphs, reason="Our own words.")


# ---- on a real case ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_r_d9_a_child_who_sent_their_own_image_under_coercion_gets_the_victims_advice_on_the_case(world):
    case = make_case(world, children=[(world.pupil, "sent")])
    [child] = advice_for_case(case)
    assert [offer["situation"] for offer in child.offers] == ["imagery_shared"]
    actions.update_answers(user=world.diana, case=case, facts={"B2.2": True})
    case.refresh_from_db()
    [child] = advice_for_case(case)
    assert [offer["situation"] for offer in child.offers] == ["groomed"]
    assert {offer["child"]["id"] for offer in child.offers} == {"groomed-child"}


@pytest.mark.django_db
def test_r_d9_a_cyberbullying_case_offers_no_nude_image_advice_and_says_why(world):
    case = make_case(world, "cyberbullying", children=[(world.pupil, "received")])
    [child] = advice_for_case(case)
    assert child.offers == [] and "no advice script for this kind" in child.no_script_note

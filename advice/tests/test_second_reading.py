"""A DSL trainer's second reading of the advice scripts (issue 18), kept as tests: a child who was harmed, and
their family, are told the child is not in trouble (D6, D9); every child can help decide how their parents are
told (D2) and is kept informed (D6); children's scripts are short, plain and free of professionals' words (D3,
D6); and the scripts for a child who shared or made an image say that upskirting is against the law (F5), since
they are also given in upskirting cases."""

import re

import pytest

from advice import schema

SCRIPTS = schema.read_scripts()
CHILD = sorted(sid for sid, s in SCRIPTS.items() if s["audience"] == "child")
VICTIM = sorted(sid for sid, s in SCRIPTS.items() if s["situation"] in schema.VICTIM_SITUATIONS)


def words(script):
    return " ".join([script["heading"], *script["paragraphs"]])


def sentences(script):
    return [s for p in script["paragraphs"] for s in re.split(r"(?<=[.!?])\s+", p) if s]


@pytest.mark.parametrize("script_id", VICTIM)
def test_r_d6_d9_a_child_who_was_harmed_and_their_family_hear_that_the_child_is_not_in_trouble(script_id):
    text = words(SCRIPTS[script_id]).lower()
    assert "not in trouble" in text, script_id
    # Not hedged, as though the child might be in trouble for something else.
    assert "not in trouble for telling" not in text, script_id


@pytest.mark.parametrize("script_id", CHILD)
def test_r_d2_every_child_can_help_decide_how_their_parents_or_carers_are_told(script_id):
    assert "help decide how your parents or carers are told" in words(SCRIPTS[script_id])
    assert "D2" in SCRIPTS[script_id]["rules"]


@pytest.mark.parametrize("script_id", CHILD)
def test_r_d6_every_child_is_told_they_will_be_kept_informed(script_id):
    text = words(SCRIPTS[script_id]).lower()
    assert "keep you updated" in text or "tell you what is happening" in text, script_id


@pytest.mark.parametrize("script_id", CHILD)
def test_r_d3_d6_a_childs_script_is_written_in_short_sentences_a_frightened_11_year_old_can_follow(script_id):
    lengths = [len(s.split()) for s in sentences(SCRIPTS[script_id])]
    assert max(lengths) <= 30, [s for s in sentences(SCRIPTS[script_id]) if len(s.split()) > 30]
    assert sum(lengths) / len(lengths) <= 16


JARGON = re.compile(r"\b(LADO|DSL|CSAM|MASH|indecent|perpetrator|offender|safeguarding|referral|imagery|"
                    r"victim|sextortion)\b", re.I)


@pytest.mark.parametrize("script_id", CHILD)
def test_r_d6_a_childs_script_uses_no_professionals_words(script_id):
    assert not JARGON.search(words(SCRIPTS[script_id])), JARGON.findall(words(SCRIPTS[script_id]))


@pytest.mark.parametrize("audience", ["child", "parent"])
def test_r_f5_the_scripts_for_a_child_who_shared_or_made_an_image_say_upskirting_is_against_the_law(audience):
    [script] = [s for s in SCRIPTS.values() if s["situation"] == "shared_or_created" and s["audience"] == audience]
    text = words(script).lower()
    assert "under someone's clothes" in text or "under someone's clothing" in text
    assert "against the law" in text or "crime" in text

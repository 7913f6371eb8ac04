"""Redaction of third parties' names (H6): whole words, any case, any spacing; the person's own name stays."""

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from records.redaction import ADULT, CHILD, Redactor, mentions

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéöñçÉÖ"
word = st.text(alphabet=LETTERS, min_size=2, max_size=10)
name = st.lists(word, min_size=1, max_size=3).map(" ".join)
gap = st.sampled_from([" ", "  ", "\n", "\t "])


def found(name_text, text):
    """Independent check: the name's words, as whole words, any case, any spacing."""
    pattern = r"\s+".join(re.escape(w) for w in name_text.split())
    return re.search(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE) is not None


def without_markers(text):
    return text.replace(CHILD, "\x00").replace(ADULT, "\x00")


def test_r_h6_names_become_another_child_or_an_adult():
    redact = Redactor(keep=["Quentin Puddlewick"], children=["Amy Smith"], adults=["Hana Head"])
    assert redact("Quentin Puddlewick said AMY smith and Hana\nHead saw it.") == \
        "Quentin Puddlewick said [another child] and [an adult] saw it."
    assert redact("Amy told Mrs Head.") == "[another child] told Mrs [an adult]."


def test_r_h6_only_whole_words_are_matched():
    redact = Redactor(children=["Al Dee"])
    assert redact("Also Deedee, Al's phone, Dee.") == "Also Deedee, [another child]'s phone, [another child]."


def test_r_h6_a_first_name_shared_with_another_child_is_taken_out_but_the_full_name_stays():
    redact = Redactor(keep=["Sam Jones"], children=["Sam Patel"])
    assert redact("Sam Jones and Sam went home.") == "Sam Jones and [another child] went home."


def test_r_h6_no_names_leaves_text_alone():
    assert Redactor()("Nothing to take out.") == "Nothing to take out."
    assert Redactor(children=["Amy"])("") == ""


@settings(max_examples=150, deadline=None)
@given(children=st.lists(name, min_size=1, max_size=4), adults=st.lists(name, max_size=3),
       pieces=st.lists(st.text(max_size=20), min_size=1, max_size=6), data=st.data())
def test_r_h6_no_third_party_name_survives_inside_any_text(children, adults, pieces, data):
    people = children + adults
    text = ""
    for piece in pieces:
        person = data.draw(st.sampled_from(people))
        spaced = data.draw(gap).join(w.upper() if data.draw(st.booleans()) else w for w in person.split())
        text += piece + data.draw(gap) + spaced + data.draw(gap)
    out = Redactor(children=children, adults=adults)(text)
    for person in people:
        for w in person.split() + [person]:
            assert not found(w, without_markers(out)), (w, text, out)


@settings(max_examples=100, deadline=None)
@given(me=st.tuples(word, word).map(" ".join), others=st.lists(name, min_size=1, max_size=4),
       before=st.text(max_size=20), after=st.text(max_size=20))
def test_r_h6_the_persons_own_full_name_survives(me, others, before, after):
    mine = {w.casefold() for w in me.split()}
    assume(not any(w.casefold() in mine for o in others for w in o.split()))
    out = Redactor(keep=[me], children=others)(f"{before} {me} {after}")
    assert me in out


def test_mentions_finds_a_full_name_in_any_case_and_spacing():
    assert mentions("Spoke to MRS  patel today", ["Mrs Patel"])
    assert not mentions("Spoke to Mrs Patelli", ["Mrs Patel"])
    assert not mentions("", ["Mrs Patel"]) and not mentions("text", [])

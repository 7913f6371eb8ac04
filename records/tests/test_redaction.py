"""Redaction of third parties' names (H6): whole words, any case, any spacing; the person's own name stays."""

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from records.redaction import ADULT, CHILD, Person, Redactor, mentions

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
    assert redact("Amy told Mrs Head.") == "[another child] told [an adult]."  # the title goes with the name


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


# -- By identity (records/people.py builds these people from the record) ----------------------------------------

def staff(name, user_id):
    return Person(names=(name,), shown_as=None, adult=True, by_first_name=False, user_id=user_id)


def pupil(name, *, shown_as=CHILD, linked=True):
    return Person(names=(name,), shown_as=shown_as, adult=False, linked=linked,
                  family_shown_as=ADULT if shown_as else None)


def test_r_h6_a_pupil_not_on_the_record_does_not_take_a_staff_surname():
    redact = Redactor(people=[pupil("Quentin Puddlewick", shown_as=None), staff("Priya Marlowe", 1),
                              pupil("Ben Marlowe", linked=False)])
    assert redact("Marlowe and Mrs Marlowe saw Ben Marlowe and Ben.") == \
        f"Marlowe and Mrs Marlowe saw {CHILD} and {CHILD}."


def test_r_h6_a_surname_shared_with_a_child_on_the_record_goes_alone_but_stays_after_a_title():
    redact = Redactor(people=[pupil("Quentin Puddlewick", shown_as=None), staff("Tom Okafor", 1),
                              pupil("Priya Okafor")])
    assert redact("Okafor, Mr Okafor and Tom Okafor.") == f"{CHILD}, Mr Okafor and Tom Okafor."


def test_r_h6_a_title_means_an_adult_and_an_ambiguous_one_is_taken_out():
    okafors = [staff("Tom Okafor", 1), pupil("Priya Okafor")]
    assert Redactor(people=okafors)("Ask Mrs. Okafor.") == "Ask Mrs. Okafor."
    # With her mother also on the record, "Mrs Okafor" could be either: taken out.
    mother = Person(names=("Grace Okafor",), shown_as=ADULT, adult=True)
    assert Redactor(people=okafors + [mother])("Ask Mrs. Okafor.") == f"Ask {ADULT}."
    # With no adult of that name, "Mrs Okafor" is the other child's family.
    assert Redactor(people=[pupil("Priya Okafor")])("Ask Mrs Okafor.") == f"Ask {ADULT}."
    # "Miss" before a first name is judged by the name alone.
    assert Redactor(people=okafors)("I miss Priya.") == f"I miss {CHILD}."


def test_r_h6_the_childs_own_first_name_stays_when_a_child_off_the_record_shares_it():
    redact = Redactor(people=[pupil("Quentin Puddlewick", shown_as=None), pupil("Quentin Smith", linked=False)])
    assert redact("Quentin said Quentin Smith was there.") == f"Quentin said {CHILD} was there."


def test_r_h6_a_staff_surname_used_alone_does_not_shield_a_childs_first_name():
    redact = Redactor(people=[staff("Jo Grace", 1), pupil("Grace Smith", linked=False)])
    assert redact("Grace was upset; Ms Grace and Jo Grace helped.") == \
        f"{CHILD} was upset; Ms Grace and Jo Grace helped."


def test_r_h6_a_by_field_is_decided_by_who_not_by_the_name():
    colleague = Person(names=("Priya Marlowe",), shown_as=ADULT, adult=True, by_first_name=False, user_id=2)
    redact = Redactor(people=[staff("Priya Marlowe", 1), colleague, pupil("Priya Marlowe", linked=False)])
    assert redact.name_of(1, "Priya Marlowe") == "Priya Marlowe"
    assert redact.name_of(2, "Priya Marlowe") == ADULT
    assert redact.name_of(99, "Someone Unknown") == ADULT and redact.name_of(None, "") == "Harbour"

"""The vocabulary of MIS exports is data (imports/vocabulary.toml), checked by pydantic at start-up."""

import copy

import pytest

from imports import vocabulary
from imports.checks import vocabulary_is_valid
from imports.cleaning import flag, sen_status


def test_the_shipped_vocabulary_is_valid_and_checked_at_start_up():
    assert vocabulary.problems(vocabulary.load()) == []
    assert vocabulary_is_valid(None) == []


def broken(change):
    data = copy.deepcopy(vocabulary.load())
    change(data)
    return vocabulary.problems(data)


def test_a_broken_vocabulary_is_refused_in_plain_words():
    assert broken(lambda d: d["job_titles"].update({"Wizard": "wizard"})) == [
        "job_titles.Wizard: 'wizard' is not a Harbour role (one of staff, dsl, deputy_dsl, headteacher, senco, "
        "online_safety_coordinator, technical, governor, chair_of_governors)"]
    assert broken(lambda d: d["values"]["no"].append("yes")) == ["values: a word is both yes and no"]
    assert broken(lambda d: d["columns"]["pupils"]["sex"].append("DOB")) == [
        "columns.pupils.sex: 'DOB' is a column of 'date_of_birth' already"]
    assert broken(lambda d: d["columns"]["staff"].pop("email")) == ["columns.staff: has no names for 'email'"]
    assert broken(lambda d: d["columns"]["pupils"].update({"shoe_size": ["Shoe Size"]})) == [
        "columns.pupils.shoe_size: 'shoe_size' is not a field of a pupils file"]


@pytest.mark.parametrize("word, value", [("Yes", True), ("Y", True), ("True", True), ("T", True), ("1", True),
                                         ("No", False), ("N", False), ("False", False), ("F", False), ("0", False),
                                         ("", False), (" t ", True)])
def test_yes_and_no_as_every_mis_writes_them(word, value):
    assert flag(word, "In Care") is value


@pytest.mark.parametrize("word, code", [
    ("N", "N"), ("K", "K"), ("E", "E"), ("No Special Educational Need", "N"), ("SEN Support", "K"),
    ("Education, Health and Care Plan", "E"), ("N - No Special Educational Need", "N"), ("K - SEN Support", "K"),
    ("E - Education, Health and Care Plan", "E"), ("E - Education Health and Care Plan", "E"), ("EHCP", "E"),
    ("", "N")])
def test_sen_as_dfe_codes_words_and_code_dash_word(word, code):
    assert sen_status(word) == code


def test_a_code_and_words_that_disagree_are_not_guessed():
    with pytest.raises(ValueError, match="'K - Education, Health and Care Plan' is not one Harbour reads"):
        sen_status("K - Education, Health and Care Plan")

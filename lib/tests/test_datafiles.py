"""lib.datafiles: data files checked by pydantic models, their problems said in plain words."""

from typing import Annotated

import pytest
from pydantic import BaseModel, ConfigDict, Field, model_validator

from lib import datafiles
from lib.datafiles import checked, each_once, is_int, nonempty_str, refuse


class Step(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    id: checked(str, nonempty_str, "{field} must be a non-empty string")
    minutes: checked(int, lambda v: is_int(v) and v >= 0, "{field} must be whole minutes, 0 or more") = 0
    tags: list[checked(str, lambda v: v in ("a", "b"), "{value} is not a tag")] = []
    note: str = Field(None, exclude_if=lambda v: v is None)


class Recipe(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str
    ready: bool = False
    steps: Annotated[list[Step], each_once("id", "{value} is used twice")] = []
    settings: Step = Step(id="default")

    @model_validator(mode="after")
    def _no_empty_steps(self):
        refuse([(("steps", n), f"step {s.id!r} takes no time") for n, s in enumerate(self.steps) if s.minutes == 0])
        return self


def problems(data, **how):
    return datafiles.validate(Recipe, data, **how)[1]


def test_a_problem_names_the_item_by_its_label_and_the_field_in_the_sentence():
    data = {"title": "Tea", "steps": [{"id": "boil", "minutes": 3}, {"id": "pour", "minutes": -1}]}
    assert problems(data) == ["steps[1] (pour): 'minutes' must be whole minutes, 0 or more"]


def test_a_message_that_does_not_name_its_field_leaves_it_in_the_location():
    data = {"title": "Tea", "steps": [{"id": "boil", "minutes": 3, "tags": ["a", "z"]}]}
    assert problems(data) == ["steps[0] (boil).tags[1]: 'z' is not a tag"]


def test_pydantics_own_errors_are_said_in_plain_words():
    data = {"steps": [{"id": "boil", "minutes": 3}, "stir"], "ready": "yes", "settings": {"id": "x", "minutes": 1}}
    assert problems(data) == [
        "missing required key 'title'",
        "'ready' must be true or false",
        "steps[1]: must be a table",
    ]


def test_unknown_keys_come_first_as_a_misspelt_key_often_explains_the_rest():
    data = {"title": 5, "steps": [{"id": "boil", "minuts": 3}], "colour": "red"}
    assert problems(data) == [
        "steps[0] (boil): unknown 'minuts'",
        "unknown 'colour'",
        "'title' must be text",
    ]


def test_one_validator_can_refuse_several_things_at_once():
    data = {"title": "Tea", "steps": [{"id": "boil"}, {"id": "pour"}]}
    assert problems(data) == ["steps[0] (boil): step 'boil' takes no time",
                              "steps[1] (pour): step 'pour' takes no time"]


def test_each_once_names_the_repeat():
    data = {"title": "Tea", "steps": [{"id": "boil", "minutes": 1}, {"id": "boil", "minutes": 2}]}
    assert problems(data) == ["steps[1] (boil): 'boil' is used twice"]


def test_checked_gives_one_sentence_for_a_wrong_type_and_a_wrong_value():
    for minutes in ("3", True, 1.5, -1):
        assert problems({"title": "Tea", "steps": [{"id": "x", "minutes": minutes}]}) == [
            "steps[0] (x): 'minutes' must be whole minutes, 0 or more"], minutes


def test_a_file_kind_can_name_places_its_own_way_and_reword_pydantics_errors():
    def where(loc, data):
        return f"step {loc[1] + 1}" if loc[:1] == ("steps",) and len(loc) > 1 else None

    data = {"title": "Tea", "steps": [{"id": "boil", "minutes": 1, "tags": ["z"], "colour": 1}]}
    assert problems(data, where=where, wording={"extra_forbidden": "unknown key(s) {field}"}) == [
        "step 1: unknown key(s) 'colour'",
        "step 1: 'z' is not a tag",
    ]


def test_a_valid_file_gives_its_model():
    model, errors = datafiles.validate(Recipe, {"title": "Tea", "steps": [{"id": "boil", "minutes": 3}]})
    assert errors == [] and model.steps[0].minutes == 3
    assert model.model_dump()["steps"] == [{"id": "boil", "minutes": 3, "tags": []}]  # note: None is left out


def test_reading_names_the_file_that_cannot_be_read_or_is_not_toml(tmp_path):
    with pytest.raises(LookupError, match=r"^missing\.toml: cannot be read"):
        datafiles.read_toml(tmp_path / "missing.toml", LookupError)
    (tmp_path / "broken.toml").write_text("title = \n")
    with pytest.raises(LookupError, match=r"^broken\.toml: is not valid TOML"):
        datafiles.read_toml(tmp_path / "broken.toml", LookupError)
    (tmp_path / "good.toml").write_text('title = "Tea"\n')
    assert datafiles.read_toml(tmp_path / "good.toml", LookupError) == {"title": "Tea"}


def test_with_defaults_fills_an_old_copy_without_checking_it_and_keeps_what_it_does_not_know():
    """A copy saved by an earlier version: newer optional keys get their defaults, nested tables too."""
    old = {"title": "Tea", "steps": [{"id": "boil", "added_by": "school"}], "settings": {"id": "s"}, "saved": 1}
    filled = datafiles.with_defaults(Recipe, old)
    assert filled == {"title": "Tea", "ready": False, "saved": 1,
                      "steps": [{"id": "boil", "minutes": 0, "tags": [], "added_by": "school"}],
                      "settings": {"id": "s", "minutes": 0, "tags": []}}
    assert old == {"title": "Tea", "steps": [{"id": "boil", "added_by": "school"}], "settings": {"id": "s"}, "saved": 1}
    assert datafiles.with_defaults(Recipe, {"title": "Tea"})["settings"] == {"id": "default", "minutes": 0, "tags": []}

"""The prepared messages of an incident that affects many (rule E2 *Communicate*): data files checked at start-up,
offered by the kinds of incident that may affect many, each saying what is known, what the school is doing, what to
do and not do, and where to get help, in words that name no child and blame none (E5, D6)."""

import copy

import pytest

from communications import schema

AFFECTS_MANY = ["sextortion", "nudes-sharing", "deepfake", "cyberbullying", "online-hate", "radicalisation"]


def a_template(**changes):
    return {**copy.deepcopy(schema.load_templates()["sextortion-parents"]), **changes}


@pytest.mark.parametrize("procedure", AFFECTS_MANY)
def test_r_e2_each_kind_that_may_affect_many_offers_a_message_for_staff_parents_and_pupils(procedure):
    assert [t["audience"] for t in schema.offered_for(procedure)] == ["staff", "parents", "pupils"]


def test_r_e2_a_concern_about_staff_offers_no_message_to_the_whole_school():
    assert schema.offered_for("staff-allegation") == [] and schema.offered_for("filtering-breach") == []


def test_r_e2_every_message_says_what_is_known_done_asked_and_where_to_get_help():
    for template in schema.load_templates().values():
        text = schema.as_text(template)
        for _, heading in schema.PARTS:
            assert f"\n\n{heading}\n\n" in text, (template["id"], heading)


def test_r_e6_sextortion_messages_say_do_not_pay_and_do_not_delete_the_evidence():
    for template in schema.offered_for("sextortion"):
        text = schema.as_text(template).lower()
        assert "do not delete" in text, template["id"]
        if template["audience"] != "staff":
            assert "do not pay" in text, template["id"]


@pytest.mark.parametrize("procedure", ["nudes-sharing", "deepfake"])
def test_r_a3_imagery_messages_ask_nobody_to_share_or_look_for_the_images(procedure):
    for template in schema.offered_for(procedure):
        text = schema.as_text(template).lower()
        assert any(words in text for words in ("search for", "look for", "go looking for")), template["id"]
        assert "do not forward" in text or "do not look" in text, template["id"]


def test_r_d6_no_shipped_message_uses_words_that_blame_a_child():
    from advice.schema import blaming_phrases_in

    for template in schema.load_templates().values():
        assert blaming_phrases_in(schema.as_text(template)) == [], template["id"]


def test_the_shipped_files_are_valid_and_each_kind_has_one_message_per_audience():
    assert len(schema.read_templates()) == 12


def test_r_d6_a_template_with_words_that_blame_a_child_is_refused():
    errors = schema.validate_template(a_template(known=["Your child should not have sent it."]))
    assert errors and "'known'" in errors[0] and "blame" in errors[0]


def test_r_e2_a_template_without_a_part_is_refused():
    template = a_template()
    del template["please_do_not"]
    assert schema.validate_template(template) == ["missing required key 'please_do_not'"]


def test_a_template_offered_for_an_unknown_procedure_is_refused():
    errors = schema.validate_template(a_template(offered_for=["no-such-kind"]), procedure_ids={"sextortion"})
    assert errors == ["offered_for: there is no procedure 'no-such-kind'"]


def test_two_messages_for_one_audience_of_one_kind_are_refused(tmp_path):
    shipped = (schema.TEXTS_DIR / "sextortion-parents.toml").read_text()
    for name in ("a-parents", "b-parents"):
        (tmp_path / f"{name}.toml").write_text(shipped.replace('id = "sextortion-parents"', f'id = "{name}"'))
    with pytest.raises(schema.CommunicationsDefinitionError, match="already the parents message for sextortion"):
        schema.read_templates(tmp_path, procedure_ids={"sextortion"})


def test_the_parts_to_fill_in_are_found_once_each():
    assert schema.placeholders_in("On [the date], [the date] and [who]. Nothing [\n] else.") == ["[the date]", "[who]"]

"""The advice scripts and the resources directory as data: rules D3–D8, E6, I7."""

import copy
import re

import pytest

from advice import resources, schema, situations, versions
from advice.checks import advice_files_are_valid

SCRIPTS = schema.read_scripts()
RESOURCE_IDS = {r["id"] for r in schema.read_resources()}


def script(situation, audience):
    return SCRIPTS[versions.script_for(situation, audience)]


def words(s):
    return " ".join([s["heading"], *s["paragraphs"]]).lower()


# ---- the files ---------------------------------------------------------------------------

def test_every_shipped_file_is_valid_and_the_start_up_check_passes():
    assert advice_files_are_valid(None) == []
    assert len(SCRIPTS) == 10


@pytest.mark.parametrize("situation", schema.SITUATIONS)
def test_r_d3_d4_there_is_one_script_for_the_child_and_one_for_parents_in_every_situation(situation):
    child, parent = script(situation, "child"), script(situation, "parent")
    assert child["audience"] == "child" and parent["audience"] == "parent"
    assert "D3" in child["rules"] or "E6" in child["rules"]
    assert "D4" in parent["rules"] or "E6" in parent["rules"]


# ---- D3/D4: the script follows the child's role ---------------------------------------------

@pytest.mark.parametrize("role, situation", [
    ("pictured", "imagery_shared"),
    ("received", "received"),
    ("witness", "received"),
    ("sent", "imagery_shared"),  # D9: they sent a picture of themselves; they did not share another child's
    ("shared_onward", "shared_or_created"),
    ("created", "shared_or_created"),
])
def test_r_d3_d4_the_childs_role_chooses_the_situation(role, situation):
    assert situations.situations_for([role], "nudes-sharing") == [situation]


@pytest.mark.parametrize("role", ["harmed", "harmed_others", "disclosed", "other"])
def test_r_d3_roles_with_no_fitting_script_get_none_rather_than_a_guess(role):
    assert situations.situations_for([role], "nudes-sharing") == []


def test_r_d3_a_child_with_two_roles_gets_both_situations_once_each_in_a_fixed_order():
    assert situations.situations_for(["shared_onward", "pictured", "sent"], "nudes-sharing") == [
        "imagery_shared", "shared_or_created"]


def test_r_e6_d9_a_sextortion_case_offers_its_target_the_sextortion_advice():
    assert situations.situations_for(["pictured"], "sextortion") == ["sextortion"]
    assert situations.situations_for(["sent"], "sextortion") == ["sextortion"]
    assert situations.situations_for(["other"], "sextortion") == ["sextortion"]
    assert "sextortion" not in situations.situations_for(["pictured"], "nudes-sharing")


def test_r_d3_the_child_scripts_differ_by_situation():
    assert "shared" in script("imagery_shared", "child")["heading"]
    assert "pressured" in script("groomed", "child")["heading"]
    assert "sent you" in script("received", "child")["heading"]
    assert "do not send the picture to anyone else" in words(script("shared_or_created", "child"))


def test_r_d5_removal_routes_are_offered_to_a_child_whose_image_was_shared_and_their_parents():
    for audience in ("child", "parent"):
        s = script("imagery_shared", audience)
        assert "report remove" in words(s) and "take it down" in words(s)
        assert {"report-remove", "take-it-down"} <= set(s["links"])
        assert "D5" in s["rules"]


def test_r_d7_every_script_points_to_pastoral_support():
    for s in SCRIPTS.values():
        assert "childline" in words(s) and "0800 1111" in words(s), s["id"]
        assert "D7" in s["rules"], s["id"]


def test_r_d8_sanctions_for_a_child_who_shared_follow_the_behaviour_policy_without_shaming():
    for audience in ("child", "parent"):
        s = script("shared_or_created", audience)
        assert "behaviour policy" in words(s)
        assert "D8" in s["rules"]
    assert "without shaming" in words(script("shared_or_created", "parent"))


# ---- E6: sextortion -------------------------------------------------------------------------

@pytest.mark.parametrize("audience", ["child", "parent"])
def test_r_e6_sextortion_advice_says_do_not_pay_block_keep_evidence_and_report(audience):
    text = words(script("sextortion", audience))
    assert "do not pay" in text
    assert "block" in text and "stop" in text
    assert "do not delete" in text and "evidence" in text
    assert "police" in text and "ceop" in text
    assert "report remove" in text and "take it down" in text
    assert "E6" in script("sextortion", audience)["rules"]


# ---- D6: no blame ---------------------------------------------------------------------------

BLAMING = ["should not have", "shouldn't have", "your fault", "stupid", "naughty", "silly", "why did you",
           "what were you thinking", "asking for it"]


@pytest.mark.parametrize("script_id", sorted(SCRIPTS))
def test_r_d6_no_script_uses_words_that_blame_a_child(script_id):
    text = words(SCRIPTS[script_id]).replace("\u2019", "'")
    found = [w for w in BLAMING if w in text]
    assert found == []


def test_r_d6_the_schema_refuses_a_script_with_blaming_words():
    bad = copy.deepcopy(SCRIPTS["received-child"])
    bad["paragraphs"].append("You really shouldn\u2019t have opened it.")
    errors = schema.validate_script(bad)
    assert any("free of blame" in e and "shouldn't have" in e for e in errors)


# ---- schema errors ----------------------------------------------------------------------------

def test_a_valid_script_has_no_problems():
    assert schema.validate_script(SCRIPTS["received-child"], {r["id"] for r in schema.read_resources()}) == []


@pytest.mark.parametrize("change, expected", [
    ({"audience": "teacher"}, "'audience' must be one of child, parent"),
    ({"situation": "bullying"}, "'situation' must be one of"),
    ({"version": 0}, "'version' must be a whole number"),
    ({"version": True}, "'version' must be a whole number"),
    ({"id": "Bad Id"}, "'id' must be a lower-case name"),
    ({"title": "  "}, "'title' must be a non-empty string"),
    ({"paragraphs": []}, "keep at least one paragraph"),
    ({"paragraphs": ["Fine.", ""]}, "paragraph 2 is empty"),
    ({"paragraphs": ["x" * 2001]}, "longer than 2000 characters"),
    ({"rules": ["Z9"]}, "'Z9' is not a rule id"),
    ({"rules": []}, "'rules' must be a non-empty list"),
    ({"links": ["nowhere"]}, "there is no resource 'nowhere'"),
    ({"colour": "red"}, "unknown key(s) 'colour'"),
])
def test_the_schema_names_each_problem(change, expected):
    bad = {**copy.deepcopy(SCRIPTS["received-child"]), **change}
    errors = schema.validate_script(bad, {"childline"})
    assert any(expected in e for e in errors), errors


def test_a_script_whose_id_is_not_its_file_name_is_refused(tmp_path):
    (tmp_path / "received-child.toml").write_text(
        (schema.SCRIPTS_DIR / "received-child.toml").read_text().replace('id = "received-child"', 'id = "other"'))
    with pytest.raises(schema.AdviceDefinitionError, match="does not match the file name"):
        schema.read_scripts(tmp_path, resource_ids=RESOURCE_IDS)


def test_two_scripts_for_the_same_child_situation_are_refused(tmp_path):
    text = (schema.SCRIPTS_DIR / "received-child.toml").read_text()
    (tmp_path / "received-child.toml").write_text(text)
    (tmp_path / "received-kid.toml").write_text(text.replace('id = "received-child"', 'id = "received-kid"'))
    with pytest.raises(schema.AdviceDefinitionError, match="already the child script for received"):
        schema.read_scripts(tmp_path, resource_ids=RESOURCE_IDS)


def test_a_file_that_is_not_toml_is_named(tmp_path):
    (tmp_path / "broken.toml").write_text("id = \n")
    with pytest.raises(schema.AdviceDefinitionError, match="broken.toml: is not valid TOML"):
        schema.read_scripts(tmp_path, resource_ids=set())


def test_the_start_up_check_reports_a_broken_file(monkeypatch, tmp_path):
    (tmp_path / "broken.toml").write_text("id = 'broken'\n")
    monkeypatch.setattr(schema, "SCRIPTS_DIR", tmp_path)
    [error] = advice_files_are_valid(None)
    assert error.id == "advice.E001" and "broken.toml" in error.msg


def test_r_d3_d6_a_broken_script_file_is_refused_naming_the_file_the_key_and_the_problem(tmp_path):
    text = (schema.SCRIPTS_DIR / "received-child.toml").read_text()
    (tmp_path / "received-child.toml").write_text(text.replace('audience = "child"', 'audience = "teacher"'))
    with pytest.raises(schema.AdviceDefinitionError) as refused:
        schema.read_scripts(tmp_path, resource_ids=RESOURCE_IDS)
    assert str(refused.value) == "received-child.toml: 'audience' must be one of child, parent"


def test_r_i7_a_broken_resources_file_is_refused_naming_the_file_the_entry_and_the_problem(tmp_path):
    text = schema.RESOURCES_FILE.read_text()
    path = tmp_path / "resources.toml"
    path.write_text(text.replace('url = "https://www.ceop.police.uk/', 'url = "http://www.ceop.police.uk/', 1)
                    .replace('id = "childrens-social-care"', 'id = "ceop"', 1))
    with pytest.raises(schema.AdviceDefinitionError) as refused:
        schema.read_resources(path)
    assert str(refused.value) == "resources.toml: resource[1] (ceop): 'url' must start with https://"
    path.write_text(text.replace('id = "childrens-social-care"', 'id = "ceop"', 1))
    with pytest.raises(schema.AdviceDefinitionError) as refused:
        schema.read_resources(path)
    assert str(refused.value) == "resources.toml: resource[2] (ceop): the id is used twice"


@pytest.mark.parametrize("change, expected", [
    ({"url": "http://example.org/"}, "'url' must start with https://"),
    ({"steps": ["somewhere"]}, "'somewhere' is not one of"),
    ({"steps": []}, "'steps' must be a non-empty list"),
    ({"url": None, "phone": None}, "give a 'url', a 'phone' number or 'how_to_reach'"),
    ({"what_for": ""}, "'what_for' must be a non-empty string"),
])
def test_the_resource_schema_names_each_problem(change, expected):
    good = {"id": "x", "name": "X", "what_for": "For X.", "url": "https://x.example/", "rules": ["I7"],
            "steps": ["support"]}
    assert schema.validate_resource(good) == []
    bad = {k: v for k, v in {**good, **change}.items() if v is not None}
    assert any(expected in e for e in schema.validate_resource(bad)), schema.validate_resource(bad)


# ---- I7: the resources directory -------------------------------------------------------------

def test_r_i7_the_directory_holds_the_national_services():
    ids = {r["id"] for r in resources.all_resources()}
    assert {"ceop", "childline", "report-remove", "iwf", "take-it-down", "nspcc-helpline", "professionals-helpline",
            "report-harmful-content", "true-vision", "act-early", "police", "childrens-social-care", "lado",
            "uk-safer-internet-centre", "internet-matters", "marie-collins-foundation", "lucy-faithfull-foundation",
            "report-fraud", "get-safe-online", "dfe-counter-extremism-helpline", "anti-terrorist-hotline"} <= ids
    childline = next(r for r in resources.all_resources() if r["id"] == "childline")
    assert childline["phone"] == "0800 1111"


def test_r_d5_resources_for_removal_include_report_remove_and_take_it_down():
    names = [r["name"] for r in resources.resources_for("removal")]
    assert any(n.startswith("Report Remove") for n in names)
    assert any(n.startswith("Take It Down") for n in names)


def test_r_f7_resources_for_when_unsure_include_the_professionals_helpline():
    assert "professionals-helpline" in [r["id"] for r in resources.resources_for("advice_unsure")]


def test_resources_for_an_unknown_step_fails_loudly():
    with pytest.raises(KeyError, match="unknown step 'remova'"):
        resources.resources_for("remova")


def test_every_step_has_at_least_one_resource_and_every_url_is_https():
    for step in schema.STEPS:
        assert resources.resources_for(step), step
    for r in resources.all_resources():
        assert r["url"] == "" or re.match(r"^https://[a-z0-9.-]+\.[a-z]+/", r["url"]), r["id"]


def test_r_a3_the_iwf_is_for_reporting_web_addresses_never_the_image():
    iwf = next(r for r in resources.all_resources() if r["id"] == "iwf")
    assert "web address" in iwf["what_for"] and "never" in iwf["what_for"]

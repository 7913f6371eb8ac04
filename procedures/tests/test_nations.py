"""J8: a school's nation decides its procedure set and referral routes, as data: a versioned layer per nation
(procedures/nations/*.toml) applied shipped → nation → trust → school, every element naming its source (J7), and
pinned on the case with the rest of its procedure."""

import copy

import pytest

from cases import agencies
from procedures import engine, nations, schema, versions

IMAGERY = ("nudes-sharing", "sextortion", "deepfake", "upskirting", "online-sexual-abuse")


@pytest.fixture(scope="module")
def shipped():
    return schema.load_all()


def test_r_j8_every_nation_layer_loads_and_every_element_names_its_source(shipped):
    layers = nations.load_all()
    assert set(layers) == {"wales", "scotland", "northern_ireland"}
    for nation, layer in layers.items():
        for pid, definition in shipped.items():
            merged, _ = nations.apply(definition, nation)
            assert schema.validate(merged) == [], (nation, pid)
            assert schema.elements_without_source(merged) == [], (nation, pid)


def test_r_j8_england_follows_the_shipped_files_as_they_are(shipped):
    assert nations.layer("england") is None
    merged, layer = nations.apply(shipped["nudes-sharing"], "england")
    assert layer is None and merged == shipped["nudes-sharing"]


@pytest.mark.parametrize("pid", IMAGERY)
def test_r_j8_in_scotland_an_image_sharing_incident_requires_an_inter_agency_referral_discussion(shipped, pid):
    merged, _ = nations.apply(shipped[pid], "scotland")
    required = engine.required_referrals(merged, {})
    ird = [r for r in required if r["agency"] == "ird"]
    assert len(ird) == 1 and ird[0]["applies"] is True and not ird[0]["satisfied"]
    assert "inter-agency referral discussion (IRD)" in ird[0]["to"]
    # Recording the referral to social work or the police for the IRD satisfies it, and counts as a B2 referral.
    done = engine.required_referrals(merged, {"referrals_recorded": ["ird"]})
    assert next(r for r in done if r["agency"] == "ird")["satisfied"] is True
    assert "ird" in engine.B2_AGENCIES
    # England, Wales and Northern Ireland are not asked for one.
    for nation in ("england", "wales", "northern_ireland"):
        other, _ = nations.apply(shipped[pid], nation)
        assert all(r["agency"] != "ird" for r in engine.required_referrals(other, {}))


def test_r_j8_the_ird_route_is_offered_only_to_schools_in_scotland():
    assert agencies.offered("ird", "scotland")["counts_for_b2"] is True
    for nation in ("england", "wales", "northern_ireland"):
        assert agencies.offered("ird", nation) is None
        assert agencies.offered("police", nation) is not None


def test_r_j8_northern_ireland_lists_the_ea_child_protection_support_service_among_resources_and_for_advice(shipped):
    for pid, definition in shipped.items():
        merged, _ = nations.apply(definition, "northern_ireland")
        links = [a for a in merged["advice"] if "eani.org.uk" in a["url"]]
        assert len(links) == 1 and "Child Protection Support Service" in links[0]["title"], pid
        guidance = engine.evaluate(merged, {})["guidance"]
        assert any("Child Protection Support Service advice line" in g["text"] for g in guidance), pid


def test_r_j8_wales_adds_keeping_learners_safe_and_its_own_nudes_guidance(shipped):
    merged, _ = nations.apply(shipped["nudes-sharing"], "wales")
    titles = [a["title"] for a in merged["advice"]]
    assert any(t.startswith("Keeping learners safe") for t in titles)
    assert any(t.startswith("Sharing nudes and semi-nudes: responding to incidents and safeguarding children and "
                            "young people (Welsh Government") for t in titles)
    sources = schema.sources_in_words(merged["advice"])
    assert any("Welsh Government, with the UKCIS Education Working Group" in s for s in sources)


def test_r_j8_a_layer_element_without_a_source_or_for_an_unknown_procedure_is_refused(shipped):
    layer = copy.deepcopy(nations.layer("scotland"))
    del layer["procedures"]["sextortion"]["required_referrals"][0]["source"]
    layer["procedures"]["no-such-thing"] = {}
    errors = nations.problems(layer, shipped)
    assert any("no procedure 'no-such-thing'" in e for e in errors)
    layer["procedures"].pop("no-such-thing")
    errors = nations.problems(layer, shipped)
    assert errors and "must name its source" in errors[0]


def test_r_j8_a_layer_cannot_name_a_task_the_procedure_does_not_have(shipped):
    layer = copy.deepcopy(nations.layer("scotland"))
    layer["procedures"]["nudes-sharing"]["required_referrals"][0]["tasks"] = ["immediate.99"]
    assert any("there is no task 'immediate.99'" in e for e in nations.problems(layer, shipped))


@pytest.mark.django_db
def test_r_j8_the_nation_and_its_layer_version_are_pinned_and_rebuild_exactly(world):
    school = world.oakfield
    school.nation = "scotland"
    school.save(update_fields=["nation"])
    effective = versions.effective_for(school, "nudes-sharing")
    pinned = effective["pinned"]
    assert (pinned["nation"], pinned["nation_version"]) == ("scotland", nations.layer("scotland")["version"])
    assert f"Scotland v{pinned['nation_version']}" in pinned["label"]
    assert any(r["agency"] == "ird" for r in effective["required_referrals"])
    # The school moving to another nation changes what new cases follow; the pinned one rebuilds as it was.
    school.nation = "england"
    school.save(update_fields=["nation"])
    assert versions.effective_at(school, pinned) == effective
    now = versions.effective_for(school, "nudes-sharing")
    assert now["pinned"]["nation_version"] is None and not any(r["agency"] == "ird" for r in now["required_referrals"])
    # A case pinned before nations had layers rebuilds as England's.
    old = {k: v for k, v in now["pinned"].items() if k not in ("nation", "nation_version")}
    assert versions.effective_at(school, old)["required_referrals"] == now["required_referrals"]


@pytest.mark.django_db
def test_r_j8_a_school_override_applies_over_its_nation_layer(world):
    school = world.oakfield
    school.nation = "northern_ireland"
    school.save(update_fields=["nation"])
    base = versions.base_for("nudes-sharing", school=school)
    assert any("eani.org.uk" in a["url"] for a in base["advice"])
    versions.save_override(user=world.diana, procedure_id="nudes-sharing", school=school,
                           changes={"task_due": {"immediate.1": 5}}, reason="Our own timing.")
    effective = versions.effective_for(school, "nudes-sharing")
    assert any("eani.org.uk" in a["url"] for a in effective["advice"])
    assert next(t for t in effective["tasks"] if t["id"] == "immediate.1")["due_after_minutes"] == 5


@pytest.mark.django_db
def test_r_j8_a_school_moved_to_scotland_sees_its_open_cases_behind_and_moving_one_adds_the_ird_referral(world):
    """J7 with J8: a case opened while the school was in England keeps England's procedure; once the school is set to
    Scotland, the case is listed with what changed (the IRD referral), and moving it (with a reason) requires it."""
    from cases import evaluation
    from cases.actions import move_to_current
    from cases.actions.versions import waiting
    from cases.tests.helpers import make_case

    case = make_case(world, "nudes-sharing")
    assert waiting(world.diana, world.oakfield) == []
    world.oakfield.nation = "scotland"
    world.oakfield.save(update_fields=["nation"])
    case.refresh_from_db()
    assert all(r["agency"] != "ird" for r in evaluation.assess(case).required)  # pinned: unchanged
    [row] = waiting(world.diana, world.oakfield)
    assert row["case"] == case
    assert any(c["change"] == "added" and "inter-agency referral discussion" in c["words"] for c in row["changes"])
    move_to_current(user=world.diana, case=case, reason="The school is in Scotland: follow its guidance.")
    case.refresh_from_db()
    assert case.procedure["pinned"]["nation"] == "scotland"
    assert any(r["agency"] == "ird" and r["applies"] is True for r in evaluation.assess(case).required)
    assert waiting(world.diana, world.oakfield) == []


def test_r_j8_the_differences_from_the_shipped_procedure_name_what_the_nation_adds(shipped):
    merged, _ = nations.apply(shipped["nudes-sharing"], "scotland")
    lines = versions.differences(shipped["nudes-sharing"], merged)
    assert any(line.startswith("Also requires a referral to social work or the police, for an inter-agency referral "
                               "discussion (IRD)") for line in lines)
    merged, _ = nations.apply(shipped["nudes-sharing"], "northern_ireland")
    assert "Also lists: Education Authority Child Protection Support Service (advice line for schools)" in (
        versions.differences(shipped["nudes-sharing"], merged))


@pytest.mark.parametrize("nation, words", [("wales", "DSP"), ("scotland", "child protection coordinator"),
                                           ("northern_ireland", "designated teacher")])
def test_r_j8_no_step_names_the_dsl_outside_england_and_each_keeps_its_own_source(shipped, nation, words):
    for pid, definition in shipped.items():
        merged, _ = nations.apply(definition, nation)
        for before, after in zip(definition["tasks"], merged["tasks"], strict=True):
            assert "DSL" not in after["title"], (nation, pid, after["title"])
            if "social care" in before["title"] and nation == "scotland":  # social work, from its own guidance
                assert "social work" in after["title"] and "social care" not in after["title"]
                assert after["source"]["document"] == "National Guidance for Child Protection in Scotland"
            else:
                assert after["source"] == before["source"]
            if "DSL" in before["title"]:
                assert words in after["title"]


@pytest.mark.parametrize("pid", ["nudes-sharing", "cyberbullying", "staff-allegation"])
def test_r_b2_j8_in_scotland_the_immediate_referral_names_social_work_or_the_police_for_an_ird(shipped, pid):
    """B2 with J8: a referral criterion met, or an escalation factor present, names the nation's route: in Scotland
    social work or the police, for an inter-agency referral discussion; elsewhere children's social care or the
    police. Scotland's questions, outcomes and steps name social work too."""
    definition = shipped[pid]
    criterion = definition["referral_criteria"][0]["id"]
    factor = definition["escalation_factors"][0]["id"] if definition["escalation_factors"] else None
    facts = {criterion: True, **({factor: True} if factor else {})}
    for nation in ("england", "wales", "scotland", "northern_ireland"):
        merged, _ = nations.apply(definition, nation)
        reasons = engine.evaluate(merged, facts)["blocked_reasons"]
        said = " ".join(r["text"] for found in reasons.values() for r in found)
        texts = " ".join(item.get(field, "") for section, field in
                         (("initial_review_questions", "text"), ("outcomes", "label"), ("tasks", "title"))
                         for item in merged[section])
        if nation == "scotland":
            assert ("Record the referral to social work or the police, for an inter-agency referral discussion "
                    "(IRD).") in said
            assert "Refer to social work or the police, for an inter-agency referral discussion (IRD)." in said
            assert "children's social care" not in said and "children's social care" not in texts
            if factor:
                assert "a consultation with social work and their advice" in said
        else:
            assert "Record the referral to children's social care or the police." in said
            assert "inter-agency" not in said

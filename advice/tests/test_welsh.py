"""Rule J8: the child's and the family's advice in Welsh at a school in Wales.

A script's Welsh text is data beside its English ([cy] in the TOML file), with its own version and the version of
the English it translates, validated like the English (no blame, D6). Where a script has no Welsh yet, or the
school has reworded the English, the letter prints in English, never blank."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from advice import schema, versions
from advice.casework import letter_html
from advice.models import AdviceOverride
from advice.tests.test_letters import pdf_text
from cases.tests.helpers import make_case
from tests.people import sign_in

WELSH_SCRIPTS = ("imagery-shared-child", "imagery-shared-parent", "received-child", "received-parent",
                 "sextortion-child", "sextortion-parent", "groomed-child", "groomed-parent",
                 "shared-or-created-child", "shared-or-created-parent")


def script(script_id):
    return schema.read_scripts()[script_id]


def test_r_j8_the_shipped_welsh_texts_are_valid_and_translate_the_english_in_force():
    scripts = schema.read_scripts()
    assert sorted(WELSH_SCRIPTS) == sorted(scripts)  # every script a child or family is given has its Welsh
    for script_id in WELSH_SCRIPTS:
        welsh = scripts[script_id]["cy"]
        assert welsh["translates"] == scripts[script_id]["version"] and welsh["version"] >= 1
        assert len(welsh["paragraphs"]) == len(scripts[script_id]["paragraphs"])  # nothing left out
        assert welsh["heading"] != scripts[script_id]["heading"]


def test_r_j8_a_welsh_text_that_translates_an_older_english_version_is_refused():
    found = dict(script("imagery-shared-child"))
    found["cy"] = dict(found["cy"], translates=found["version"] - 1)
    problems = schema.validate_script(found)
    assert any("bring the Welsh up to date" in p for p in problems), problems


@pytest.mark.parametrize("words", ["Dy fai di oedd hyn.", "Roedd hynny'n dwp ac yn ffôl.", "Pam wnest ti hynny?"])
def test_r_j8_r_d6_welsh_words_that_blame_a_child_are_refused(words):
    found = dict(script("imagery-shared-child"))
    found["cy"] = dict(found["cy"], paragraphs=["Diolch am ddweud wrthon ni.", words])
    problems = schema.validate_script(found)
    assert any("paragraph 2 uses words that can blame a child" in p for p in problems), (words, problems)


def test_r_j8_a_welsh_text_needs_every_part():
    found = dict(script("imagery-shared-child"))
    found["cy"] = {"translates": found["version"], "version": 1, "title": "", "heading": "Pennawd", "paragraphs": [""]}
    problems = schema.validate_script(found)
    assert any("'title' must be a non-empty string" in p for p in problems)
    assert any("paragraph 1 is empty" in p for p in problems)


@pytest.mark.django_db
def test_r_j8_the_welsh_is_printed_only_where_it_translates_the_wording_in_force(world):
    shipped = versions.effective_script(world.oakfield, "imagery-shared-child")
    welsh = versions.in_language(shipped, "cy")
    assert welsh["language"] == "cy" and welsh["heading"] == shipped["cy"]["heading"]
    assert welsh["label"].endswith(" · Cymraeg v1")
    # A script with no Welsh yet (every shipped one has it: a school's new script or one being written).
    untranslated = dict(versions.effective_script(world.oakfield, "sextortion-child"), cy=None, welsh=False)
    assert versions.in_language(untranslated, "cy")["paragraphs"] == untranslated["paragraphs"]  # English, not blank
    AdviceOverride.objects.create(school=world.oakfield, script_id="imagery-shared-child", version=1,
                                  shipped_version=shipped["version"], paragraphs=["Our own words."],
                                  reason="Our own words.", created_by=world.diana,
                                  created_at=timezone.now())
    reworded = versions.effective_script(world.oakfield, "imagery-shared-child")
    assert versions.in_language(reworded, "cy")["paragraphs"] == ["Our own words."]  # the school's English stands


@pytest.mark.django_db
def test_r_j8_a_welsh_family_letter_is_welsh_throughout_its_own_words(world):
    world.oakfield.safeguarding_contact = "Mrs Rhian Evans"
    world.oakfield.safeguarding_phone = "01234 567890"
    html = letter_html(script=versions.effective_script(world.oakfield, "imagery-shared-parent"), school=world.oakfield,
                       pupil=world.pupil, signed_by=world.diana, today=datetime.date(2026, 12, 6), language="cy")
    assert '<html lang="cy">' in html
    for words in ("Annwyl riant neu ofalwr,", "6 Rhagfyr 2026", "Preifat: i’r teulu", "Yn gywir,",
                  "cysylltwch â Mrs Rhian Evans ar", "Rydyn ni’n gwybod bod hwn yn gyfnod pryderus i chi ac i Quentin",
                  "Cyngor ar ôl i ddelwedd o’ch plentyn".replace("’", "&#39;")):
        assert words in html, words
    assert "Dear parent or carer" not in html and "Puddlewick" not in html


@pytest.mark.django_db
def test_r_j8_the_childs_leaflet_prints_in_welsh_when_asked(client, world, tmp_path):
    world.oakfield.nation = "wales"
    world.oakfield.save(update_fields=["nation"])
    case = make_case(world, "nudes-sharing", children=[(world.pupil, "pictured")])
    sign_in(client, world.diana)
    page = client.get(reverse("advice:case", args=[case.id])).content.decode()
    link = reverse("advice:letter", args=[case.id, "imagery-shared-child", world.pupil.id]) + "?language=cy"
    assert f'href="{link}"' in page and "Argraffu yn Gymraeg (PDF)" in page
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Os oes llun neu fideo ohonot ti wedi cael ei dynnu neu ei rannu" in text
    assert "Pobl sy’n gallu helpu" in text and "Diolch am ddweud wrthon ni." in text
    assert "Puddlewick" not in text and "Quentin" not in text


# ---- every script and every service, in Welsh ------------------------------------------------------------------

# Proper names a Welsh letter keeps as they are (services, people, the school).
PROPER_NAMES = ("Report Remove", "Take It Down", "Childline", "Internet Watch Foundation", "CEOP", "NSPCC", "NCMEC",
                "Marie Collins Foundation", "Lucy Faithfull Foundation", "Stop It Now", "Internet Matters",
                "Report Harmful Content", "Harbour", "Oakfield Primary", "Diana", "Quentin")


def test_r_j8_every_national_service_has_its_welsh_entry_and_a_welsh_letter_prints_it():
    from advice import resources

    for entry in resources.all_resources("wales"):  # every service a school in Wales is shown (J8)
        assert entry["cy"] and entry["cy"]["what_for"] != entry["what_for"], entry["id"]
    police = resources.by_id(["police", "childline"], "cy")
    assert police[0]["name"] == "Yr heddlu" and police[0]["phone"] == "999 mewn argyfwng, 101 fel arall"
    assert police[1]["name"] == "Childline" and police[1]["what_for"].startswith("Cymorth am ddim")  # a name kept
    assert all(r["language"] == "cy" for r in police)
    english = resources.by_id(["police"])[0]
    assert english["name"] == "Police" and english["language"] == "en-gb"


def test_r_j8_a_services_welsh_entry_is_checked_like_its_english():
    from advice import resources

    childline = resources.by_id(["childline"])[0]
    bare = {k: v for k, v in childline.items() if k != "language" and v not in ("", None)}
    problems = schema.validate_resource(dict(bare, cy={"name": "Childline"}))
    assert any("what_for" in p for p in problems), problems
    problems = schema.validate_resource(dict(bare, cy={"what_for": "Cymorth.", "how_to_reach": "Drwy'r ysgol."}))
    assert any("the Welsh gives 'how_to_reach' but the English has none" in p for p in problems), problems
    assert schema.validate_resource(dict(bare, cy={"what_for": "Cymorth am ddim."})) == []


@pytest.mark.django_db
def test_r_j8_r_d6_each_childs_leaflet_and_family_letter_has_no_english_left_in_welsh(world):
    """The whole printed page a Welsh family or child reads: the script, the letter's words and every service."""
    from tests.welsh import english_left

    world.oakfield.safeguarding_contact = "Diana"
    world.oakfield.safeguarding_phone = "01234 567890"
    for script_id in WELSH_SCRIPTS:
        script = versions.effective_script(world.oakfield, script_id)
        html = letter_html(script=script, school=world.oakfield, pupil=world.pupil, signed_by=world.diana,
                           today=datetime.date(2026, 12, 6), language="cy")
        assert '<html lang="cy">' in html and 'lang="en-GB"' not in html, script_id  # no service left in English
        assert english_left(html, PROPER_NAMES + (world.diana.full_name,)) == [], script_id
        english = letter_html(script=script, school=world.oakfield, pupil=world.pupil, signed_by=world.diana,
                              today=datetime.date(2026, 12, 6))
        assert len(english_left(english, PROPER_NAMES)) > 5, script_id  # the check finds English where it is


@pytest.mark.django_db
def test_r_j8_the_national_services_page_is_in_welsh_for_a_welsh_reader_and_english_elsewhere(client, world):
    from tests.welsh import english_left

    sign_in(client, world.tom)
    english = client.get(reverse("advice:resources")).content.decode()
    assert "What it is for" in english and "Free, private support for anyone under 19" in english
    world.oakfield.nation = "wales"
    world.oakfield.save(update_fields=["nation"])
    world.tom.preferred_language = "cy"
    world.tom.save(update_fields=["preferred_language"])
    page = client.get(reverse("advice:resources")).content.decode()
    assert "Gwasanaethau cenedlaethol" in page and "Beth yw ei bwrpas" in page and "Yr heddlu" in page
    names = PROPER_NAMES + ("Oakfield Primary", world.tom.full_name, "Internet Watch Foundation (IWF)", "True Vision",
                            "ACT Early (Prevent)", "Prevent", "UK Safer Internet Centre", "Get Safe Online", "MASH",
                            "LADO", "Action Fraud", "Report Fraud", "Microsoft")
    left = english_left(page, names)
    assert left == [], "\n".join(left)

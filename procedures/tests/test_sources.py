"""J7: every element of every procedure definition names its source (document, edition, paragraph)."""

import pytest

from procedures import schema

ALL_FILES = sorted(p.stem for p in schema.DEFINITIONS_DIR.glob("*.toml"))


@pytest.mark.parametrize("procedure_id", ALL_FILES)
def test_every_element_of_each_definition_file_names_its_source_J7(procedure_id):
    assert schema.elements_without_source(schema.get(procedure_id)) == []


def test_a_source_needs_a_document_an_edition_and_a_paragraph_J7():
    definition = schema.get("cyberbullying")
    definition["tasks"][0]["source"] = {"document": "Keeping children safe in education", "edition": "2025"}
    problems = schema.validate(definition)
    assert len(problems) == 1 and "paragraph" in problems[0]


def test_a_source_with_an_unknown_key_is_refused_J7():
    definition = schema.get("cyberbullying")
    definition["advice"][0]["source"] = {"document": "A", "edition": "1", "paragraph": "2", "page": "3"}
    assert any("page" in p for p in schema.validate(definition))


def test_an_element_without_a_source_is_named_in_plain_words_J7():
    definition = schema.get("radicalisation")
    del definition["outcomes"][3]["source"]
    definition["tasks"][2]["source"] = None
    assert schema.elements_without_source(definition) == [
        "outcome 'prevent'", f"task {definition['tasks'][2]['id']!r}"]


def test_sources_name_real_documents_and_no_invented_numbers_J7():
    """Each of these five files cites only documents Harbour was built from (the seed policies) or public guidance,
    and names a section or heading, never a bare paragraph number nobody checked."""
    known = {"Keeping children safe in education", "Youth-Produced Sexual Imagery (YPSI) Policy",
             "School E-Safety Policy, Redscope Primary School", "Preventing and tackling bullying",
             "The Federation of St. James the Great and St. John's Catholic School on-line safety policy",
             "Meeting digital and technology standards in schools and colleges: filtering and monitoring standards"}
    for pid in ("cyberbullying", "filtering-breach", "online-hate", "radicalisation", "staff-allegation"):
        definition = schema.get(pid)
        for section in schema.ELEMENT_SECTIONS:
            for item in definition.get(section) or []:
                assert item["source"]["document"] in known, (pid, item)
                assert not item["source"]["paragraph"].isdigit(), (pid, item)


def test_a_source_reads_as_words_J7():
    assert schema.source_in_words({"document": "Keeping children safe in education", "edition": "2025",
                                   "paragraph": "135"}) == "Keeping children safe in education (2025), paragraph 135"
    assert schema.source_in_words({"document": "UKCIS", "edition": "2024", "paragraph": "section 2.7"}) == \
        "UKCIS (2024), section 2.7"
    assert schema.source_in_words(None) == ""


def test_with_sources_required_the_loader_refuses_an_element_without_one_J7(tmp_path, monkeypatch):
    monkeypatch.setattr(schema, "REQUIRE_SOURCES", True)
    text = (schema.DEFINITIONS_DIR / "cyberbullying.toml").read_text()
    assert schema.load_file(schema.DEFINITIONS_DIR / "cyberbullying.toml")["id"] == "cyberbullying"
    first = text.index("source = {")
    broken = text[:first] + text[text.index("\n", first) + 1:]
    (tmp_path / "cyberbullying.toml").write_text(broken)
    with pytest.raises(schema.ProcedureDefinitionError, match="every element must name its source.*"
                       "initial review question 'immediate_risk'"):
        schema.load_file(tmp_path / "cyberbullying.toml")


@pytest.mark.django_db
def test_the_procedure_page_says_where_its_questions_steps_and_links_come_from_J7(client, world):
    import html
    import re

    from django.urls import reverse

    from tests.people import sign_in

    sign_in(client, world.diana)
    page = re.sub(r"\s+", " ", html.unescape(client.get(reverse("procedures:detail", args=["staff-allegation"]))
                                            .content.decode()))
    assert "Where these steps come from" in page and "Why these links" in page
    assert "Keeping children safe in education (2025), Part four, section one: Record keeping" in page

"""The procedure pages and the "Adapt" forms: access ladders, saving versions, keeping typed input.

Procedures are data, overridable per school or trust (PROCEDURES.md, preamble).
"""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from procedures import schema, versions
from procedures.forms import due_field, text_field
from procedures.models import ProcedureOverride
from tests.people import sign_in

pytestmark = pytest.mark.django_db

NUDES = "nudes-sharing"
NUDES_V = schema.get(NUDES)["version"]  # the shipped version, which moves on
LIST = reverse("procedures:list")
DETAIL = reverse("procedures:detail", args=[NUDES])
ADAPT = reverse("procedures:adapt_school", args=[NUDES])
ADAPT_TRUST = reverse("procedures:adapt_trust", args=[NUDES])
ALL_URLS = [LIST, DETAIL, ADAPT, ADAPT_TRUST]


def form_data(definition, **changes):
    """What the browser sends for the form as first shown, with `changes` on top."""
    data = {"sign_off_roles": list(definition["sign_off_roles"]), "reason": "Agreed by the governing board"}
    for task in definition["tasks"]:
        if task.get("added_by") in (None, "trust"):
            data[text_field("tasks", task["id"])] = task["title"]
            due = task["due_after_minutes"]
            data[due_field(task["id"])] = "" if due is None else str(due / 60).removesuffix(".0")
    for key in ("initial_review_questions", "referral_criteria", "escalation_factors", "risk_questions"):
        for item in definition[key]:
            data[text_field(key, item["id"])] = item["text"]
    for item in definition["outcomes"]:
        data[text_field("outcomes", item["id"])] = item["label"]
    data.update(changes)
    return data


def shipped():
    return versions.shipped(NUDES)


def page(response):
    return response.content.decode()


def value_of(text, name):
    """The value an input named `name` shows (the textarea's content for the reason)."""
    if name == "reason":
        return re.search(r'<textarea[^>]*name="reason"[^>]*>(.*?)</textarea>', text, re.DOTALL).group(1).strip()
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', text).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


def checked(text, name, value):
    return any("checked" in tag for tag in re.findall(
        rf'<input[^>]*name="{re.escape(name)}"[^>]*value="{re.escape(value)}"[^>]*>', text))


# ---- the ladder --------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in ALL_URLS:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url
    assert not ProcedureOverride.objects.exists()


@pytest.mark.parametrize("person", ["tom", "gina", "hana", "adam"])
def test_roles_that_neither_read_cases_nor_manage_procedures_get_not_found(client, world, person):
    """Staff report; governors see numbers (G4); the administrator never reads cases; the head signs off."""
    sign_in(client, getattr(world, person))
    for url in ALL_URLS:
        assert client.get(url).status_code == 404, url
    assert client.post(ADAPT, form_data(shipped())).status_code == 404
    assert client.post(ADAPT_TRUST, form_data(shipped())).status_code == 404
    assert not ProcedureOverride.objects.exists()
    assert b"Procedures</a>" not in client.get(reverse("home")).content


def test_a_deputy_reads_the_procedures_but_cannot_adapt_them(client, world):
    sign_in(client, world.dev)
    assert client.get(LIST).status_code == 200
    detail = page(client.get(DETAIL))
    assert f"Sharing nudes and semi-nudes v{NUDES_V}" in detail and "Adapt for" not in detail
    assert client.get(ADAPT).status_code == 404 and client.get(ADAPT_TRUST).status_code == 404
    assert client.post(ADAPT, form_data(shipped())).status_code == 404
    assert not ProcedureOverride.objects.exists()
    assert 'href="/procedures/"' in page(client.get(reverse("home")))


def test_the_dsl_adapts_for_the_school_but_not_for_the_trust(client, world):
    sign_in(client, world.diana)
    detail = page(client.get(DETAIL))
    assert "Adapt for this school" in detail and "Adapt for the trust" not in detail
    assert client.get(ADAPT).status_code == 200
    assert client.get(ADAPT_TRUST).status_code == 404
    assert client.post(ADAPT_TRUST, form_data(shipped(), sign_off_roles=["dsl"])).status_code == 404
    response = client.post(ADAPT, form_data(shipped(), sign_off_roles=["dsl"]))
    assert response.status_code == 302 and response["Location"] == DETAIL
    row = ProcedureOverride.objects.get()
    assert (row.school, row.trust, row.version, row.changes) == (world.oakfield, None, 1, {"sign_off_roles": ["dsl"]})


@pytest.mark.parametrize("person", ["eve", "otto"])
def test_another_trusts_leads_never_see_or_change_oakfields_version(client, world, person):
    """The pages show the signed-in person's own school; Oakfield's changes are not reachable."""
    versions.save_override(user=world.diana, procedure_id=NUDES, school=world.oakfield, reason="Ours",
                           changes={"wording": {"B2.1": "Oakfield's own words for B2.1"}})
    user = getattr(world, person)
    sign_in(client, user)
    session = client.session
    session["harbour_school_id"] = world.oakfield.id  # trying to pick a school they do not belong to
    session.save()
    detail = page(client.get(DETAIL))
    assert "Elmtree High" in detail and "Oakfield" not in detail and "Brightwater" not in detail
    assert "Oakfield's own words" not in detail and "Oakfield's own words" not in page(client.get(LIST))
    if person == "otto":
        client.post(ADAPT_TRUST, form_data(shipped(), sign_off_roles=["dsl"]))
        assert ProcedureOverride.objects.get(trust__isnull=False).trust == world.other_trust
    else:
        assert client.get(ADAPT_TRUST).status_code == 404
        client.post(ADAPT, form_data(shipped(), sign_off_roles=["dsl"]))
        assert ProcedureOverride.objects.get(created_by=user).school == world.elmtree
    assert versions.effective_for(world.oakfield, NUDES)["sign_off_roles"] == ["headteacher", "trust_safeguarding_lead"]


def test_the_trust_lead_adapts_the_trust_and_each_of_its_schools(client, world):
    sign_in(client, world.lena)
    detail = page(client.get(DETAIL))
    assert "Adapt for this school" in detail and "Adapt for the trust" in detail
    client.post(ADAPT_TRUST, form_data(shipped(), sign_off_roles=["headteacher"]))
    trusts_version = versions.effective_for(world.oakfield, NUDES)
    client.post(ADAPT, form_data(trusts_version, **{due_field("immediate.2"): "0.5"}))
    client.post(reverse("schools:switch"), {"school": world.riverside.id})
    client.post(ADAPT, form_data(trusts_version, **{due_field("immediate.2"): "2"}))
    rows = {(r.trust_id, r.school_id): r.changes for r in ProcedureOverride.objects.all()}
    assert rows == {
        (world.trust.id, None): {"sign_off_roles": ["headteacher"]},
        (None, world.oakfield.id): {"task_due": {"immediate.2": 30}},
        (None, world.riverside.id): {"task_due": {"immediate.2": 120}},
    }
    assert versions.effective_for(world.riverside, NUDES)["pinned"]["label"] == (
        f"Sharing nudes and semi-nudes v{NUDES_V} · Brightwater Learning Trust v1 · Riverside Academy v1")


def test_an_unknown_procedure_is_not_found(client, world):
    sign_in(client, world.lena)
    for name in ("procedures:detail", "procedures:adapt_school", "procedures:adapt_trust"):
        assert client.get(reverse(name, args=["nope"])).status_code == 404


def test_showing_the_form_writes_nothing(client, world):
    sign_in(client, world.diana)
    before = AuditEvent.objects.count()
    client.get(ADAPT)
    assert AuditEvent.objects.count() == before and not ProcedureOverride.objects.exists()


# ---- what the pages show -----------------------------------------------------------


def test_the_list_shows_every_procedure_its_version_and_whether_adapted(client, world, django_assert_max_num_queries):
    versions.save_override(user=world.lena, procedure_id=NUDES, trust=world.trust, reason="Trust policy",
                           changes={"sign_off_roles": ["headteacher"]})
    versions.save_override(user=world.diana, procedure_id="cyberbullying", school=world.oakfield, reason="Undo",
                           changes={})
    sign_in(client, world.diana)
    client.get(LIST)
    # Overrides are read in one query, however many procedures have them.
    versions.save_override(user=world.diana, procedure_id="sextortion", school=world.oakfield, reason="r",
                           changes={"task_due": {"immediate.1": 5}})
    with django_assert_max_num_queries(12):
        text = page(client.get(LIST))
    assert text.count('href="/procedures/') == 12  # the 12 procedures (J1: misinformation); the home page links here
    assert f"Sharing nudes and semi-nudes v{NUDES_V} · Brightwater Learning Trust v1" in text
    assert f"Cyberbullying v{schema.get('cyberbullying')['version']} · Oakfield Primary v1" in text
    assert text.count("Adapted") == 2 and text.count("As shipped") == 10  # J1: 12; an undo is not one


def test_r_b6_r_e7_the_procedure_page_shows_the_differences_and_the_history(client, world):
    versions.save_override(user=world.lena, procedure_id=NUDES, trust=world.trust, reason="Trust board decision",
                           changes={"sign_off_roles": ["headteacher"]})
    versions.save_override(user=world.diana, procedure_id=NUDES, school=world.oakfield, reason="Our head asked",
                           changes={"task_due": {"immediate.2": 30}, "extra_tasks": [
                               {"phase": "short_term", "title": "Ring the school nurse", "due_after_minutes": 240}]})
    sign_in(client, world.dev)
    text = page(client.get(DETAIL))
    assert f"Sharing nudes and semi-nudes v{NUDES_V} · Brightwater Learning Trust v1 · Oakfield Primary v1" in text
    assert ("Sign-off for a decision not to refer: headteacher and trust safeguarding lead → headteacher only"
            in text)
    assert "due within 1 hour → within 30 minutes" in text
    assert "Extra task by the school, short term, due within 4 hours: Ring the school nurse" in text
    assert "Ring the school nurse (added by the school)" in text
    for expected in ("Brightwater Learning Trust v1", "Lena Lead", "Trust board decision",
                     "Oakfield Primary v1", "Diana Dsl", "Our head asked"):
        assert expected in text
    # The criterion by its words, never its number (issue 20.4)
    assert "a child in it is under 13." in text and "B2.4" not in text
    assert "Within 2 days" in text and "https://takeitdown.ncmec.org/" in text


def test_the_form_is_prefilled_with_the_version_in_force(client, world):
    versions.save_override(user=world.diana, procedure_id=NUDES, school=world.oakfield, reason="r", changes={
        "sign_off_roles": ["dsl"], "task_due": {"short_term.1": 90}, "wording": {"B2.5": "Violence is shown."},
        "extra_tasks": [{"phase": "ongoing", "title": "Weekly check-in"}]})
    sign_in(client, world.diana)
    text = page(client.get(ADAPT))
    assert checked(text, "sign_off_roles", "dsl") and not checked(text, "sign_off_roles", "headteacher")
    assert value_of(text, due_field("short_term.1")) == "1.5"
    assert value_of(text, due_field("short_term.2")) == "48"
    assert value_of(text, due_field("ongoing.1")) == ""
    assert value_of(text, text_field("referral_criteria", "B2.5")) == "Violence is shown."
    assert checked(text, "keep-extra-0", "on")
    assert "this will be version 2" in text


# ---- saving ------------------------------------------------------------------------


def test_r_e7_saving_keeps_only_what_differs_and_adds_an_extra_task(client, world):
    sign_in(client, world.diana)
    data = form_data(shipped(), **{
        due_field("immediate.4"): "12", due_field("ongoing.1"): "168",
        text_field("referral_criteria", "B2.1"): "  An adult is involved, or may be.  ",
        text_field("risk_questions", "ages"): "How old is each child?",
        "extra_phase": "short_term", "extra_title": "Tell the trust safeguarding lead", "extra_due": "4",
    })
    response = client.post(ADAPT, data)
    assert response.status_code == 302
    row = ProcedureOverride.objects.get()
    assert row.changes == {
        "task_due": {"immediate.4": 720, "ongoing.1": 10080},
        "wording": {"B2.1": "An adult is involved, or may be.", "ages": "How old is each child?"},
        "extra_tasks": [{"phase": "short_term", "title": "Tell the trust safeguarding lead", "rules": [],
                         "due_after_minutes": 240}],
    }
    assert row.reason == "Agreed by the governing board" and row.created_by == world.diana
    assert (
        AuditEvent.objects.filter(object_type="procedure_override", object_id=str(row.id), action="create").count() == 1
    )
    assert "now uses version 1" in page(client.get(DETAIL))

    # Version 2 keeps the extra task unless it is unticked; unticking removes it.
    effective = versions.effective_for(world.oakfield, NUDES)
    client.post(ADAPT, form_data(effective, **{"keep-extra-0": "on"}))
    client.post(ADAPT, form_data(effective))
    assert [len(r.changes.get("extra_tasks", [])) for r in ProcedureOverride.objects.order_by("version")] == [1, 1, 0]


def test_an_undo_saves_a_new_version_with_no_changes(client, world):
    versions.save_override(user=world.diana, procedure_id=NUDES, school=world.oakfield, reason="r",
                           changes={"sign_off_roles": ["dsl"]})
    sign_in(client, world.diana)
    client.post(ADAPT, form_data(shipped(), reason="Back to the trust's version"))
    latest = ProcedureOverride.objects.get(version=2)
    assert latest.changes == {} and latest.reason == "Back to the trust's version"
    assert "No differences" in page(client.get(DETAIL))


def test_the_form_keeps_everything_typed_when_there_is_a_problem(client, world):
    sign_in(client, world.diana)
    data = form_data(shipped(), **{
        "sign_off_roles": ["chair_of_governors"], "reason": "",
        due_field("immediate.2"): "soon", due_field("short_term.1"): "-3",
        text_field("referral_criteria", "B2.3"): "",
        text_field("outcomes", "refer"): "Refer to social care straight away",
        "extra_title": "Ring the nurse", "extra_due": "6",
    })
    response = client.post(ADAPT, data)
    assert response.status_code == 200
    text = page(response)
    assert text.startswith("<!DOCTYPE html>") and "<title>Error: Adapt" in text
    assert 'class="govuk-error-summary' in text
    summary = text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    hrefs = [f'href="#{due_field("immediate.2")}"', f'href="#{due_field("short_term.1")}"',
             f'href="#{text_field("referral_criteria", "B2.3")}"', 'href="#extra_phase"', 'href="#reason"']
    positions = [summary.index(h) for h in hrefs]
    assert positions == sorted(positions)  # in the order the page shows them
    assert "Enter a number of hours" in summary and "Choose the phase" in summary and "Say why" in summary
    assert value_of(text, due_field("immediate.2")) == "soon" and value_of(text, due_field("short_term.1")) == "-3"
    assert value_of(text, text_field("referral_criteria", "B2.3")) == ""
    assert value_of(text, text_field("outcomes", "refer")) == "Refer to social care straight away"
    assert value_of(text, "extra_title") == "Ring the nurse" and value_of(text, "extra_due") == "6"
    assert checked(text, "sign_off_roles", "chair_of_governors") and not checked(text, "sign_off_roles", "headteacher")
    assert not ProcedureOverride.objects.exists()


def test_r_b6_no_sign_off_role_is_refused(client, world):
    sign_in(client, world.diana)
    data = form_data(shipped())
    del data["sign_off_roles"]
    text = page(client.post(ADAPT, data))
    assert 'href="#sign_off_roles"' in text and "Choose at least one role" in text
    assert value_of(text, "reason") == "Agreed by the governing board"  # the reason typed is kept
    assert not ProcedureOverride.objects.exists()


def test_a_role_that_cannot_sign_off_is_refused(client, world):
    sign_in(client, world.diana)
    text = page(client.post(ADAPT, form_data(shipped(), sign_off_roles=["staff"])))
    assert "Choose roles from the list" in text and not ProcedureOverride.objects.exists()


def test_r_b14_b15_f8_the_procedure_page_shows_what_the_kind_implies_and_requires(client, world):
    sign_in(client, world.diana)
    sextortion = page(client.get(reverse("procedures:detail", args=["sextortion"])))
    assert "What this kind of incident implies and requires" in sextortion
    assert "Sextortion is blackmail" in sextortion and "No school or trust can remove this." in sextortion
    assert "The trust or school may choose not to pre-answer it" in sextortion  # intent to harm
    assert "The police</strong>" in sextortion
    staff = page(client.get(reverse("procedures:detail", args=["staff-allegation"])))
    assert "The LADO</strong>, within 1 working day" in staff and "Do not investigate" in staff
    assert "A decision not to refer, with the reason, also settles it." in staff  # Prevent
    assert "when the answer is yes to: Is the concern that this member of staff is being radicalised" in staff
    assert "What this kind of incident implies" not in page(client.get(reverse("procedures:detail",
                                                                                 args=["cyberbullying"])))

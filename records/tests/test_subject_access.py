"""Subject access (H6): everything held about a pupil, a carer or a member of staff, with third parties'
names taken out, reviewed on screen, exported as PDF and JSON, released; every step audited (H2)."""

import json
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases import actions as case_actions
from cases.tests.helpers import make_case
from evidence import actions as evidence_actions
from records.models import SubjectAccessRelease
from schools.models import Carer, PupilCarer
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world):
    """Quentin (pictured) and Zara (sent it); Quentin's mother Mrs Pennyroyal; Tom reported it."""
    zara = make_pupil(world.oakfield, "Zara", "Fenwick-Hollis", "A999000000031", date_of_birth=date(2011, 1, 2))
    mum = Carer.objects.create(school=world.oakfield, title="Mrs", first_name="Petra", last_name="Pennyroyal",
                               email="petra@example.com")
    PupilCarer.objects.create(pupil=world.pupil, carer=mum, relationship="Mother")
    case = make_case(world, children=[(world.pupil, "pictured"), (zara, "sent")],
                     account="Quentin said ZARA fenwick-hollis sent the photo; Zara's friend Ollie saw it too. "
                             "Tom Teacher took the phone.")
    case_actions.add_note(user=world.diana, case=case, text="Rang Mrs Pennyroyal; she will talk to Quentin tonight.")
    evidence_actions.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=True,
                                           informed_at=case.opened_at, how="Phone call with Petra Pennyroyal",
                                           child_involvement="Quentin chose to be there", agreed_with="", reason="")
    evidence_actions.record_parent_contact(user=world.diana, case=case, pupil=zara, informed=True,
                                           informed_at=case.opened_at, how="Zara's father came in",
                                           child_involvement="", agreed_with="", reason="")
    evidence_actions.record_evidence(user=world.diana, case=case, kind="account", value="@zara_f_h",
                                     platform="Snapchat", description="Zara's account that sent it.")
    case_actions.record_referral(user=world.diana, case=case, agency="csc", route="phone", made_at=case.opened_at,
                                 notes="Spoke about Quentin and Zara Fenwick-Hollis.")
    return {"case": case, "zara": zara, "mum": mum}


def main(page):
    """The page's main content: the signed-in person's own name is in the header."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def preview(kind, subject_id):
    return reverse("records:subject_access_preview", args=[kind, subject_id])


def test_access_ladder(client, world, story):
    pages = [reverse("records:subject_access"), preview("pupil", world.pupil.id), preview("carer", story["mum"].id),
             reverse("records:subject_access_download", args=["pupil", world.pupil.id, "pdf"]),
             reverse("records:subject_access_download", args=["pupil", world.pupil.id, "json"])]
    release = reverse("records:subject_access_release", args=["pupil", world.pupil.id])
    for url in pages + [release]:
        assert client.get(url)["Location"].startswith(reverse("accounts:login")), url
    for stranger in (world.eve, world.otto):  # their current school is Elmtree: Oakfield's people are not there
        sign_in(client, stranger)
        for url in pages[1:]:
            assert client.get(url).status_code == 404, (stranger, url)
    for stranger in (world.dev, world.tom, world.gina, world.carol, world.adam, world.terry):
        sign_in(client, stranger)
        for url in pages:
            assert client.get(url).status_code == 404, (stranger, url)
        assert client.post(release, {"method": "post"}).status_code == 404
    for insider in (world.diana, world.hana, world.lena):
        sign_in(client, insider)
        for url in pages:
            assert client.get(url).status_code == 200, (insider, url)


def test_r_h6_staff_exports_are_for_those_who_see_allegations_and_never_about_yourself(client, world, story):
    url = preview("staff", world.tom.id)
    sign_in(client, world.diana)
    assert client.get(url).status_code == 404  # the DSL team never sees allegations (A4)
    sign_in(client, world.hana)
    assert client.get(url).status_code == 200
    assert client.get(preview("staff", world.hana.id)).status_code == 404
    assert client.get(preview("staff", world.eve.id)).status_code == 404  # not at this school
    assert client.get(preview("pupil", world.elm_pupil.id)).status_code == 404
    assert client.get(preview("nobody", world.pupil.id)).status_code == 404


def test_r_h6_a_pupils_export_holds_their_record_and_case_with_others_redacted(client, world, story,
                                                                               django_assert_max_num_queries):
    sign_in(client, world.diana)
    with django_assert_max_num_queries(31):  # 31 on PostgreSQL since the takedown records (J5), one query
        page = main(client.get(preview("pupil", world.pupil.id)).content.decode())
    assert "Review the export for Quentin Puddlewick" in page
    assert "A999000000001" in page and "2012-05-04" in page  # their own record
    assert "Quentin said [another child] sent the photo" in page
    assert "[another child]&#39;s friend Ollie" in page  # "Ollie" is not known to Harbour: the reviewer must see it
    assert "Rang [an adult]; she will talk to Quentin tonight." in page  # "Mrs Pennyroyal": the title goes too
    assert "Phone call with [an adult]" in page  # what their own parents were told
    for secret in ("Zara", "Fenwick", "Pennyroyal", "Petra"):
        assert secret not in page, secret
    # Staff acting in their role stay named (records/people.py says why).
    assert "Tom Teacher took the phone" in page and "Diana Dsl" in page
    assert AuditEvent.objects.filter(action="view", object_type="subject_access",
                                     object_id=f"pupil:{world.pupil.id}", detail__stage="preview").exists()


def test_r_h6_the_pdf_and_json_hold_the_same_redacted_export_and_are_audited(client, world, story, tmp_path):
    sign_in(client, world.diana)
    response = client.get(reverse("records:subject_access_download", args=["pupil", world.pupil.id, "json"]))
    assert response["Content-Type"].startswith("application/json") and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["about"] == {"kind": "pupil", "name": "Quentin Puddlewick"}
    assert data["sections"]["person"][0]["unique_pupil_number"] == "A999000000001"
    assert data["sections"]["concerns"][0]["their_role"] == "Pictured in the imagery"
    assert any("[another child]" in c["account"] for c in data["sections"]["concerns"])
    # What another child's parents were told is not theirs; the case chronology is, redacted.
    assert [p["how"] for p in data["sections"]["parents_told"]] == ["Phone call with [an adult]"]
    assert any("[another child]'s father came in" in e["text"] for e in data["sections"]["chronology"])
    assert "Zara" not in response.content.decode() and "Pennyroyal" not in response.content.decode()

    pdf = client.get(reverse("records:subject_access_download", args=["pupil", world.pupil.id, "pdf"])).content
    assert pdf.startswith(b"%PDF-")
    (tmp_path / "export.pdf").write_bytes(pdf)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "export.pdf"), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert "What we hold about Quentin Puddlewick" in text and "[another child] sent the photo" in text
    assert "Zara" not in text and "Pennyroyal" not in text and "Tom Teacher took the phone" in text
    stages = set(AuditEvent.objects.filter(object_type="subject_access", action="export")
                 .values_list("detail__stage", flat=True))
    assert stages == {"export_pdf", "export_json"}
    assert client.get(reverse("records:subject_access_download", args=["pupil", world.pupil.id, "exe"])
                      ).status_code == 404


def test_r_h6_j5_a_pupils_export_holds_their_own_takedown_records_and_never_another_childs(client, world, story):
    from cases.actions.takedown import record_takedown
    from records.subject_access import build_export

    case, zara = story["case"], story["zara"]
    record_takedown(user=world.diana, case=case, pupil=world.pupil, service="report_remove", choice="undecided")
    record_takedown(user=world.dev, case=case, pupil=world.pupil, service="report_remove", choice="wants_help",
                    outcome="removed", notes="Did it with Petra Pennyroyal at home; Zara Fenwick-Hollis was told.")
    record_takedown(user=world.diana, case=case, pupil=zara, service="take_it_down", choice="does_not",
                    notes="Zara's own choice, for now.")
    sign_in(client, world.diana)
    data = json.loads(client.get(reverse("records:subject_access_download", args=["pupil", world.pupil.id, "json"]))
                      .content)
    rows = data["sections"]["takedowns"]
    assert [(r["offered"], r["their_choice"], r["outcome"]) for r in rows] == [
        ("Report Remove (Childline and the Internet Watch Foundation)", "Not decided yet", "Not known yet"),
        ("Report Remove (Childline and the Internet Watch Foundation)", "Wants help to use it", "Removed")]
    assert rows[1]["case"] == case.reference and rows[1]["by"] == "Dev Deputy"
    assert rows[1]["notes"] == "Did it with [an adult] at home; [another child] was told."  # others' names out
    assert "own choice, for now" not in json.dumps(rows)  # Zara's record is hers (the case's chronology says it
    # happened, redacted, as it says all else in the case)
    # The page reviewed and the printed export show the same section.
    page = main(client.get(preview("pupil", world.pupil.id)).content.decode())
    assert "Help to have images removed online (Report Remove, Take It Down)" in page and "Wants help to use it" in page
    printed = build_export(world.diana, world.oakfield, "pupil", world.pupil.id).html(printed_by="Diana Dsl")
    assert "Help to have images removed online" in printed and "Wants help to use it" in printed
    # Zara's own export holds hers alone.
    theirs = build_export(world.diana, world.oakfield, "pupil", zara.id).data["sections"]["takedowns"]
    assert [(r["offered"], r["their_choice"]) for r in theirs] == [("Take It Down", "Does not want to use it")]


def test_r_h6_release_is_recorded_only_for_the_version_that_was_reviewed(client, world, story):
    sign_in(client, world.diana)
    page = client.get(preview("pupil", world.pupil.id)).content.decode()
    sha = page.split('name="sha256" value="')[1].split('"')[0]
    url = reverse("records:subject_access_release", args=["pupil", world.pupil.id])
    assert "Say how" in client.post(url, {"sha256": sha}).content.decode()
    case_actions.add_note(user=world.diana, case=story["case"], text="A new note after the review.")
    assert "changed since you reviewed" in client.post(url, {"sha256": sha, "method": "in_person"}).content.decode()
    assert not SubjectAccessRelease.objects.exists()
    page = client.get(preview("pupil", world.pupil.id)).content.decode()
    sha = page.split('name="sha256" value="')[1].split('"')[0]
    assert client.post(url, {"sha256": sha, "method": "in_person"}).status_code == 302
    release = SubjectAccessRelease.objects.get()
    assert release.sha256 == sha and release.released_by == world.diana
    assert AuditEvent.objects.filter(object_type="subject_access", detail__stage="released").exists()
    assert "This version" in client.get(preview("pupil", world.pupil.id)).content.decode()


def test_r_h6_a_carers_export_holds_their_contact_record_and_what_names_them(client, world, story):
    sign_in(client, world.diana)
    page = client.get(preview("carer", story["mum"].id)).content.decode()
    assert "Petra Pennyroyal" in page and "petra@example.com" in page
    assert "Mother" in page and "Phone call with Petra Pennyroyal" in page
    assert "Rang Mrs Pennyroyal; she will talk to [another child] tonight." in page
    assert "Quentin" not in page and "Zara" not in page and "father came in" not in page


def test_r_h6_a_staff_export_holds_allegations_about_them_and_what_they_reported(client, world, story):
    allegation = make_case(world, "staff-allegation", subject_staff=world.tom, reporter=world.dev,
                           account="Dev Deputy saw Tom Teacher message Quentin Puddlewick privately.")
    sign_in(client, world.hana)
    page = main(client.get(preview("staff", world.tom.id)).content.decode())
    assert "Concerns about them" in page and allegation.reference in page
    assert "[an adult] saw Tom Teacher message [another child] privately." in page
    assert "Concerns they reported" in page and "Tom Teacher took the phone" in page
    assert "Quentin" not in page and "Dev Deputy" not in page


def test_r_h6_records_the_preparer_may_not_see_are_counted_not_shown(client, world, story):
    make_case(world, "staff-allegation", subject_staff=world.tom, children=[(world.pupil, "harmed")],
              account="Tom Teacher shouted at Quentin in the corridor.")
    sign_in(client, world.diana)
    page = client.get(preview("pupil", world.pupil.id)).content.decode()
    assert "shouted" not in page and "1 record about this person is held where you cannot see them" in page


def test_the_search_finds_pupils_carers_and_staff_for_those_allowed(client, world, story):
    sign_in(client, world.diana)
    page = client.post(reverse("records:subject_access"), {"q": "Pen"}, follow=True).content.decode()
    assert "Petra Pennyroyal" in page
    search = reverse("records:subject_access")
    assert "Tom Teacher" not in client.post(search, {"q": "Tom"}, follow=True).content.decode()
    sign_in(client, world.hana)
    assert "Tom Teacher" in client.post(search, {"q": "Tom"}, follow=True).content.decode()
    assert AuditEvent.objects.filter(object_type="subject_access_search").count() == 3

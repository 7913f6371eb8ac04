"""H5, H6: names are redacted by who they belong to, when staff and pupils share surnames and first names.

Oakfield's DSL is Priya Marlowe. Ben Marlowe is a pupil (not on the case) who shares her surname; Priya Okafor
is the other child on the case, who shares her first name; Tom Okafor, the teacher who reported it, shares
Priya Okafor's surname. Before, the transfer file said "[another child] [another child]" for the DSL and
"Mrs [another child]" where the child told her.
"""

import json
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import actions as case_actions
from cases.tests.helpers import make_case
from records.redaction import ADULT, CHILD
from schools.models import Carer, PupilCarer
from tests.people import make_pupil, make_user, sign_in
from transfers import actions as transfers

pytestmark = pytest.mark.django_db

ACCOUNT = "Priya Okafor sent Quentin the photo. Quentin showed Mrs Marlowe at break. Mr Okafor took Priya's phone."
NOTE = "Spoke to Quentin with Tom Okafor. Ben Marlowe was not involved. Marlowe rang Mrs Puddlewick."


@pytest.fixture
def shared(world):
    priya_dsl = make_user("priya@oakfield.example", "Priya Marlowe", school=world.oakfield, role="dsl")
    tom = make_user("tom.okafor@oakfield.example", "Tom Okafor", school=world.oakfield, role="staff",
                    with_device=False)
    make_pupil(world.oakfield, "Ben", "Marlowe", "A999000000041")
    priya_child = make_pupil(world.oakfield, "Priya", "Okafor", "A999000000042")
    mum = Carer.objects.create(school=world.oakfield, title="Mrs", first_name="Petra", last_name="Puddlewick")
    PupilCarer.objects.create(pupil=world.pupil, carer=mum, relationship="Mother")
    case = make_case(world, children=[(world.pupil, "pictured"), (priya_child, "sent")], reporter=tom,
                     account=ACCOUNT, by=priya_dsl)
    case_actions.add_note(user=priya_dsl, case=case, text=NOTE)
    return case


def words(text):
    return " ".join(text.split())


def assert_redacted_by_identity(text):
    # The DSL and the teacher acting in their role keep their names, full or with a title.
    assert "Priya Marlowe" in text  # the chronology's "by", and who opened the case
    assert "Quentin showed Mrs Marlowe at break." in text
    assert f"Mr Okafor took {CHILD}'s phone." in text
    assert "Spoke to Quentin with Tom Okafor." in text
    # The other child, by full name, first name or the surname only she has on this case.
    assert f"{CHILD} sent Quentin the photo." in text
    assert "Priya Okafor" not in text
    # A pupil not on the case is still taken out by full name, but his surname alone is not a pupil's to take.
    assert f"{CHILD} was not involved." in text and "Ben" not in text
    assert "Marlowe rang " in text


def test_r_h5_the_transfer_pdf_redacts_by_who_a_name_belongs_to(client, world, shared, tmp_path):
    transfer = transfers.start_transfer(user=world.diana, pupil=world.pupil, to="other:St Elsewhere Primary",
                                        started_on=timezone.localdate(), sent_how="Egress to their DSL")
    sign_in(client, world.diana)  # printed by someone else, so the DSL's name can only come from the file
    pdf = client.get(reverse("transfers:pdf", args=[transfer.id])).content
    (tmp_path / "file.pdf").write_bytes(pdf)
    text = words(subprocess.run(["pdftotext", str(tmp_path / "file.pdf"), "-"], check=True, capture_output=True,
                                text=True).stdout)
    assert_redacted_by_identity(text)
    assert "Marlowe rang Mrs Puddlewick." in text  # the new school works with the child's own family


def test_r_h5_the_package_holds_the_same_redacted_file(world, shared):
    file = json.dumps(transfers.build_file(world.pupil))
    assert_redacted_by_identity(words(file.replace("\\n", " ")))
    assert "Marlowe rang Mrs Puddlewick." in file


def test_r_h6_the_subject_access_export_redacts_by_who_a_name_belongs_to(client, world, shared):
    sign_in(client, world.diana)
    response = client.get(reverse("records:subject_access_download", args=["pupil", world.pupil.id, "json"]))
    text = words(response.content.decode())
    assert_redacted_by_identity(text)
    assert f"Marlowe rang {ADULT}." in text  # a parent is a third party in the child's own export
    page = words(client.get(reverse("records:subject_access_preview", args=["pupil", world.pupil.id])
                            ).content.decode().replace("&#39;", "'"))
    assert_redacted_by_identity(page)


def test_r_h6_a_colleague_is_a_third_party_in_a_member_of_staffs_own_export(client, world, shared):
    """In Tom Okafor's own export the DSL is a colleague, not someone acting towards him in a professional role
    he may know of: her name is taken out, and the child's first name still is."""
    sign_in(client, world.hana)
    tom = shared.concerns.get().reported_by
    text = words(client.get(reverse("records:subject_access_download", args=["staff", tom.id, "json"])
                            ).content.decode())
    assert "Tom Okafor" in text
    assert f"{CHILD} sent {CHILD} the photo." in text
    assert f"{CHILD} showed {ADULT} at break." in text and "Priya Marlowe" not in text

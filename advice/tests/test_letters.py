"""Printed letters and leaflets: in the school's name, never with the child's surname."""

import re
import subprocess

import pytest
from django.urls import reverse

from advice import versions
from advice.casework import letter_html
from cases.tests.helpers import make_case
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def get_letter(client, world, case, script_id):
    sign_in(client, world.diana)
    response = client.get(reverse("advice:letter", args=[case.id, script_id, world.pupil.id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_r_d4_a_parent_letter_is_in_the_schools_name_uses_the_first_name_and_never_the_surname(client, world,
                                                                                            tmp_path):
    case = make_case(world)  # Quentin Puddlewick, pictured
    pdf = get_letter(client, world, case, "imagery-shared-parent")
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Oakfield Primary" in text
    assert "Dear parent or carer" in text
    assert "Quentin" in text
    assert "Puddlewick" not in text
    assert "do not look at the image" in text
    assert "Report Remove" in text and "0800 1111" in text
    assert "Diana Dsl" in text

    # It renders to an image, so it will print.
    (tmp_path / "letter.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(tmp_path / "letter.pdf"),
                    str(tmp_path / "page")], check=True)
    [image] = list(tmp_path.glob("page*.png"))
    assert image.stat().st_size > 1000


def test_a_preferred_first_name_is_used_and_no_surname_legal_or_preferred_appears(client, world, tmp_path):
    world.pupil.preferred_first_name = "Quinn"
    world.pupil.preferred_last_name = "Marlowe"
    world.pupil.save()
    case = make_case(world)
    text = pdf_text(get_letter(client, world, case, "imagery-shared-parent"), tmp_path)
    assert "Quinn" in text
    assert "Quentin" not in text and "Puddlewick" not in text and "Marlowe" not in text


def test_r_d3_the_childs_leaflet_names_no_one(client, world, tmp_path):
    case = make_case(world)
    text = " ".join(pdf_text(get_letter(client, world, case, "imagery-shared-child"), tmp_path).split())
    assert "Oakfield Primary" in text and "If a picture or video of you has been taken or shared" in text
    assert "Quentin" not in text and "Puddlewick" not in text
    assert "Dear parent" not in text and "Diana" not in text


def test_r_e6_the_sextortion_letter_carries_the_nca_advice(client, world, tmp_path):
    case = make_case(world, "sextortion", children=[(world.pupil, "pictured")])
    text = " ".join(pdf_text(get_letter(client, world, case, "sextortion-parent"), tmp_path).split())
    assert "Do not pay" in text and "Do not delete anything" in text and "CEOP" in text


def test_the_letter_uses_the_schools_own_wording_and_says_which_version(client, world, tmp_path):
    versions.save_advice_override(user=world.diana, school=world.oakfield, script_id="imagery-shared-parent",
                                  paragraphs=["Mrs Patel will ring you on Monday."], reason="Name our contact.")
    case = make_case(world)
    text = " ".join(pdf_text(get_letter(client, world, case, "imagery-shared-parent"), tmp_path).split())
    assert "Mrs Patel will ring you on Monday." in text
    assert "Oakfield Primary v1" in text


def test_the_letter_html_holds_its_own_styles_and_links_to_nothing_it_would_fetch(world):
    from datetime import date

    script = versions.effective_script(world.oakfield, "received-parent")
    html = letter_html(script=script, school=world.oakfield, pupil=world.pupil, signed_by=world.diana,
                       today=date(2026, 3, 3))
    assert "<style>" in html and "<link" not in html and "<img" not in html and "src=" not in html
    assert "3 March 2026" in html


def test_a_parent_letter_carries_the_schools_address_telephone_contact_and_the_signatorys_job_title(client, world,
                                                                                               tmp_path):
    """Issue 20.9: a letter that says "contact us" says how, and who signed it in what role."""
    from accounts.models import Membership

    world.oakfield.address = "Oakfield Lane\nBrightwater\nBW1 4OK"
    world.oakfield.phone = "01632 960101"
    world.oakfield.safeguarding_contact = "Diana Dsl, designated safeguarding lead"
    world.oakfield.safeguarding_phone = "01632 960102"
    world.oakfield.save()
    Membership.objects.filter(user=world.diana, school=world.oakfield).update(job_title="Assistant head (pastoral)")
    case = make_case(world)
    text = " ".join(pdf_text(get_letter(client, world, case, "imagery-shared-parent"), tmp_path).split())
    assert "Oakfield Lane Brightwater BW1 4OK" in text and "Telephone: 01632 960101" in text
    assert "contact Diana Dsl, designated safeguarding lead on 01632 960102" in text
    assert "Yours sincerely, Diana Dsl Assistant head (pastoral) Oakfield Primary" in text
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b", text) and not re.search(r"\d{4}-\d\d-\d\d", text)


def test_a_letter_without_school_details_leaves_those_lines_out_and_names_the_role(client, world, tmp_path):
    case = make_case(world)
    text = " ".join(pdf_text(get_letter(client, world, case, "imagery-shared-parent"), tmp_path).split())
    assert "Telephone:" not in text and "contact None" not in text
    assert "Diana Dsl Designated safeguarding lead Oakfield Primary" in text  # the role, when no job title is set


def test_no_page_of_a_parent_letter_holds_only_the_signature(world, tmp_path):
    """Issue 20.9: for every parent letter, the page with the signature also holds the words before it."""
    from advice.casework import letter_pdf

    world.oakfield.safeguarding_contact = "Diana Dsl, designated safeguarding lead"
    world.oakfield.phone = "01632 960101"
    world.oakfield.address = "Oakfield Lane\nBrightwater\nBW1 4OK"
    world.oakfield.save()
    path = tmp_path / "letter.pdf"
    parents = [script for script in versions.effective_all(world.oakfield).values() if script["audience"] == "parent"]
    assert len(parents) >= 5
    for script in parents:
        path.write_bytes(letter_pdf(script=script, school=world.oakfield, pupil=world.pupil, signed_by=world.diana))
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                                   text=True).stdout).group(1))
        signed = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True,
                                 text=True).stdout for n in range(1, pages + 1)]
        [page] = [p for p in signed if "Yours sincerely" in p]
        before = page.split("Yours sincerely")[0]
        assert "If you are worried" in before and len(before.split()) > 20, (script["id"], page)


def _carer(world, title, first, last, *, responsibility=True, priority=1):
    from schools.models import Carer, PupilCarer

    carer = Carer.objects.create(school=world.oakfield, title=title, first_name=first, last_name=last)
    PupilCarer.objects.create(pupil=world.pupil, carer=carer, relationship="Parent",
                              has_parental_responsibility=responsibility, contact_priority=priority)
    return carer


def _greeting(world, script_id="imagery-shared-parent"):
    from datetime import date

    script = versions.effective_script(world.oakfield, script_id)
    page = letter_html(script=script, school=world.oakfield, pupil=world.pupil, signed_by=world.diana,
                       today=date(2026, 3, 3))
    return re.search(r"<p>(Dear [^<]*)</p>", page).group(1)


def test_r_d4_without_contacts_the_parent_letter_opens_dear_parent_or_carer(world):
    assert _greeting(world) == "Dear parent or carer,"


def test_r_d4_a_contact_without_parental_responsibility_is_not_greeted(world):
    _carer(world, "Mr", "Ravi", "Okonjo", responsibility=False)
    assert _greeting(world) == "Dear parent or carer,"


def test_r_d4_the_letter_opens_to_the_carer_the_school_holds_by_title_and_surname(world):
    _carer(world, "Ms", "Jo", "Puddlewick")
    assert _greeting(world) == "Dear Ms Puddlewick,"


def test_r_d4_several_carers_are_each_named_in_contact_order(world):
    _carer(world, "Mrs", "Ann", "Puddlewick", priority=1)
    _carer(world, "Mr", "Ben", "Puddlewick", priority=2)
    assert _greeting(world) == "Dear Mrs and Mr Puddlewick,"


def test_r_d4_carers_with_different_surnames_or_no_title_are_named_in_full(world):
    _carer(world, "Ms", "Jo", "Puddlewick", priority=1)
    _carer(world, "", "Sam", "Okonjo", priority=2)
    assert _greeting(world) == "Dear Ms Puddlewick and Sam Okonjo,"


def test_r_d4_the_childs_own_leaflet_greets_no_one(world):
    from datetime import date

    _carer(world, "Ms", "Jo", "Puddlewick")
    script = versions.effective_script(world.oakfield, "imagery-shared-child")
    page = letter_html(script=script, school=world.oakfield, pupil=world.pupil, signed_by=world.diana,
                       today=date(2026, 3, 3))
    assert "Dear" not in page and "Puddlewick" not in page

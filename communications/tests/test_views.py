"""The message pages on a case (E2): an access ladder for every view (H3: only the team that runs the case; everyone
else the 404 of a missing case), adapting and recording a message, reading it, printing it, and the case page's
section (H2: reads and prints are audited)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.tests.helpers import make_case
from communications.models import Communication
from communications.tests.test_record import filled, record
from lib.dates import DATETIME_LOCAL
from tests.people import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world, "sextortion")


@pytest.fixture
def message(world, case):
    return record(world, case)


def pages(case, message):
    return {
        "case": reverse("communications:case", args=[case.id]),
        "new": reverse("communications:new", args=[case.id, "sextortion-staff"]),
        "detail": reverse("communications:detail", args=[case.id, message.id]),
        "pdf": reverse("communications:pdf", args=[case.id, message.id]),
    }


def posted(**changes):
    return {"title": "Staff briefing, Monday", "text": filled("sextortion-staff"), "approved_by_name": "Hana Head",
            "approved_by_role": "Headteacher",
            "approved_at": timezone.localtime(timezone.now() - timedelta(minutes=30)).strftime(DATETIME_LOCAL),
            "police_consulted": "yes", "police_contact": "DC Rivers", **changes}


# ---- the access ladder ---------------------------------------------------------------------

def test_r_h3_anonymous_is_sent_to_sign_in_from_every_page(client, case, message):
    for name, url in pages(case, message).items():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("person", ["eve", "otto"])
def test_r_h3_another_schools_dsl_gets_the_404_of_a_missing_case(client, world, case, message, person):
    sign_in(client, getattr(world, person))
    for name, url in pages(case, message).items():
        assert client.get(url).status_code == 404, name
    assert client.post(pages(case, message)["new"], posted()).status_code == 404


@pytest.mark.parametrize("person", ["tom", "gina", "terry", "carol", "hana", "adam"])
def test_r_h3_people_at_the_school_who_do_not_run_the_case_get_404(client, world, case, message, person):
    sign_in(client, getattr(world, person))
    for name, url in pages(case, message).items():
        assert client.get(url).status_code == 404, (person, name)
    assert client.post(pages(case, message)["new"], posted()).status_code == 404
    assert Communication.objects.count() == 1


@pytest.mark.parametrize("person", ["diana", "dev", "lena"])
def test_r_h3_the_team_that_runs_the_case_reaches_every_page(client, world, case, message, person):
    sign_in(client, getattr(world, person))
    for name, url in pages(case, message).items():
        assert client.get(url).status_code == 200, (person, name)


def test_r_h3_a_missing_message_or_a_message_of_another_case_is_404(client, world, case, message):
    other = make_case(world, "sextortion")
    sign_in(client, world.diana)
    assert client.get(reverse("communications:detail", args=[case.id, 987654])).status_code == 404
    assert client.get(reverse("communications:detail", args=[other.id, message.id])).status_code == 404
    assert client.get(reverse("communications:pdf", args=[other.id, message.id])).status_code == 404


def test_r_e2_a_message_the_kind_does_not_offer_is_404(client, world, case):
    sign_in(client, world.diana)
    for template in ("online-abuse-staff", "no-such-message"):
        assert client.get(reverse("communications:new", args=[case.id, template])).status_code == 404


# ---- adapting and recording ----------------------------------------------------------------

def test_r_e2_the_dsl_starts_from_the_prepared_words_and_records_the_approved_message(client, world, case):
    sign_in(client, world.diana)
    listing = client.get(reverse("communications:case", args=[case.id])).content.decode()
    for audience in ("staff", "parents", "pupils"):
        assert reverse("communications:new", args=[case.id, f"sextortion-{audience}"]) in listing
    form = client.get(reverse("communications:new", args=[case.id, "sextortion-staff"])).content.decode()
    assert "Staff briefing: pupils are being targeted by online blackmail" in form and "What we know" in form
    response = client.post(reverse("communications:new", args=[case.id, "sextortion-staff"]), posted())
    message = Communication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("communications:detail",
                                                                          args=[case.id, message.id])
    assert (message.audience, message.title, message.approved_by_role) == ("staff", "Staff briefing, Monday",
                                                                          "Headteacher")
    page = client.get(response["Location"]).content.decode()
    assert "Harbour does not send this message" in page and "Hana Head (Headteacher)" in page
    assert "Agreed with them (DC Rivers)" in page and 'data-copy-from="message-text"' in page


def test_r_e2_what_was_typed_comes_back_with_each_problem_beside_its_box(client, world, case):
    sign_in(client, world.diana)
    typed = "Staff: please be alert. [Add the police's advice.]"
    response = client.post(reverse("communications:new", args=[case.id, "sextortion-staff"]),
                           posted(text=typed, approved_by_role="", police_consulted="no", police_contact=""))
    page = response.content.decode()
    assert response.status_code == 200 and not Communication.objects.exists()
    assert "Fill in or take out each part in square brackets: [Add the police&#39;s advice.]" in page
    assert "Say the role of the person who approved it" in page and "Say why the police were not consulted." in page
    assert "Staff: please be alert." in page and 'href="#approved_by_role"' in page


def test_r_a3_a_picture_written_as_text_is_refused_and_the_rest_kept(client, world, case):
    sign_in(client, world.diana)
    response = client.post(reverse("communications:new", args=[case.id, "sextortion-staff"]),
                           posted(text="Please read this.\n\ndata:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="))
    page = response.content.decode()
    assert response.status_code == 200 and not Communication.objects.exists()
    assert "iVBORw0KGgo" not in page and "Please read this." in page and "Hana Head" in page


def test_a_closed_case_lists_its_messages_but_offers_no_new_one(client, world):
    from records.tests.helpers import work_and_close

    bullying = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    record(world, bullying, template_id="online-abuse-parents", text=filled("online-abuse-parents"))
    work_and_close(bullying, world.diana)
    sign_in(client, world.diana)
    listing = client.get(reverse("communications:case", args=[bullying.id])).content.decode()
    assert "Letter to all parents" in listing and "This case is closed" in listing
    assert reverse("communications:new", args=[bullying.id, "online-abuse-parents"]) not in listing
    response = client.get(reverse("communications:new", args=[bullying.id, "online-abuse-parents"]))
    assert response.status_code == 302 and response["Location"] == reverse("communications:case", args=[bullying.id])


# ---- reading and printing ------------------------------------------------------------------

def test_r_h2_reading_and_printing_a_message_are_audited(client, world, case, message):
    sign_in(client, world.diana)
    client.get(reverse("communications:detail", args=[case.id, message.id]))
    response = client.get(reverse("communications:pdf", args=[case.id, message.id]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'inline; filename="message-parents.pdf"'
    events = AuditEvent.objects.filter(object_type="communication", object_id=str(message.id))
    assert set(events.values_list("action", flat=True)) == {"create", "view", "export"}


def test_the_printed_message_carries_the_school_the_words_and_the_date_it_was_approved_in_words(
        client, world, case, tmp_path):
    import subprocess  # nosec B404 - pdftotext reads the PDF this test made
    from datetime import datetime

    approved = timezone.make_aware(datetime(2026, 12, 6, 9, 30))
    message = record(world, case, approved_at=approved)
    sign_in(client, world.diana)
    pdf = client.get(reverse("communications:pdf", args=[case.id, message.id])).content
    (tmp_path / "message.pdf").write_bytes(pdf)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "message.pdf"), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())  # nosec B603 B607 - a fixed command on a test file
    assert text.startswith("Oakfield Primary 6 December 2026 Online blackmail targeting young people")
    assert "What we know Some young people the details agreed have been contacted online" in text
    assert "Puddlewick" not in text and "Quentin" not in text


# ---- the case page -------------------------------------------------------------------------

def test_r_e2_the_case_page_lists_the_messages_for_the_team_that_runs_it(client, world, case, message):
    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert 'id="messages"' in page and reverse("communications:detail", args=[case.id, message.id]) in page
    assert "approved by Hana Head (Headteacher)" in page


def test_r_e2_the_case_page_offers_messages_only_where_the_kind_does(client, world):
    sign_in(client, world.diana)
    sextortion = make_case(world, "sextortion")
    assert reverse("communications:case", args=[sextortion.id]) in client.get(
        reverse("cases:detail", args=[sextortion.id])).content.decode()
    sign_in(client, world.hana)
    allegation = make_case(world, "staff-allegation", subject_staff=world.tom)
    assert 'id="messages"' not in client.get(reverse("cases:detail", args=[allegation.id])).content.decode()

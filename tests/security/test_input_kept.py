"""Issue 19.3: one way to take input. On every kind of page that writes, a value too long for its column and a
picture written as text (A3) are refused by the page's form, beside the box they were typed in, and the page comes
back with everything else typed (and the box itself, without the picture); nothing is saved. A decision's words
(B10) are among them: a reason is never lost to a refusal.

The pages are a sample of each app's forms (cases, evidence, records, transfers, tokens, advice, registers), built
the way a person reaches them."""

import html
import re
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from advice.models import AdviceOverride
from api.models import ApiToken
from transfers.models import ReceivedFile, Transfer
from cases.models import Entry
from cases.tests.helpers import make_case
from lib.dates import DATETIME_LOCAL
from lib.tests import samples
from registers.models import Policy
from tests.people import sign_in

pytestmark = pytest.mark.django_db

NOW = "now"  # replaced by the current local time, as a datetime-local box holds it
PICTURE = samples.gif89a().hex(" ")  # a picture written as a hex dump


@dataclass
class Page:
    """A form page: where it is, who may use it, what a person typed, and the box that gets the bad value."""

    name: str
    url: Callable  # (world, objects) -> url
    data: dict
    box: str  # the field the bad value is typed into
    limit: int | None  # its column's length (None: a text column with no limit, so only pictures are tried)
    saved: Callable  # (world, objects) -> how many rows the page would have added
    kept: list = field(default_factory=list)  # other things typed that must come back
    anchor: str = ""  # the id of the box's element, when it is not the field's name
    user: str = "diana"
    too_long: str = ""  # the page's own words for too long, if it has them


def _case(world, objects):
    if "case" not in objects:
        objects["case"] = make_case(world)
    return objects["case"]


def _task(world, objects):
    return _case(world, objects).tasks.filter(completed_at__isnull=True).order_by("id").first()


PAGES = [
    Page("decision", lambda w, o: reverse("cases:decision", args=[_case(w, o).id]),
         {"taken": "no", "choice": "Not to tell the parents yet.", "options": "Tell them today",
          "reason": "The child asked us to wait a day."}, "choice", 500,
         lambda w, o: _case(w, o).decisions.count(), ["The child asked us to wait a day.", "Tell them today"]),
    Page("decision reason", lambda w, o: reverse("cases:decision", args=[_case(w, o).id]),
         {"taken": "no", "choice": "Not to tell the parents yet.", "reason": "The child asked us to wait a day."},
         "reason", None, lambda w, o: _case(w, o).decisions.count(), ["Not to tell the parents yet."]),
    Page("advice", lambda w, o: reverse("cases:advice", args=[_case(w, o).id]),
         {"asked": "other", "source": "The local safeguarding team", "advice": "Speak to both families today."},
         "source", 488, lambda w, o: _case(w, o).decisions.count(), ["Speak to both families today."]),
    Page("people", lambda w, o: reverse("cases:people", args=[_case(w, o).id]),
         {"user": lambda w, o: str(w.tom.id), "reason": "Covering the class while the teacher is away."},
         "reason", 500, lambda w, o: _case(w, o).members.count()),
    Page("task", lambda w, o: reverse("cases:task", args=[_case(w, o).id, _task(w, o).id]),
         {"result": "done", "note": "Done at the morning meeting."}, "note", None,
         lambda w, o: _case(w, o).tasks.filter(completed_at__isnull=False).count()),
    Page("initial review", lambda w, o: reverse("cases:review", args=[_case(w, o).id]),
         {"held_at": NOW, "attendees": lambda w, o: [str(w.diana.id)], "other_attendees": "PC Jones, the police"},
         "other_attendees", 500, lambda w, o: _case(w, o).reviews.count()),
    Page("referral", lambda w, o: reverse("cases:referral", args=[_case(w, o).id]),
         {"agency": "csc", "route": "phone", "made_at": NOW, "reference": "CSC-2231",
          "notes": "Spoke to the duty social worker."}, "reference", 100,
         lambda w, o: _case(w, o).referrals.count(), ["Spoke to the duty social worker."]),
    Page("chronology note", lambda w, o: reverse("cases:note", args=[_case(w, o).id]),
         {"text": "Spoke to the child's carer after school."}, "text", 10000,
         lambda w, o: _case(w, o).entries.filter(kind=Entry.Kind.NOTE).count(), anchor="note-text"),
    Page("close", lambda w, o: reverse("cases:close", args=[_case(w, o).id]),
         {"summary": "Resolved with both families.", "debrief": "DSL and head of year met.",
          "lessons_learnt": "Check group chats sooner.", "policy_changes": "None"}, "lessons_learnt", None,
         lambda w, o: int(not _case(w, o).is_open), ["Resolved with both families.", "DSL and head of year met."]),
    Page("message to many", lambda w, o: reverse("communications:new", args=[_case(w, o).id, "imagery-staff"]),
         {"title": "Staff briefing", "text": "Please read this before the staff meeting.",
          "approved_by_name": "Hana Head", "approved_by_role": "Headteacher", "approved_at": NOW,
          "police_consulted": "yes"}, "approved_by_name", 200,
         lambda w, o: _case(w, o).communications.count(),
         ["Please read this before the staff meeting.", "Headteacher"]),
    Page("device", lambda w, o: reverse("evidence:device_new", args=[_case(w, o).id]),
         {"owner": "Quentin", "make": "Phone X", "isolation": "flight_mode", "holder": "dsl",
          "where_or_who": "The locked drawer in the DSL's office", "staff_device": "no"}, "owner", 200,
         lambda w, o: _case(w, o).devices.count(), ["Phone X", "The locked drawer in the DSL&#39;s office"]),
    Page("evidence", lambda w, o: reverse("evidence:evidence_new", args=[_case(w, o).id]),
         {"kind": "web_address", "value": "https://example.org/post/1", "platform": "Chatter",
          "description": "A post naming the child."}, "value", 500,
         lambda w, o: _case(w, o).evidence_items.count(), ["A post naming the child.", "Chatter"],
         too_long="Keep this to 500 characters; put the rest in the description."),
    Page("evidence description", lambda w, o: reverse("evidence:evidence_new", args=[_case(w, o).id]),
         {"kind": "web_address", "value": "https://example.org/post/1", "description": "A post naming the child."},
         "description", None, lambda w, o: _case(w, o).evidence_items.count(), ["https://example.org/post/1"]),
    Page("parents told", lambda w, o: reverse("evidence:parents_new", args=[_case(w, o).id]),
         {"pupil": lambda w, o: str(w.pupil.id), "informed": "yes", "informed_at": NOW,
          "how": "A phone call from the DSL", "child_involvement": "The child chose to be in the room."},
         "how", 200, lambda w, o: _case(w, o).parent_contacts.count(), ["The child chose to be in the room."]),
    Page("viewing", lambda w, o: reverse("evidence:viewing_new", args=[_case(w, o).id]),
         {"reason": "report", "no_distress": "yes", "consulted": "The headteacher",
          "witness": lambda w, o: str(w.hana.id), "place": "The DSL's office", "private": "yes", "same_sex": "yes",
          "result": "Reported to the police.", "already_copied": "no", "viewed_at": NOW}, "place", 200,
         lambda w, o: _case(w, o).viewings.count(), ["The headteacher", "Reported to the police."]),
    Page("transfer", lambda w, o: reverse("transfers:start", args=[w.pupil.id]),
         {"to": "other", "other": "St Mary's Academy", "sent_how": "Encrypted email to their DSL",
          "started_on-day": "2", "started_on-month": "3", "started_on-year": "2026"}, "sent_how", 300,
         lambda w, o: Transfer.objects.count(), ["St Mary&#39;s Academy", 'value="2026"']),
    Page("arrival", lambda w, o: reverse("transfers:arrival"),
         {"from_name": "St Mary's Academy", "method": "paper", "arrived_on-day": "2", "arrived_on-month": "3",
          "arrived_on-year": "2026", "where_kept": "The locked cabinet"}, "where_kept", 300,
         lambda w, o: ReceivedFile.objects.count(),
         ["St Mary&#39;s Academy", 'value="2026"']),
    Page("API token", lambda w, o: reverse("integrations:tokens"),
         {"name": "Smoothwall monitoring", "scopes": ["alerts:create"]}, "name", 100,
         lambda w, o: ApiToken.objects.count(), user="adam", too_long="Keep the name to 100 characters."),
    Page("advice wording", lambda w, o: reverse("advice:edit", args=["imagery-shared-child"]),
         {"paragraph-1": "You have done nothing wrong.", "reason": "Plainer words for our pupils."}, "reason", None,
         lambda w, o: AdviceOverride.objects.count(),
         ["You have done nothing wrong."]),
    Page("policy", lambda w, o: reverse("registers:policy_new"),
         {"title": "Online safety policy", "owner": lambda w, o: str(w.diana.id), "approved_by": "The governors",
          "approved_on": "2026-01-10", "document_reference": "Staff handbook, section 4"}, "title", 200,
         lambda w, o: Policy.objects.count(), ["The governors", "Staff handbook, section 4"]),
]


def _post(client, world, page, value):
    objects = {}
    url = page.url(world, objects)
    now = timezone.localtime().strftime(DATETIME_LOCAL)
    data = {k: (v(world, objects) if callable(v) else now if v == NOW else v) for k, v in page.data.items()}
    data[page.box] = value
    before = page.saved(world, objects)
    sign_in(client, getattr(world, page.user))
    response = client.post(url, data)
    return response, html.unescape(response.content.decode()), before, page.saved(world, objects)


def _beside(page_html, anchor):
    """The error message shown beside the box whose element has id `anchor` (GOV.UK: `<anchor>-error`)."""
    found = re.search(rf'id="{re.escape(anchor)}-error"[^>]*>(.*?)</p>', page_html, re.S)
    assert found, f"no error beside #{anchor}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.parametrize("page", [p for p in PAGES if p.limit], ids=lambda p: p.name)
def test_r_a3_r_b10_a_value_too_long_for_its_column_is_refused_beside_its_box_and_nothing_typed_is_lost(
        client, world, page):
    typed = ("Said more than the box can keep. " * (page.limit // 33 + 1))[:page.limit] + "!"
    response, text, before, after = _post(client, world, page, typed)
    assert response.status_code in (200, 422)
    message = _beside(text, page.anchor or page.box)
    assert (page.too_long or f"is too long: keep it to {page.limit:,} characters (it has {page.limit + 1:,})") \
        in message
    assert typed.strip() in text  # the box keeps all of it, to shorten
    for kept in page.kept:
        assert kept in text or html.unescape(kept) in text, kept
    assert after == before  # nothing saved


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_r_a3_a_picture_written_as_text_is_refused_beside_its_box_and_everything_else_typed_is_kept(
        client, world, page):
    response, text, before, after = _post(client, world, page, f"Seen on the phone: {PICTURE}")
    assert response.status_code in (200, 422)
    message = _beside(text, page.anchor or page.box)
    assert "contains a picture written as text" in message and "has been taken out" in message
    assert PICTURE not in text  # shown back nowhere (A3)
    assert "Seen on the phone:" in text  # the rest of that box is still there
    for kept in page.kept:
        assert kept in text or html.unescape(kept) in text, kept
    assert after == before  # nothing saved


def test_r_a3_a_refused_chronology_note_comes_back_on_the_case_page_with_what_was_typed(client, world):
    """The note used to go back to the case page with a message and lose the note."""
    case = make_case(world)
    sign_in(client, world.diana)
    note = "Spoke to the carer. " * 600  # 12,000 characters: over the 10,000 a note keeps
    response = client.post(reverse("cases:note", args=[case.id]), {"text": note})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and f"Case {case.reference}" in page
    assert note.strip() in page
    assert "There is a problem" in page and 'href="#note-text"' in page
    assert not case.entries.filter(kind=Entry.Kind.NOTE).exists()


def test_a_refused_review_date_comes_back_on_the_case_page_beside_its_box(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    response = client.post(reverse("cases:review_date", args=[case.id]), {"review_date": "2001-01-01"})
    page = html.unescape(response.content.decode())
    assert "The review date must be today or later." in _beside(page, "review_date")
    assert 'value="2001-01-01"' in page
    case.refresh_from_db()
    assert case.review_date is None


def test_a_case_that_cannot_be_opened_comes_back_on_the_concern_page_with_the_procedure_chosen(client, world):
    from cases.tests.helpers import make_concern

    concern = make_concern(world, "other", children=[(world.pupil, "harmed")])
    sign_in(client, world.diana)
    response = client.post(reverse("concerns:open_case", args=[concern.id]), {"procedure": ""})
    page = html.unescape(response.content.decode())
    assert "Choose which procedure fits this concern." in _beside(page, "procedure")
    concern.refresh_from_db()
    assert concern.case_id is None


def test_adding_a_concern_to_no_case_comes_back_on_the_concern_page_beside_the_list(client, world):
    from cases.tests.helpers import make_concern

    make_case(world)
    concern = make_concern(world)
    sign_in(client, world.diana)
    response = client.post(reverse("concerns:add_to_case", args=[concern.id]), {"case": ""})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and f"Concern {concern.reference}" in page
    assert "Choose the case this concern belongs to." in _beside(page, "case")
    concern.refresh_from_db()
    assert concern.case_id is None

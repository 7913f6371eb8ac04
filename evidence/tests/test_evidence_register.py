"""The evidence register (A3, E6, F1): words and metadata only, each problem named beside its field."""

import base64

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from cases.actions import CaseError
from cases.models import Entry
from cases.tests.helpers import make_case
from evidence import actions
from evidence.models import EvidenceItem
from lib.tests.samples.images import png
from tests.people import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world, "sextortion")


def add(world, case, **kwargs):
    return actions.record_evidence(user=world.diana, case=case, **kwargs)


def test_r_a3_each_kind_of_metadata_is_recorded_audited_and_on_the_chronology(world, case):
    sent = timezone.now() - timezone.timedelta(hours=3)
    add(world, case, kind="web_address", value="https://example.org/profile/123")
    add(world, case, kind="account", value="@not_a_real_person", platform="Instagram")
    add(world, case, kind="phone", value="+44 7700 900123")
    add(world, case, kind="message", value="@not_a_real_person", platform="Instagram", seen_at=sent,
        description="Demanded £200 by midnight or the picture would be sent to his friends.")
    add(world, case, kind="payment", value="Gift cards; PayPal account payme@example.com; card ending 4242")
    add(world, case, kind="physical", value="Printed message log in the DSL's locked cabinet")
    assert case.evidence_items.count() == 6
    assert AuditEvent.objects.filter(object_type="evidence_item").count() == 6
    entries = [e for e in case.entries.filter(kind=Entry.Kind.NOTE) if "A3" in e.rules]
    assert len(entries) == 6 and "Evidence recorded: username or profile (Instagram): @not_a_real_person." in [
        e.text for e in entries]


@pytest.mark.parametrize("pasted", [
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==",
    "DATA:VIDEO/MP4;base64,AAAAIGZ0eXBpc29t",
    base64.b64encode(png() * 20).decode(),
])
def test_r_a3_an_image_pasted_as_text_is_refused(world, case, pasted):
    with pytest.raises(CaseError) as refused:
        add(world, case, kind="other", value="A screenshot", description=f"Here it is: {pasted}")
    refusal = refused.value.message_dict["description"][0]
    assert "‘Description’ box contains a" in refusal and "written as text" in refusal
    assert not EvidenceItem.objects.exists()


def test_a_whole_card_number_is_refused_but_the_last_four_digits_are_kept(world, case):
    with pytest.raises(CaseError) as refused:
        add(world, case, kind="payment", value="Card 4111 1111 1111 1111")
    assert "last four digits" in refused.value.message_dict["value"][0]
    assert add(world, case, kind="payment", value="Card ending 1111").value == "Card ending 1111"


@pytest.mark.parametrize("kind, value, field, words", [
    ("web_address", "example.org/no-scheme", "value", "http"),
    ("phone", "call me", "value", "phone number"),
    ("phone", "123", "value", "phone number"),
    ("account", "@someone", "platform", "platform"),
    ("message", "@someone", "seen_at", "date and time"),
    ("physical", "  ", "value", "where"),
    ("nonsense", "x", "kind", "kind"),
])
def test_each_refusal_names_its_field(world, case, kind, value, field, words):
    with pytest.raises(CaseError) as refused:
        add(world, case, kind=kind, value=value)
    assert words in refused.value.message_dict[field][0]


def test_a_closed_case_takes_no_new_evidence(world, case):
    from cases.models import Case

    Case.objects.filter(id=case.id).update(status="closed", closed_at=timezone.now(), closed_by=world.diana,
                                           summary="Done.", lessons_learnt="None.")
    case.refresh_from_db()
    with pytest.raises(CaseError):
        add(world, case, kind="phone", value="07700 900123")


def test_the_form_keeps_everything_typed_when_an_image_is_refused(client, world, case):
    sign_in(client, world.diana)
    url = reverse("evidence:evidence_new", args=[case.id])
    response = client.post(url, {"kind": "other", "value": "Chat on Snapchat", "platform": "Snapchat",
                                 "description": "data:image/jpeg;base64,/9j/4AAQSkZJRg=="})
    page = response.content.decode()
    assert response.status_code == 200 and not EvidenceItem.objects.exists()
    assert 'href="#description"' in page and 'id="description-error"' in page
    assert 'value="Chat on Snapchat"' in page and 'value="Snapchat"' in page
    assert 'type="file"' not in page and "enctype" not in page
    response = client.post(url, {"kind": "account", "value": "@someone", "platform": "Snapchat"})
    assert response.status_code == 302 and case.evidence_items.get().platform == "Snapchat"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(EvidenceItem.Kind.values + ["", "x"]), value=st.text(max_size=600),
       platform=st.text(max_size=130), description=st.text(max_size=2000))
def test_any_input_is_either_saved_clean_or_refused_with_a_field(world, case, kind, value, platform, description):
    try:
        item = add(world, case, kind=kind, value=value, platform=platform, description=description)
    except CaseError as refused:
        assert refused.message_dict and all(refused.message_dict.values())
        return
    except Exception as exc:  # a database error for over-long text is the one other acceptable refusal
        pytest.fail(f"unexpected {exc!r}")
    assert item.value and "data:image/" not in (item.value + item.description).lower()

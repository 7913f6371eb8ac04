"""Rule A3's last guard (harbour/imagery.py): no text holding a picture written as text is ever saved,
even by a path that forgot to check; and the chronology note refuses it with the box named."""

import base64
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases.models import Entry
from cases.tests.helpers import make_case
from concerns.models import Draft
from harbour.imagery import _judged
from lib.errors import ActionError
from lib.imagery import ImageryRefused
from lib.tests import samples
from lib.tests.samples.encoded import CARRIERS, TIFF_HEADER_14
from tests.people import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world)


@pytest.mark.parametrize("carrier", ["bare base64", "hex dump (xxd)", "data URI (octet-stream)", "MIME part"])
def test_r_a3_a_chronology_entry_saved_directly_with_a_picture_written_in_it_is_refused(world, case, carrier):
    entry = Entry(case=case, kind=Entry.Kind.NOTE, author=world.diana, at=case.opened_at,
                  text="Note. " + CARRIERS[carrier](samples.jpeg()))
    with pytest.raises(ImageryRefused) as refused:
        entry.save()
    assert "box contains a picture written as text" in refused.value.message_dict["text"][0]
    assert isinstance(refused.value, ActionError)  # so every view shows it beside the field
    assert not Entry.objects.filter(text__startswith="Note. ").exists()


def test_r_a3_a_string_deep_inside_a_json_value_is_checked_too(world):
    draft = Draft(user=world.tom, school=world.oakfield,
                  data={"nested": [{"deeper": "x " + base64.b64encode(TIFF_HEADER_14).decode()}]})
    with pytest.raises(ImageryRefused):
        draft.save()
    assert not Draft.objects.exists()


def test_r_a3_ordinary_words_save_as_before(world, case):
    entry = Entry.objects.create(case=case, kind=Entry.Kind.NOTE, author=world.diana, at=case.opened_at,
                                 text="SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, "
                                      "ref 01/123456/24, https://example.org/s?t=eyJhbGciOiJIUzI1NiJ9")
    assert entry.pk


def test_r_a3_the_chronology_note_refuses_a_picture_written_as_text(client, world, case):
    sign_in(client, world.diana)
    url = reverse("cases:note", args=[case.id])
    response = client.post(url, {"text": "Seen: " + samples.gif89a().hex(" ")}, follow=True)
    page = response.content.decode().replace("&#x27;", "'")
    assert "‘Add a note to the chronology’ box contains a picture written as text (hex)" in page
    assert not case.entries.filter(text__startswith="Seen:").exists()


def test_r_a3_a_text_field_harbour_makes_itself_is_not_judged_as_typed_text():
    """An encrypted transfer package is base64 of random bytes that Harbour wrote from records already checked:
    it says nothing about pictures, so the backstop does not judge it (it once refused a genuine package by
    chance). What a person types beside it still is judged."""
    from harbour.imagery import refuse_imagery
    from transfers.models import Transfer

    picture = base64.b64encode(samples.png()).decode()
    refuse_imagery(Transfer, Transfer(package=picture))  # not judged: no error
    with pytest.raises(ImageryRefused):
        refuse_imagery(Transfer, Transfer(sent_how=f"By secure email: {picture}"))


def test_r_a3_the_backstop_guards_every_app_that_keeps_records():
    """Every Harbour app with models is guarded, so one that moves (transfers did, from api) or is added is not
    silently left out. The audit trail is the exception: only Harbour writes it, never what someone typed."""
    from django.apps import apps
    from django.conf import settings

    from harbour.imagery import _judged

    ours = {m._meta.app_label for m in apps.get_models()
            if Path(m._meta.app_config.path).parent == Path(settings.BASE_DIR)}
    assert "transfers" in ours
    assert {label for label in ours if not _judged(label)} == {"audit"}


_MADE_BY_HARBOUR = re.compile(r"(hash|digest|fingerprint|signature|secret|nonce|bucket|token)")


def test_r_a3_every_hash_harbour_computes_is_named_machine_made():
    """A hash or key Harbour computes is random bytes written as text: one SHA-256 in 65,536 opens like a
    picture's signature, which once refused an API token's save in CI. Each model says which of its text fields
    it fills itself (MACHINE_TEXT_FIELDS), and the guard skips those; people's words are still judged."""
    missing = []
    for model in apps.get_models():
        if not _judged(model._meta.app_label):
            continue
        listed = getattr(model, "MACHINE_TEXT_FIELDS", ())
        for field in model._meta.concrete_fields:
            if (isinstance(field, (models.CharField, models.TextField)) and _MADE_BY_HARBOUR.search(field.name)
                    and field.name not in listed):
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []


def test_r_a3_an_api_token_whose_hash_opens_like_a_picture_is_saved(world):
    """The SHA-256 CI met (it opens with compress's two bytes), saved as a token's hash."""
    from api.models import ApiToken

    token = ApiToken(school=world.oakfield, name="Filtering", prefix="\xff\x0a", account=world.tom,
                     created_by=world.diana, created_at=timezone.now(),
                     token_hash="1f9d0c6f6cd40388338ddd7251ec69a5cc4b3ccebeae4933f7cdab196ab6440a")
    token.save()
    assert token.pk

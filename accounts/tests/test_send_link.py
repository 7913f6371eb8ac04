"""`manage.py send_link`: a fresh link to choose a password for someone who already has an account (issue 21.2:
a first administrator whose email never arrived is not stuck)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(*args, **options):
    out = StringIO()
    call_command("send_link", *args, stdout=out, **options)
    return out.getvalue()


def test_without_email_set_up_the_link_is_printed_and_the_sending_is_audited(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = _run("ADAM@brightwater.example")
    assert "Email is not set up yet" in out and "/account/welcome/" in out
    event = AuditEvent.objects.filter(object_type="invitation", object_id=str(world.adam.id)).get()
    assert event.actor_id is None and event.detail["by"] == "send_link"


def test_with_email_set_up_the_worker_emails_it_and_nothing_is_printed_unless_asked(world, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "mail.example"
    out = _run("adam@brightwater.example")
    assert "being emailed to adam@brightwater.example" in out and "/account/welcome/" not in out
    assert "/account/welcome/" in _run("adam@brightwater.example", "--print-link")


def test_an_unknown_or_closed_account_is_refused_with_what_to_do(world):
    with pytest.raises(CommandError, match="No account has the address"):
        _run("nobody@brightwater.example")
    from django.utils import timezone

    world.tom.is_active, world.tom.deactivated_at = False, timezone.now()
    world.tom.save()
    with pytest.raises(CommandError, match="is closed"):
        _run("tom@oakfield.example")
    assert not AuditEvent.objects.filter(object_type="invitation").exists()

"""Setting up a real trust without a shell session (issue 21.2): `create_trust` makes the trust and its first trust
administrator, who chooses a password from a one-time link; `add_school` adds its schools, each in a nation (J8).
Both refuse to run twice for the same trust or URN, and both are audited."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.invitations import email_invitation
from accounts.models import TrustMembership, User
from audit.log import verify_trail
from audit.models import AuditEvent
from schools.models import School, Trust

pytestmark = pytest.mark.django_db
GOOD = "river kettle lantern orchard"
SMTP = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "mail.brightwater.example"}


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def link_in(text):
    return re.search(r"http://\S+/account/welcome/\S+/", text).group(0)


def test_create_trust_makes_the_trust_and_its_administrator_and_prints_the_slug_and_link_without_email(client):
    out = run("create_trust", "Brightwater Learning Trust", "--admin", "IT@Brightwater.example")
    trust = Trust.objects.get()
    assert (trust.name, trust.slug) == ("Brightwater Learning Trust", "brightwater-learning-trust")
    assert "Trust slug: brightwater-learning-trust" in out
    admin = User.objects.get(email="it@brightwater.example")
    assert not admin.has_usable_password() and admin.invited_at is not None
    assert TrustMembership.objects.filter(user=admin, trust=trust, role="trust_administrator").exists()
    # Email is not set up (tests use the in-memory backend): the link is printed, nothing is queued.
    assert "Email is not set up yet" in out and not DBTaskResult.objects.exists() and not mail.outbox

    # The printed link is the one-time "choose a password" link; afterwards the administrator signs in.
    response = client.get(link_in(out))
    assert response.status_code == 302 and "set-password" in response["Location"]
    done = client.post(response["Location"], {"new_password1": GOOD, "new_password2": GOOD})
    assert done.status_code == 302
    admin.refresh_from_db()
    assert admin.check_password(GOOD)


def test_create_trust_emails_the_link_through_the_worker_when_email_is_set_up(django_capture_on_commit_callbacks):
    with override_settings(**SMTP), django_capture_on_commit_callbacks(execute=True):
        out = run("create_trust", "Brightwater Learning Trust", "--admin", "it@brightwater.example")
    assert "is being emailed to it@brightwater.example" in out and "/account/welcome/" not in out
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "accounts.invitations.email_invitation"
    admin = User.objects.get(email="it@brightwater.example")
    assert queued.args_kwargs["kwargs"] == {"user_id": admin.id, "school_name": "Brightwater Learning Trust"}
    assert email_invitation.call(**queued.args_kwargs["kwargs"]) == 1  # what the worker runs
    (message,) = mail.outbox
    assert message.to == ["it@brightwater.example"] and "/account/welcome/" in message.body


def test_print_link_shows_the_link_even_when_it_is_emailed():
    with override_settings(**SMTP):
        out = run("create_trust", "Brightwater Learning Trust", "--admin", "it@brightwater.example", "--print-link")
    assert link_in(out)


def test_create_trust_refuses_to_run_twice_with_exit_status_1_and_changes_nothing():
    run("create_trust", "Brightwater Learning Trust", "--admin", "it@brightwater.example")
    events = AuditEvent.objects.count()
    for name in ("Brightwater Learning Trust", "BRIGHTWATER  learning trust"):
        with pytest.raises(CommandError, match="already in Harbour") as refused:
            run("create_trust", name, "--admin", "other@brightwater.example")
        assert refused.value.returncode == 1
    assert Trust.objects.count() == 1 and not User.objects.filter(email="other@brightwater.example").exists()
    assert AuditEvent.objects.count() == events


def test_create_trust_is_audited_with_the_system_as_actor_and_no_token_in_the_trail():
    out = run("create_trust", "Brightwater Learning Trust", "--admin", "it@brightwater.example",
              "--admin-name", "Ian Tech")
    events = {e.object_type: e for e in AuditEvent.objects.all()}
    assert set(events) == {"trust", "user", "trust_membership", "invitation"}
    assert all(e.actor_id is None and e.action == "create" for e in events.values())
    assert events["trust"].detail == {"name": "Brightwater Learning Trust", "slug": "brightwater-learning-trust"}
    assert User.objects.get(email="it@brightwater.example").full_name == "Ian Tech"
    token = link_in(out).rstrip("/").split("/")[-1]
    assert token not in " ".join(str(e.detail) for e in events.values())
    assert verify_trail() == (4, None)  # the four events are in the hash chain, intact


def test_an_existing_account_becomes_administrator_without_a_new_link(world):
    out = run("create_trust", "Harbour Valley Trust", "--admin", world.diana.email)
    assert "already has a Harbour account" in out and "/account/welcome/" not in out
    assert world.diana.trust_memberships.filter(trust__slug="harbour-valley-trust").exists()


def test_create_trust_refuses_a_name_too_long_to_keep():
    with pytest.raises(CommandError, match="200 characters"):
        run("create_trust", "A" * 201, "--admin", "it@brightwater.example")
    assert not Trust.objects.exists()


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_create_trust_refuses_a_bad_administrator_address(email):
    with pytest.raises(CommandError, match="administrator's email"):
        run("create_trust", "Brightwater Learning Trust", "--admin", email)
    assert not Trust.objects.exists()


def add(*extra, trust="brightwater-learning-trust", name="Oakfield Primary School", urn="123456"):
    return run("add_school", trust, name, "--urn", urn, "--phase", "primary", *extra)


@pytest.fixture
def trust():
    run("create_trust", "Brightwater Learning Trust", "--admin", "it@brightwater.example")
    return Trust.objects.get()


def test_r_j8_add_school_adds_a_school_in_england_unless_told_its_nation(trust):
    out = add("--address", "1 Mill Lane, Oakfield, OX1 1AA", "--phone", "01234 567890",
              "--safeguarding-contact", "Ms A Khan, designated safeguarding lead", "--safeguarding-phone", "01234 1")
    school = School.objects.get(urn="123456")
    assert (school.trust, school.name, school.phase, school.nation) == (trust, "Oakfield Primary School",
                                                                         "primary", "england")
    assert school.address_lines == ["1 Mill Lane", "Oakfield", "OX1 1AA"] and school.phone == "01234 567890"
    assert school.safeguarding_contact == "Ms A Khan, designated safeguarding lead"
    assert "School slug: oakfield-primary-school" in out and "England" in out
    add("--nation", "wales", name="Ysgol y Bryn", urn="654321")
    assert School.objects.get(urn="654321").nation == "wales"


def test_r_j8_add_school_refuses_an_unknown_nation(trust):
    with pytest.raises(CommandError, match="invalid choice"):
        add("--nation", "cornwall")
    assert not School.objects.exists()


@pytest.mark.parametrize("urn", ["12345", "1234567", "12345a", "", "１２３４５６"])
def test_add_school_refuses_a_urn_that_is_not_6_digits(trust, urn):
    with pytest.raises(CommandError, match="6 digits") as refused:
        add(urn=urn)
    assert refused.value.returncode == 1 and not School.objects.exists()


def test_add_school_refuses_a_urn_already_in_harbour_and_changes_nothing(trust):
    add()
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="URN 123456 is already in Harbour") as refused:
        add(name="Oakfield Primary (again)")
    assert refused.value.returncode == 1
    assert School.objects.count() == 1 and AuditEvent.objects.count() == events


def test_add_school_refuses_an_unknown_trust():
    with pytest.raises(CommandError, match="No trust with slug"):
        add(trust="nowhere")


def test_add_school_is_audited_with_the_system_as_actor(trust):
    add()
    school = School.objects.get()
    event = AuditEvent.objects.get(object_type="school")
    assert (event.actor_id, event.action, event.school_id) == (None, "create", school.id)
    assert event.detail == {"trust": trust.id, "urn": "123456", "phase": "primary", "nation": "england"}


def test_the_new_trust_administrator_manages_the_new_school(trust):
    add()
    admin = User.objects.get(email="it@brightwater.example")
    school = School.objects.get()
    assert admin.access.can("manage_people", school) and not admin.access.can("read_cases", school)


def test_a_same_named_school_elsewhere_gets_a_slug_of_its_own(trust, world):
    add(name="Oakfield")  # the world's Oakfield Primary has the slug "oakfield"
    assert School.objects.get(urn="123456").slug == "oakfield-123456"
    assert reverse("home")  # the new school is an ordinary school

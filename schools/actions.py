"""Setting up a trust and its schools (issue 21.2), and changes to a school's own details: what letters to families
print under its name (issue 20.9).

`create_trust` and `add_school` serve both the commands an operator runs on the server (`manage.py create_trust`,
`manage.py add_school`: no actor, the person at the shell) and the trust administrator's "Add a school" page.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from accounts.capabilities import Capability, TrustRole
from accounts.invitations import LINK_DAYS, email_invitation, email_is_configured
from accounts.models import TrustMembership, User
from audit.log import Action, record
from lib.errors import ActionError
from schools.access import require
from schools.models import School, Trust

DETAILS = ("address", "phone", "email", "safeguarding_contact", "safeguarding_phone")


class SchoolError(ActionError):
    pass


URN = re.compile(r"[0-9]{6}")


def _school_slug(name, urn):
    """The school's name as a slug (for commands such as import_people), made unique with its URN if need be."""
    base = slugify(name)[:43].strip("-") or "school"
    return base if not School.objects.filter(slug=base).exists() else f"{base}-{urn}"


@transaction.atomic
def create_trust(*, name, admin_email, admin_name=""):
    """Create a trust and its first trust administrator, who chooses a password from a one-time link.

    Run from the server's shell (`manage.py create_trust`), so there is no actor: the audit trail shows the system.
    The link is emailed by the worker once this commits, when email is set up (`email_is_configured`); the caller
    prints it otherwise. Returns (trust, administrator, whether the administrator still has to choose a password).
    A trust whose name or slug is already in Harbour is refused, so running the command twice changes nothing.
    """
    name = " ".join((name or "").split())
    if not name:
        raise SchoolError("Give the trust's name.", field="name")
    if len(name) > 200 or len(admin_name or "") > 200:
        raise SchoolError("Shorten the names to 200 characters or fewer.", field="name")
    slug = slugify(name)[:50].strip("-")
    if not slug:
        raise SchoolError("Give the trust's name in letters or numbers.", field="name")
    existing = Trust.objects.filter(slug=slug).first() or Trust.objects.filter(name__iexact=name).first()
    if existing is not None:
        raise SchoolError(f"{existing.name} is already in Harbour (slug {existing.slug}). Nothing was changed.",
                          field="name")
    email = (admin_email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise SchoolError("Give the trust administrator's email address, like it@trust.example.",
                          field="admin_email") from None
    admin = User.objects.filter(email=email).first()
    if admin is not None and not admin.is_active:
        raise SchoolError(f"{email} belongs to a closed account. Reopen it, or give another address.",
                          field="admin_email")
    trust = Trust.objects.create(name=name, slug=slug)
    record(actor=None, action=Action.CREATE, object_type="trust", object_id=trust.id,
           detail={"name": name, "slug": slug})
    if admin is None:
        admin = User.objects.create_user(email, " ".join((admin_name or "").split()) or "Trust administrator")
        record(actor=None, action=Action.CREATE, object_type="user", object_id=admin.id, detail={"trust": trust.id})
    membership = TrustMembership.objects.create(user=admin, trust=trust, role=TrustRole.ADMINISTRATOR)
    record(actor=None, action=Action.CREATE, object_type="trust_membership", object_id=membership.id,
           detail={"trust": trust.id, "user": admin.id, "role": TrustRole.ADMINISTRATOR.value})
    needs_password = not admin.has_usable_password()
    if needs_password:
        admin.invited_at = timezone.now()
        admin.save(update_fields=["invited_at"])
        emailed = email_is_configured()
        record(actor=None, action=Action.CREATE, object_type="invitation", object_id=admin.id,
               detail={"days": LINK_DAYS, "trust": trust.id, "emailed": emailed})
        if emailed:
            transaction.on_commit(lambda: email_invitation.enqueue(user_id=admin.id, school_name=trust.name))
    return trust, admin, needs_password


def trusts_adding_schools(user):
    """The trusts in which `user` may add a school (a trust administrator's), by name."""
    return list(Trust.objects.filter(id__in=user.access.trust_ids_with(Capability.ADD_SCHOOLS)).order_by("name"))


@transaction.atomic
def add_school(*, actor, trust, name, urn, phase, nation=School.Nation.ENGLAND, address="", phone="", email="",
               safeguarding_contact="", safeguarding_phone=""):
    """Add a school to `trust`, with the details its letters print (address, telephone, email for families,
    safeguarding contact and telephone). The nation decides its guidance and words (rule J8); England unless given.

    `actor` is the trust administrator on the "Add a school" page, or None for `manage.py add_school` (the person at
    the server's shell). A URN already in Harbour is refused, so running the command twice changes nothing.
    """
    if actor is not None and trust.id not in actor.access.trust_ids_with(Capability.ADD_SCHOOLS):
        raise Http404("Not found")
    name = " ".join((name or "").split())
    urn = (urn or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the school's name."
    if not URN.fullmatch(urn):
        errors["urn"] = "Enter the school's unique reference number (URN): 6 digits, like 123456."
    elif School.objects.filter(urn=urn).exists():
        errors["urn"] = f"A school with URN {urn} is already in Harbour. Check the number."
    if phase not in School.Phase.values:
        errors["phase"] = "Choose the school's phase."
    if nation not in School.Nation.values:
        errors["nation"] = "Choose the nation the school is in."
    if name and trust.schools.filter(name__iexact=name).exists():
        errors["name"] = f"{trust.name} already has a school called {name}."
    values = {"address": "\n".join(line.strip() for line in (address or "").splitlines() if line.strip()),
              "phone": (phone or "").strip(), "email": (email or "").strip(),
              "safeguarding_contact": (safeguarding_contact or "").strip(),
              "safeguarding_phone": (safeguarding_phone or "").strip()}
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = "Enter an email address like office@school.example."
    if values["safeguarding_phone"] and not values["safeguarding_contact"]:
        errors["safeguarding_contact"] = "Say whom families should ask for on the safeguarding telephone."
    for field, value in [("name", name), *values.items()]:
        limit = School._meta.get_field(field).max_length
        if limit and len(value) > limit and field not in errors:
            errors[field] = f"Shorten this to {limit} characters or fewer."
    if errors:
        raise SchoolError(errors)
    slug = _school_slug(name, urn)
    school = School.objects.create(trust=trust, name=name, slug=slug, urn=urn, phase=phase, nation=nation, **values)
    record(actor=actor, action=Action.CREATE, object_type="school", object_id=school.id, school=school,
           detail={"trust": trust.id, "urn": urn, "phase": phase, "nation": nation})
    return school


@transaction.atomic
def update_details(*, user, school, day_starts_at=None, nation=None, **values):
    """Save the school's address, telephone, email for families and safeguarding contact, when the school day
    starts (J4) and its nation (J8: the words and procedures new cases follow; open cases keep theirs), each left as
    it is when not given; audit what changed."""
    require(user, Capability.MANAGE_SCHOOL_DETAILS, school)
    if nation and nation not in School.Nation.values:
        raise SchoolError("Choose the nation the school is in.", field="nation")
    values = {name: (values.get(name) or "").strip() for name in DETAILS}
    values["address"] = "\n".join(line.strip() for line in values["address"].splitlines() if line.strip())
    if values["safeguarding_phone"] and not values["safeguarding_contact"]:
        raise SchoolError("Say whom families should ask for on the safeguarding telephone.",
                          field="safeguarding_contact")
    if day_starts_at is not None:
        values["day_starts_at"] = day_starts_at.replace(second=0, microsecond=0)
    if nation:
        values["nation"] = nation
    changed = [name for name in values if getattr(school, name) != values[name]]
    previous_nation = school.nation
    for name in changed:
        setattr(school, name, values[name])
    if changed:
        school.save(update_fields=changed)
        record(actor=user, action=Action.UPDATE, object_type="school", object_id=school.id, school=school,
               changed_fields=changed,
               detail={"nation": {"from": previous_nation, "to": school.nation}} if "nation" in changed else None)
    return changed

"""The people of the access matrix, on top of the demo trust."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.trust import demo_email

# Riverside's people by role, then the outsiders.
THIS_SCHOOL = ["staff", "dsl", "deputy_dsl", "headteacher", "senco", "online_safety_coordinator", "technical",
               "governor", "chair_of_governors"]
TRUST = ["trust_safeguarding_lead", "trust_administrator"]
OUTSIDERS = ["other_school_dsl", "other_trust_dsl", "other_trust_lead", "deactivated_dsl"]
ROLES = ["anonymous"] + THIS_SCHOOL + TRUST + OUTSIDERS

# Concerns and a device at Riverside that some roles are told of, or that only some roles act on: the matrix
# walks every URL of that kind of record once more with each (rows "name [variant]" of the policy). What each
# concern says is unique, so a page can be searched for it.
VARIANT_ACCOUNTS = {
    "breach": "Hollis said the filter let through a page on ways to hurt herself, in the library.",
    "escalated": "Nobody has acknowledged this: a pupil said a stranger keeps messaging her at night.",
    "about staff": "A teacher messaged a pupil privately from a personal account.",
}

POLICE_REFERENCE = "RIV/2026/000777"  # the variant "police notice" (J4)
DEEPFAKE_ACCOUNT = "A pupil said a made-up picture of her is being passed round a group chat."

# A variant walked only with the URLs named here (the others that take its keywords are walked with the base case):
# "deepfake", a case about an AI-made image with a child shown in it, whose procedure asks whether the image shows
# a member of staff (J3) and offers each child shown Report Remove or Take It Down (J5).
VARIANT_URLS = {"deepfake": ("cases:depicted_staff", "cases:depicted_staff_clear", "cases:takedown_child")}


def build():
    """Seed the demo trust and a second trust; return {role: user or None} and the Riverside school."""
    from accounts.actions import deactivate_user
    from accounts.models import Membership, TrustMembership, User
    from demo.trust import seed
    from schools.models import School, Trust
    from tests.people import make_user

    seed()
    riverside = School.objects.get(slug="riverside")
    people = {"anonymous": None}
    for role in THIS_SCHOOL:
        people[role] = User.objects.get(email=demo_email(role, "riverside"))
    for role in TRUST:
        people[role] = User.objects.get(email=demo_email(role))
    people["other_school_dsl"] = User.objects.get(email=demo_email("dsl", "oakfield"))
    other = Trust.objects.create(name="Elmtree Schools Trust", slug="elmtree-trust")
    elmtree = School.objects.create(trust=other, name="Elmtree High", slug="elmtree", urn="990003", phase="secondary")
    people["other_trust_dsl"] = make_user("eve@elmtree.example", "Eve Elsewhere", school=elmtree, role="dsl")
    people["other_trust_lead"] = make_user("otto@elmtree.example", "Otto Other", trust=other,
                                           trust_role="trust_safeguarding_lead")
    gone = make_user("gone@riverside.example", "Gone Away", school=riverside, role="dsl")
    people["deactivated_dsl"] = gone
    assert Membership.objects.filter(user=gone).exists() and not TrustMembership.objects.filter(user=gone).exists()
    people["_deactivate"] = lambda: deactivate_user(user=gone, by=people["trust_administrator"])
    _more_objects(people, riverside)
    _variants(people, riverside)
    return people, riverside


def ids_of(people, riverside):
    """What `again` needs to find the world's people and school in a later test: their ids."""
    return {role: user.id if user else None for role, user in people.items() if not role.startswith("_")}, riverside.id


def again(built):
    """The people and school `build` made, read afresh (a test may change them; its changes are rolled back)."""
    from accounts.actions import deactivate_user
    from accounts.models import User
    from schools.models import School

    ids, school_id = built
    users = User.objects.in_bulk([i for i in ids.values() if i is not None])
    people = {role: users[i] if i is not None else None for role, i in ids.items()}
    people["_deactivate"] = lambda: deactivate_user(user=people["deactivated_dsl"],
                                                    by=people["trust_administrator"])
    return people, School.objects.get(id=school_id)


def _variants(people, riverside):
    """A filtering breach (told to technical staff and the coordinator, A5), a concern escalated after nobody
    acknowledged it (told to the deputies and headteacher, A1), a concern about a member of staff (for the
    headteacher alone, A4), a deepfake case with the child shown in it (J3, J5), and a quarantined staff device
    (C9)."""
    import uuid

    from cases.models import Case
    from concerns.actions import Report, escalate, submit_concern
    from evidence.actions import record_device
    from schools.models import Pupil

    child = Pupil.objects.filter(school=riverside).order_by("-id").first()
    report = {
        "breach": Report(incident_type="filtering-breach", account=VARIANT_ACCOUNTS["breach"],
                                   children=[(child, "other")], breach_url="https://harm.example/ways",
                                   breach_device_or_user="Library PC 7", breach_seen="Self-harm search; blocked"),
        "escalated": Report(incident_type="cyberbullying", account=VARIANT_ACCOUNTS["escalated"],
                            children=[(child, "harmed")]),
        "about staff": Report(incident_type="staff-allegation",
                                          account=VARIANT_ACCOUNTS["about staff"],
                                          subject_staff=people["staff"]),
    }
    for name, what in report.items():
        concern, _ = submit_concern(user=people["senco"], school=riverside, idempotency_key=uuid.uuid4(),
                                    report=what)
        if name == "escalated":
            escalate(concern=concern)
    # J4: an Operation Encompass notice, recorded by the DSL, with no key adult yet.
    from django.utils import timezone

    from concerns.encompass import receive_notice

    receive_notice(user=people["dsl"], school=riverside, received_at=timezone.now(),
                   police_reference=POLICE_REFERENCE, pupils=[child], idempotency_key=uuid.uuid4())
    case = Case.objects.filter(school=riverside, status="open", route="dsl").order_by("id").first()
    # J3, J5: a deepfake case the DSL opened, with the child shown in the image named on it.
    from cases.actions import open_case

    deepfake, _ = submit_concern(user=people["senco"], school=riverside, idempotency_key=uuid.uuid4(),
                                 report=Report(incident_type="deepfake", account=DEEPFAKE_ACCOUNT,
                                               children=[(child, "pictured")]))
    open_case(user=people["dsl"], concern=deepfake)
    record_device(user=people["dsl"], case=case, owner="Mr Example (teacher)", make="School laptop",
                  isolation="switched_off", holder="secure_place", where_or_who="Headteacher's safe",
                  staff_device=True)


def variants_of(school):
    """{variant: {URL keyword: id}}: the objects `_variants` made, found again by what they say. A variant in
    `VARIANT_URLS` is walked with those URLs only."""
    from concerns.models import Concern
    from evidence.models import Device

    found = {name: {"concern_id": Concern.objects.get(school=school, account=text).id}
             for name, text in VARIANT_ACCOUNTS.items()}
    found["police notice"] = {"concern_id": Concern.objects.get(
        school=school, encompass__police_reference=POLICE_REFERENCE).id}
    deepfake = Concern.objects.get(school=school, account=DEEPFAKE_ACCOUNT)
    found["deepfake"] = {"case_id": deepfake.case_id, "pupil_id": deepfake.children.get().pupil_id}
    found["quarantine"] = {"device_id": Device.objects.get(case__school=school, quarantined=True,
                                                            make="School laptop").id}
    return found


def _more_objects(people, riverside):
    """Objects the demo does not make at Riverside, so that their URLs are walked with a real record."""
    from django.utils import timezone

    from api.actions import create_token
    from cases.models import Case
    from evidence.actions import record_device
    from schools.models import Pupil, School
    from transfers.actions import receive_package, start_transfer
    from transfers.models import Transfer

    dsl = people["dsl"]
    case = Case.objects.filter(school=riverside, status="open").order_by("id").first()
    record_device(user=dsl, case=case, owner="A pupil", make="Phone", isolation="switched_off",
                  holder="secure_place", where_or_who="DSL office safe")
    # A message to all parents on it (E2), so the message pages are walked with a real record.
    from communications.actions import record_communication
    from communications.schema import PLACEHOLDER, as_text, load_templates

    record_communication(user=dsl, case=case, template_id="imagery-parents", title="Letter to all parents",
                         text=PLACEHOLDER.sub("the details", as_text(load_templates()["imagery-parents"])),
                         approved_by_name="The headteacher", approved_by_role="Headteacher",
                         approved_at=timezone.now(), police_consulted=True)
    # A viewing and a deletion on a case with no referral, so their URLs are walked with a real record.
    from datetime import timedelta

    from cases.models import Referral
    from evidence.actions import record_viewing, request_deletion
    from evidence.actions import DELETION_SCOPE

    quiet = next(c for c in Case.objects.filter(school=riverside, status="open").order_by("id")
                 if not Referral.objects.filter(case=c).exists() and not c.evaluation.get("referral_required")
                 and c.concerns.filter(children__isnull=False).exists())
    record_viewing(user=dsl, case=quiet, reason="decide_agencies", no_distress=True, consulted="Headteacher",
                   viewer=dsl, witness=people["deputy_dsl"], place="DSL office, door closed",
                   on_premises_in_private=True, same_sex=True, not_same_sex_reason="",
                   result="Managed in school.", already_copied=False, viewed_at=timezone.now())
    child = quiet.concerns.filter(children__isnull=False).first().children.first().pupil
    request_deletion(user=dsl, case=quiet, pupil=child, deadline=timezone.now() + timedelta(days=1),
                     scope=DELETION_SCOPE, illegal_reminder_given=True, consequence_explained=True)
    _disposal_request(people, riverside)
    create_token(user=people["trust_administrator"], school=riverside, name="Monitoring", scopes=["concerns:create"])
    # A login a monitoring service named that no pupil has (A5), for the DSL team to match.
    from api.models import MonitoringUser

    MonitoringUser.objects.create(school=riverside, login="rv-unknown-17", first_seen_at=timezone.now(),
                                  last_seen_at=timezone.now(), alerts=1)
    # P7: monitoring alerts about one term gathered for the safeguarding team (none in it: access is what is tested).
    from concerns.models import AlertGroup

    AlertGroup.objects.create(school=riverside, term="novel themes", created_at=timezone.now(),
                              last_alert_at=timezone.now())
    waiting = Transfer.objects.filter(to_school=riverside).first()
    receive_package(user=dsl, school=riverside, data=waiting.package.encode())
    pupil = Pupil.objects.filter(school=riverside).order_by("id").first()
    start_transfer(user=dsl, pupil=pupil, to=f"school:{School.objects.get(slug='oakfield').id}",
                   started_on=timezone.localdate())


def sign_in(client, user):
    from accounts.middleware import LAST_SEEN, SIGNED_IN_AT

    client.logout()
    if user is None:
        return
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[LAST_SEEN] = session[SIGNED_IN_AT] = int(time.time())
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _disposal_request(people, riverside):
    """A case closed in 2015 about a former pupil born in 1988, long past its retention date, with a request
    to dispose of it, so the disposal pages are walked with a real record."""
    import uuid
    from datetime import date, datetime

    import time_machine
    from django.utils import timezone

    from cases import actions
    from concerns.actions import Report, submit_concern
    from records.actions import request_disposal
    from records.tests.helpers import work_and_close
    from schools.models import Pupil

    dsl = people["dsl"]
    olive = Pupil.objects.create(school=riverside, legal_first_name="Olive", legal_last_name="Marchbank",
                                 upn="R999000000077", date_of_birth=date(1988, 2, 29), sex="F", year_group=11)
    with time_machine.travel(timezone.make_aware(datetime(2015, 7, 1, 10)), tick=False):
        concern, _ = submit_concern(user=people["staff"], school=riverside, idempotency_key=uuid.uuid4(),
                                    report=Report(incident_type="cyberbullying", account="Unkind messages.",
                                                  children=[(olive, "harmed")]))
        case = work_and_close(actions.open_case(user=dsl, concern=concern), dsl)
    request_disposal(user=dsl, case=case, reason="Past its retention date.")

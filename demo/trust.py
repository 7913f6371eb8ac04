"""The demo trust: fictional, and obviously so. Built by `manage.py seed_demo`.

Surnames are invented compound words (Puddlewick, Thistledown) so that no demo
record can be mistaken for a real child. Every run gives the same people.
"""

import random
from datetime import date

from django.db import transaction

DEMO_PASSWORD = "harbour demo passphrase"  # nosec B105 - shown on screen in demo mode only
TRUST = ("Brightwater Learning Trust", "brightwater")
SCHOOLS = [
    # slug, name, urn, phase, year groups, pupils per year
    ("oakfield", "Oakfield Primary School", "990001", "primary", range(0, 7), 30),
    ("riverside", "Riverside Academy", "990002", "secondary", range(7, 12), 78),
]
SCHOOL_ROLES = [
    ("dsl", "Designated safeguarding lead"),
    ("deputy_dsl", "Deputy DSL"),
    ("headteacher", "Headteacher"),
    ("senco", "SENCO"),
    ("online_safety_coordinator", "Online-safety coordinator"),
    ("technical", "Network manager"),
    ("staff", "Class teacher"),
    ("governor", "Governor"),
    ("chair_of_governors", "Chair of governors"),
]
# What letters print under each school's name (issue 20.9): fictional streets, and telephone numbers from Ofcom's
# range kept for drama (01632 960000 to 960999), which never reach anyone.
CONTACTS = {
    "oakfield": {"address": "Oakfield Lane\nBrightwater\nBW1 4OK", "phone": "01632 960101",
                 "email": "office@oakfield.example", "safeguarding_phone": "01632 960102"},
    "riverside": {"address": "1 Riverside Walk\nBrightwater\nBW3 9RA", "phone": "01632 960201",
                  "email": "office@riverside.example", "safeguarding_phone": "01632 960202"},
}
TRUST_ROLES = [("trust_safeguarding_lead", "Trust safeguarding lead"), ("trust_administrator", "Trust administrator")]

FIRST_NAMES_F = (
    "Amara Bella Chloe Daisy Esme Freya Grace Hana Isla Jade Keira Layla Maya Nia Orla "
    "Poppy Rosa Sofia Tara Zara Aisha Ella Ivy Lucy Mia Nora Ruby Sienna Willow Yasmin"
).split()
FIRST_NAMES_M = (
    "Aarav Ben Caleb Dev Elliot Finn George Harry Isaac Jack Kai Leo Max Noah Oscar "
    "Ravi Sam Theo Umar Zain Adam Ethan Jonah Luca Milo Owen Reuben Toby Yusuf Arlo"
).split()
SURNAME_START = (
    "Puddle Thistle Bramble Marsh Copper Willow Hazel Pebble Rook Meadow Frost Ember "
    "Fern Lark Moss Quill Sorrel Tansy Wren Alder Briar Clover Drift Heron Juniper"
).split()
SURNAME_END = "wick down combe worth field brook ridge stone holt mere cott hurst wood gate thorpe".split()
STAFF_FIRST = "Alex Sam Jo Chris Pat Robin Morgan Jamie Charlie Hayden Riley Taylor".split()


def demo_email(role, school_slug=None):
    return f"{role.replace('_', '.')}@{school_slug or TRUST[1]}.example"


def demo_accounts():
    """The demo logins, for the sign-in page in demo mode and for `make run` to print."""
    accounts = [(demo_email(role), label, "Brightwater Learning Trust") for role, label in TRUST_ROLES]
    for slug, name, *_ in SCHOOLS:
        accounts += [(demo_email(role, slug), label, name) for role, label in SCHOOL_ROLES]
    return accounts


def upn(rng, la_code=999):
    """A unique pupil number in the DfE format: check letter + 12 digits (fictional LA 999)."""
    body = f"{la_code:03d}{rng.randrange(10**9):09d}"
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    total = sum(int(d) * w for d, w in zip(body, range(2, 14), strict=True))
    return letters[total % 23] + body


def _surname(rng):
    return rng.choice(SURNAME_START) + rng.choice(SURNAME_END)


@transaction.atomic
def seed(stdout=None):
    """Create the demo trust, idempotently. Return (schools, pupils, users) counts."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.mfa import demo_totp_key
    from accounts.models import Membership, TrustMembership, User
    from schools.models import Carer, Pupil, PupilCarer, School, Trust

    rng = random.Random(20261122)  # nosec B311 - repeatable fictional demo data, not security
    trust, _ = Trust.objects.get_or_create(slug=TRUST[1], defaults={"name": TRUST[0], "is_demo": True})
    if not trust.is_demo:  # a database seeded before the flag existed
        Trust.objects.filter(id=trust.id).update(is_demo=True)
    schools = []
    for slug, name, urn, phase, years, per_year in SCHOOLS:
        school, _ = School.objects.get_or_create(
            slug=slug, defaults={"name": name, "urn": urn, "phase": phase, "trust": trust}
        )
        schools.append(school)
        if not school.pupils.exists():
            _seed_pupils(rng, school, years, per_year, Pupil, Carer, PupilCarer)

    from django.contrib.auth.hashers import make_password

    password_hash = make_password(DEMO_PASSWORD)  # once: hashing is deliberately slow

    def account(email, full_name):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(email=email, full_name=full_name, password=password_hash)
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Demo authenticator", defaults={"key": demo_totp_key(email), "confirmed": True}
        )
        return user

    for role, label in TRUST_ROLES:
        user = account(demo_email(role), f"{rng.choice(STAFF_FIRST)} {_surname(rng)}")
        TrustMembership.objects.get_or_create(user=user, trust=trust, role=role)
    for school in schools:
        for role, label in SCHOOL_ROLES:
            user = account(demo_email(role, school.slug), f"{rng.choice(STAFF_FIRST)} {_surname(rng)}")
            Membership.objects.get_or_create(user=user, school=school, role=role, defaults={"job_title": label})
            if role == "dsl" and not school.safeguarding_contact:
                school.safeguarding_contact = f"{user.full_name}, designated safeguarding lead"
        for name, value in CONTACTS[school.slug].items():
            setattr(school, name, getattr(school, name) or value)
        school.save()
    _seed_cases(schools[-1], rng)
    from demo.registers import seed_registers

    seed_registers(schools)

    from demo.history import seed_history

    for school, count in zip(schools, (10, 34), strict=True):
        seed_history(school, count=count, seed=school.id)
    _seed_transfer(schools)
    return len(schools), Pupil.objects.filter(school__trust=trust).count(), User.objects.count()


def _seed_pupils(rng, school, years, per_year, Pupil, Carer, PupilCarer):
    today = date.today()
    academic_year_start = today.year if today.month >= 9 else today.year - 1
    pupils, families = [], []
    for year in years:
        for _ in range(per_year):
            sex = rng.choice("FM")
            first = rng.choice(FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M)
            # Siblings: one pupil in six shares a family with an earlier pupil.
            family = rng.choice(families) if families and rng.random() < 1 / 6 else None
            surname = family["surname"] if family else _surname(rng)
            born_year = academic_year_start - 5 - year
            dob = date(born_year, 9, 1).toordinal() + rng.randrange(365)
            sen = rng.choices("NKE", weights=[84, 13, 3])[0]
            pupil = Pupil(
                school=school, upn=upn(rng), legal_first_name=first, legal_last_name=surname,
                preferred_first_name=(first[:3] if rng.random() < 0.03 else ""),
                date_of_birth=date.fromordinal(dob), sex=sex, year_group=year, sen_status=sen,
                is_looked_after=rng.random() < 0.01, is_child_in_need=rng.random() < 0.03,
                has_child_protection_plan=rng.random() < 0.01,
            )
            pupils.append(pupil)
            if family is None:
                family = {"surname": surname, "pupils": []}
                families.append(family)
            family["pupils"].append(pupil)
    Pupil.objects.bulk_create(pupils)
    links = []
    for family in families:
        carers = [Carer(school=school, title=rng.choice(["Ms", "Mr", "Mx", "Mrs", "Dr"]),
                        first_name=rng.choice(STAFF_FIRST), last_name=family["surname"],
                        email=f"{family['surname'].lower()}{rng.randrange(1000)}@family.example",
                        phone=f"07700 900{rng.randrange(1000):03d}")
                  for _ in range(1 if rng.random() < 0.3 else 2)]
        Carer.objects.bulk_create(carers)
        for pupil in family["pupils"]:
            for priority, carer in enumerate(carers, start=1):
                links.append(
                    PupilCarer(
                        pupil=pupil,
                        carer=carer,
                        relationship=rng.choice(["Mother", "Father", "Parent", "Carer"]),
                        contact_priority=priority,
                    )
                )
    PupilCarer.objects.bulk_create(links)


def _seed_sextortion_evidence(case, dsl):
    """The evidence register and a police referral awaiting its answer, as a DSL would record them."""
    from django.utils import timezone

    from cases import actions as case_actions
    from evidence import actions as evidence_actions

    an_hour_ago = timezone.now() - timezone.timedelta(hours=1)
    evidence_actions.record_evidence(
        user=dsl,
        case=case,
        kind="account",
        value="@fictional_demo_account",
        platform="Instagram",
        description="Sent the first message; a stranger to the pupil.",
    )
    evidence_actions.record_evidence(
        user=dsl,
        case=case,
        kind="message",
        value="@fictional_demo_account",
        platform="Instagram",
        seen_at=an_hour_ago - timezone.timedelta(hours=2),
        description="Asked for £100 in gift cards by 9pm, or the picture would be sent on.",
    )
    evidence_actions.record_evidence(user=dsl, case=case, kind="payment", value="Gift card codes to be sent by message")
    case_actions.record_referral(user=dsl, case=case, agency="police", route="police_101", made_at=an_hour_ago,
                                 reference="DEMO-101-0001", notes="Advised: do not pay, keep the messages, block.")


def _seed_transfer(schools):
    """H5: a Year 6 child from the primary school, now starting at the secondary, whose child protection file was
    sent two days ago and is waiting for the secondary's DSL to open it. Idempotent."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from concerns.models import ConcernChild
    from schools.models import Pupil
    from transfers.actions import start_transfer
    from transfers.models import Transfer

    primary, secondary = schools
    if Transfer.objects.exists():
        return
    on_a_case = ConcernChild.objects.filter(pupil__school=primary, concern__case__isnull=False).order_by(
        "-pupil__year_group", "pupil_id").values_list("pupil_id", flat=True).first()
    pupil = Pupil.objects.filter(id=on_a_case).first() or Pupil.objects.filter(school=primary).order_by(
        "-year_group", "id").first()
    if pupil is None:
        return
    # The secondary's MIS import already has the child, under the same unique pupil number.
    from schools.models import Carer, PupilCarer

    arrived, created = Pupil.objects.get_or_create(school=secondary, upn=pupil.upn, defaults={
        "legal_first_name": pupil.legal_first_name, "legal_last_name": pupil.legal_last_name,
        "date_of_birth": pupil.date_of_birth, "sex": pupil.sex, "year_group": 7})
    if created:  # and their family, as the secondary's MIS holds them
        for link in PupilCarer.objects.filter(pupil=pupil).select_related("carer"):
            c = link.carer
            carer = Carer.objects.create(school=secondary, title=c.title, first_name=c.first_name,
                                         last_name=c.last_name, email=c.email, phone=c.phone)
            PupilCarer.objects.create(pupil=arrived, carer=carer, relationship=link.relationship,
                                      has_parental_responsibility=link.has_parental_responsibility,
                                      lives_with_pupil=link.lives_with_pupil, contact_priority=link.contact_priority)
    dsl = User.objects.get(email=demo_email("dsl", primary.slug))
    start_transfer(user=dsl, pupil=pupil, to=f"school:{secondary.id}",
                   started_on=timezone.localdate() - timedelta(days=2))


def _seed_cases(school, rng):
    """A few concerns and cases at one school, so every case page has something to show. Idempotent."""
    import uuid

    from accounts.models import User
    from cases import actions as case_actions
    from concerns.actions import Report, submit_concern
    from concerns.models import Concern
    from schools.models import Pupil

    if Concern.objects.filter(school=school).exists():
        return
    staff = User.objects.get(email=demo_email("staff", school.slug))
    dsl = User.objects.get(email=demo_email("dsl", school.slug))
    pupils = list(Pupil.objects.filter(school=school, year_group__gte=9).order_by("id")[:6])

    def report(kind, account, children):
        concern, _ = submit_concern(user=staff, school=school, idempotency_key=uuid.uuid4(),
                                    report=Report(incident_type=kind, account=account, children=children,
                                                  dsl_told_in_person=True))
        return concern

    nudes = report("nudes-sharing", "A pupil told me a photo of her is going round a Year 10 group chat.",
                   [(pupils[0], "pictured"), (pupils[1], "shared_onward")])
    case = case_actions.open_case(user=dsl, concern=nudes)
    case_actions.update_answers(user=dsl, case=case, facts={"B2.1": False, "B2.2": False, "B2.4": False,
                                                            "relationship": "partners", "intent_to_harm": False})
    sextortion = report("sextortion", "A pupil says someone online is demanding money or they will share a photo.",
                        [(pupils[2], "pictured")])
    extortion_case = case_actions.open_case(user=dsl, concern=sextortion)
    _seed_sextortion_evidence(extortion_case, dsl)
    report("cyberbullying", "Two pupils say they are being mocked in a class group chat every evening.",
           [(pupils[3], "harmed"), (pupils[4], "harmed_others")])

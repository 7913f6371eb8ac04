"""Named people, built in code (healthchecks' hc/test.py style).

Oakfield and Riverside belong to Brightwater trust; Elmtree belongs to another trust.
"Diana the DSL of Oakfield should see nothing of Elmtree's."
"""

import time
from dataclasses import dataclass

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, TrustMembership, User
from schools.models import Pupil, School, Trust

PASSWORD = "correct horse battery staple harbour"


@dataclass
class World:
    trust: Trust
    other_trust: Trust
    oakfield: School
    riverside: School
    elmtree: School
    pupil: Pupil  # at Oakfield
    elm_pupil: Pupil  # at Elmtree
    people: dict

    def __getattr__(self, name):
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None


def make_user(email, name, *, school=None, role=None, trust=None, trust_role=None, with_device=True):
    user = User.objects.create_user(email, name, PASSWORD)
    if school and role:
        Membership.objects.create(user=user, school=school, role=role)
    if trust and trust_role:
        TrustMembership.objects.create(user=user, trust=trust, role=trust_role)
    if with_device:
        TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    return user


def make_pupil(school, first, last, upn, **extra):
    from datetime import date

    defaults = dict(date_of_birth=date(2012, 5, 4), sex="F", year_group=9)
    defaults.update(extra)
    return Pupil.objects.create(school=school, upn=upn, legal_first_name=first, legal_last_name=last, **defaults)


def build_world():
    trust = Trust.objects.create(name="Brightwater Learning Trust", slug="brightwater")
    other_trust = Trust.objects.create(name="Elmtree Schools Trust", slug="elmtree-trust")
    oakfield = School.objects.create(
        trust=trust, name="Oakfield Primary", slug="oakfield", urn="990001", phase="primary"
    )
    riverside = School.objects.create(trust=trust, name="Riverside Academy", slug="riverside", urn="990002",
                                      phase="secondary")
    elmtree = School.objects.create(trust=other_trust, name="Elmtree High", slug="elmtree", urn="990003",
                                    phase="secondary")
    world_school = oakfield
    people = {
        "diana": make_user("diana@oakfield.example", "Diana Dsl", school=oakfield, role="dsl"),
        "dev": make_user("dev@oakfield.example", "Dev Deputy", school=oakfield, role="deputy_dsl"),
        "hana": make_user("hana@oakfield.example", "Hana Head", school=oakfield, role="headteacher"),
        "tom": make_user("tom@oakfield.example", "Tom Teacher", school=oakfield, role="staff", with_device=False),
        "gina": make_user("gina@oakfield.example", "Gina Governor", school=oakfield, role="governor",
                          with_device=False),
        "terry": make_user("terry@oakfield.example", "Terry Tech", school=world_school, role="technical",
                           with_device=False),
        "carol": make_user("carol@oakfield.example", "Carol Chair", school=world_school, role="chair_of_governors"),
        "eve": make_user("eve@elmtree.example", "Eve Elsewhere", school=elmtree, role="dsl"),
        "lena": make_user("lena@brightwater.example", "Lena Lead", trust=trust, trust_role="trust_safeguarding_lead"),
        "otto": make_user("otto@elmtree.example", "Otto Other", trust=other_trust,
                          trust_role="trust_safeguarding_lead"),
        "adam": make_user("adam@brightwater.example", "Adam Admin", trust=trust, trust_role="trust_administrator"),
    }
    pupil = make_pupil(oakfield, "Quentin", "Puddlewick", "A999000000001", year_group=5)
    elm_pupil = make_pupil(elmtree, "Rosa", "Thistledown", "A999000000002")
    return World(trust, other_trust, oakfield, riverside, elmtree, pupil, elm_pupil, people)


def world_ids(world):
    """What `world_again` needs to find a built world in a later test: the ids of its rows."""
    return {"trust": world.trust.id, "other_trust": world.other_trust.id, "oakfield": world.oakfield.id,
            "riverside": world.riverside.id, "elmtree": world.elmtree.id, "pupil": world.pupil.id,
            "elm_pupil": world.elm_pupil.id, "people": {name: user.id for name, user in world.people.items()}}


def world_again(ids):
    """The world `build_world` made, read afresh (four queries): each test gets instances of its own, so whatever
    one test changes on them, in memory or in the database (rolled back after it), the next does not see."""
    trusts = Trust.objects.in_bulk([ids["trust"], ids["other_trust"]])
    schools = School.objects.in_bulk([ids["oakfield"], ids["riverside"], ids["elmtree"]])
    pupils = Pupil.objects.in_bulk([ids["pupil"], ids["elm_pupil"]])
    users = User.objects.in_bulk(list(ids["people"].values()))
    return World(trusts[ids["trust"]], trusts[ids["other_trust"]], schools[ids["oakfield"]],
                 schools[ids["riverside"]], schools[ids["elmtree"]], pupils[ids["pupil"]], pupils[ids["elm_pupil"]],
                 {name: users[user_id] for name, user_id in ids["people"].items()})


def sign_in(client, user, *, verified=True):
    """Sign `user` in on the test client, with their second factor checked unless told not to."""
    import time

    from accounts.middleware import LAST_SEEN, SIGNED_IN_AT

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[LAST_SEEN] = session[SIGNED_IN_AT] = int(time.time())  # as the sign-in view does
    session.save()
    if verified:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    return client


def unused_code(user):
    """The authenticator code a person would type next: a code is accepted once, so when this window's code has
    been used (signing in, then signing off within 30 seconds) it is the next window's, which the device accepts
    (one step of drift); when that one is used too, wait for the window to move on, as the person would."""
    while True:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = totp.t()
        if device.last_t < now + 1:
            totp.time = time.time() + (device.step if device.last_t >= now else 0)
            return f"{totp.token():0{device.digits}d}"
        time.sleep(1)

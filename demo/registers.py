"""Demo registers for the demo trust's schools, so every register page has something to show.

Called by `demo.trust.seed` after the schools, pupils and staff exist. Idempotent: a school that
already has policies is left alone. Dates are relative to today, so something is always overdue,
something due soon, and something up to date.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from registers import actions, periods
from registers.models import Place, Policy

KEY_STAGES = {"primary": ["ks1", "ks2"], "secondary": ["ks3", "ks4"]}


def seed_registers(schools):
    from accounts.models import User
    from demo.trust import demo_email

    for school in schools:
        if Policy.objects.filter(school=school).exists():
            continue
        people = {role: User.objects.get(email=demo_email(role, school.slug))
                  for role in ("dsl", "deputy_dsl", "headteacher", "online_safety_coordinator", "technical", "staff",
                               "senco")}
        _seed_school(school, people)
    actions.alert_overdue_policy_reviews()


def _seed_school(school, people):
    today = timezone.localdate()
    dsl, head, osc = people["dsl"], people["headteacher"], people["online_safety_coordinator"]

    def ago(days):
        return today - timedelta(days=days)

    # I1: one overdue, one due soon, one brought forward, one up to date.
    for title, owner, approved, reviewed in [
        ("Online safety policy", osc, 800, 380),
        ("Acceptable use policy", osc, 700, 350),
        ("Child protection and safeguarding policy", dsl, 400, 60),
        ("Mobile phones and personal devices policy", head, 300, None),
    ]:
        policy = actions.add_policy(user=dsl, school=school, title=title, owner=owner,
                                    approved_by="Full governing body", approved_on=ago(approved),
                                    last_reviewed_on=ago(reviewed) if reviewed else None,
                                    link=f"https://{school.slug}.example/policies/{title.lower().replace(' ', '-')}")
        if title.startswith("Mobile"):
            actions.bring_policy_review_forward(user=dsl, policy=policy, next_review_on=today + timedelta(days=20),
                                                reason="Pupils in Year 6 and above may now bring smartwatches")

    # I2: this year's agreements; most, not all, have signed.
    year = periods.academic_year(today)
    start = date(year, 9, 1)
    staff = actions.add_agreement_version(user=dsl, school=school, audience="staff", key_stage="",
                                          academic_year=year, version=str(year), published_on=start,
                                          document_reference="Staff handbook, section 4")
    actions.record_signatures(user=dsl, version=staff, signed_on=start, staff=[dsl, head, osc, people["senco"]])
    for key_stage in KEY_STAGES.get(school.phase, ["ks3"]):
        version = actions.add_agreement_version(user=dsl, school=school, audience="pupils", key_stage=key_stage,
                                                academic_year=year, version=str(year), published_on=start,
                                                document_reference=f"Pupil agreement, {key_stage.upper()}")
        pupils = [p for p in school.pupils.on_roll().order_by("id") if periods.key_stage(p.year_group) == key_stage]
        signed = [p for n, p in enumerate(pupils) if n % 7]  # one in seven has not signed yet
        actions.record_signatures(user=dsl, version=version, signed_on=start, pupils=signed)
    for audience, name in [("parents", "Parents of new Reception pupils"), ("visitors", "Bright Sparks Robotics Club")]:
        version = actions.add_agreement_version(user=dsl, school=school, audience=audience, key_stage="",
                                                academic_year=year, version=str(year), published_on=start,
                                                document_reference="Office: visitor and admissions packs")
        actions.record_signatures(user=dsl, version=version, signed_on=start, signer_name=name)

    # I3: consent for the first pupils: this year's, last year's (expired), and one withdrawal.
    pupils = list(school.pupils.on_roll().order_by("id")[:30])
    everywhere = list(Place.values)
    for n, pupil in enumerate(pupils):
        carer = pupil.carers.first()
        by_whom = f"{carer.first_name} {carer.last_name}" if carer else "Parent"
        on = start if n % 5 else start - timedelta(days=365)
        actions.record_photo_consent(user=dsl, pupil=pupil, places=everywhere if n % 3 else everywhere[:3],
                                     decision="given", on=on, by_whom=by_whom, in_writing=True)
        if n == 1:
            actions.record_photo_consent(user=dsl, pupil=pupil, places=["social_media"], decision="withdrawn",
                                         on=ago(10), by_whom=by_whom, in_writing=True,
                                         note="Letter received at the office")

    # I4: pupils who left: one due for deletion, one due soon, one recent. A named person deletes them.
    _seed_leavers(school, today)
    actions.name_leaver_images_keeper(user=dsl, school=school, person=osc)

    # I5: training: most staff up to date; the deputy's DSL training has lapsed; the teacher is new.
    for person in (dsl, head, osc, people["senco"], people["technical"], people["deputy_dsl"]):
        actions.record_training(user=dsl, school=school, person=person, kind="induction", completed_on=ago(900),
                                provider="Local authority safeguarding team")
    for person in (dsl, head, osc, people["senco"], people["deputy_dsl"]):
        actions.record_training(user=dsl, school=school, person=person, kind="annual_update", completed_on=ago(120),
                                provider="The DSL, staff INSET day")
    actions.record_training(user=dsl, school=school, person=dsl, kind="dsl", completed_on=ago(200),
                            provider="Local authority safeguarding team")
    actions.record_training(user=dsl, school=school, person=people["deputy_dsl"], kind="dsl",
                            completed_on=ago(800), provider="Local authority safeguarding team")
    actions.record_training(user=dsl, school=school, person=dsl, kind="ypsi", completed_on=ago(200),
                            provider="UK Safer Internet Centre webinar")

    # I6: the named roles and last year's review.
    for role, name in [("senior_leader", head.full_name), ("dsl", dsl.full_name),
                       ("technical_lead", people["technical"].full_name),
                       ("provider", "Brightwater Broadband Filtering")]:
        actions.name_filtering_role(user=dsl, school=school, role=role, name=name)
    actions.record_filtering_review(user=dsl, school=school, reviewed_on=ago(340),
                                    reviewed_by=f"{head.full_name}, {dsl.full_name}, {people['technical'].full_name}",
                                    senior_leader=head.full_name, illegal_content_blocked=True,
                                    illegal_content_notes="Checked with the provider: the IWF and police lists are "
                                                          "applied upstream and cannot be turned off in school.",
                                    generative_ai="AI chat tools blocked for pupils; staff use the trust's approved "
                                                  "assistant, whose prompts are monitored.",
                                    send="Stricter settings on the resource base's laptops; alerts for those pupils "
                                         "also go to the SENCO.",
                                    eal="Monitoring keywords now include Polish and Romanian terms.",
                                    byod="Phones stay in bags; guest Wi-Fi uses the same filtering as school devices.",
                                    findings="Blocklists are current. Monitoring alerts now reach the DSL as well as "
                                             "the technical lead. Check that guest Wi-Fi is filtered too.",
                                    actions="Technical lead to test guest Wi-Fi filtering each term.")


def _seed_leavers(school, today):
    from demo.trust import upn
    from schools.models import Carer, Pupil, PupilCarer

    rng = random.Random(f"leavers-{school.slug}")  # nosec B311 - repeatable fictional demo data
    years = 12 * periods.LEAVER_IMAGES_YEARS
    for first, last, left_on in [
        ("Ivy", "Marshcombe", periods.add_months(today, -years - 10)),
        ("Oscar", "Fernholt", periods.add_months(today, -years) + timedelta(days=40)),
        ("Ruby", "Larkmere", periods.add_months(today, -24)),
    ]:
        pupil = Pupil.objects.create(school=school, upn=upn(rng), legal_first_name=first, legal_last_name=last,
                                     date_of_birth=left_on - timedelta(days=365 * 11), sex="F" if first != "Oscar"
                                     else "M", year_group=6 if school.phase == "primary" else 11, left_on=left_on)
        carer = Carer.objects.create(school=school, first_name="Sam", last_name=last)
        PupilCarer.objects.create(pupil=pupil, carer=carer, relationship="Parent")

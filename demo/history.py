"""A year of fictional incidents for the demo trust, so that dashboards, trends and the termly
packs have something to show. Called by demo/trust.py; idempotent.

Each incident is written the way Harbour writes one (report → case → answers → closure),
each step at its own moment in the past: `timezone.now` is set back while it runs, so the
chronology, clocks and audit trail all carry the dates the story happened.
"""

import random
import uuid
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.utils import timezone

KINDS = [("cyberbullying", 9), ("nudes-sharing", 6), ("sextortion", 3), ("online-hate", 2),
         ("filtering-breach", 2), ("online-sexual-abuse", 1), ("deepfake", 1), ("radicalisation", 1),
         ("misinformation", 1)]
ROLES = {"cyberbullying": ["harmed", "harmed_others"], "nudes-sharing": ["pictured", "shared_onward"],
         "sextortion": ["pictured"], "online-hate": ["harmed", "witness"], "filtering-breach": ["other"],
         "online-sexual-abuse": ["harmed"], "deepfake": ["pictured", "created"], "radicalisation": ["other"],
         "misinformation": ["other", "harmed"]}
ACCOUNTS = {
    "cyberbullying": "A pupil said others in a class group chat keep posting unkind messages about them.",
    "nudes-sharing": "A pupil said a photo they sent to a boyfriend or girlfriend has been shared further.",
    "sextortion": "A pupil said someone they met online is asking for money, or they will share a photo.",
    "online-hate": "A pupil showed me hateful comments about their religion under a video they posted.",
    "filtering-breach": "The filter blocked repeated searches for self-harm content on a library computer.",
    "online-sexual-abuse": "A pupil said an adult they met in a game has been asking them to keep secrets.",
    "deepfake": "A pupil said a made-up picture of them is being passed round on a messaging app.",
    "radicalisation": "A pupil has been sharing extremist videos with friends and repeating what they say.",
    "misinformation": "Several pupils are frightened by a video claiming the school's water is poisoned.",
}
NO_CRITERIA = {f"B2.{n}": False for n in range(1, 7)}  # none of the immediate referral criteria (B2)
LESSONS = [
    "Parents asked for a short guide to group chat settings: add one to the newsletter.",
    "The first conversation went well because the form tutor knew the child: involve tutors early.",
    "Evidence was described, not saved: staff followed the guidance. Repeat it at the next briefing.",
    "It took two days to reach the family: keep a second contact number for every child.",
    "Year 8 PSHE covers sharing images too late in the year: move it to the autumn term.",
    "The child wanted to be part of telling their parents, and it helped: offer it every time.",
]


@contextmanager
def as_if(moment):
    """Run the block as though it were `moment` (timezone.now only; nothing else is touched)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def seed_history(school, *, count, seed):
    """About `count` incidents at `school` over the past year. Does nothing if it already has old ones."""
    from accounts.models import User
    from cases import actions
    from cases.models import Case
    from concerns.actions import Report, submit_concern
    from demo.trust import demo_email
    from schools.models import Pupil

    now = timezone.now()
    if Case.objects.filter(school=school, incident_recorded_at__lt=now - timedelta(days=60)).exists():
        return 0
    rng = random.Random(seed)  # nosec B311 - repeatable fictional demo data
    staff = User.objects.get(email=demo_email("staff", school.slug))
    dsl = User.objects.get(email=demo_email("dsl", school.slug))
    pupils = list(Pupil.objects.filter(school=school).order_by("id"))
    regulars = rng.sample(pupils, 6)  # a few children are involved more than once
    kinds, weights = zip(*KINDS, strict=True)
    made = 0
    for day in sorted(rng.sample(range(3, 340), count), reverse=True):
        reported = (now - timedelta(days=day)).replace(hour=rng.randrange(8, 16), minute=rng.randrange(60))
        kind = rng.choices(kinds, weights)[0]
        chosen = [rng.choice(regulars) if rng.random() < 0.3 else rng.choice(pupils)]
        if rng.random() < 0.4:
            chosen.append(rng.choice(pupils))
        children = [(p, rng.choice(ROLES[kind])) for p in dict.fromkeys(chosen)]
        with as_if(reported):
            concern, _ = submit_concern(user=staff, school=school, idempotency_key=uuid.uuid4(),
                                        report=Report(incident_type=kind, account=ACCOUNTS[kind], children=children,
                                                      dsl_told_in_person=True))
        if day < 4 and rng.random() < 0.5:
            made += 1
            continue  # waiting for the DSL
        opened = reported + timedelta(minutes=rng.choice([8, 15, 25, 40, 55, 75, 130, 300]))
        with as_if(opened):
            case = actions.open_case(user=dsl, concern=concern)
        made += 1
        first_step = opened + timedelta(hours=rng.choice([1, 2, 4, 20]))
        with as_if(first_step):
            for task in case.tasks.outstanding().filter(phase="immediate")[: rng.randrange(1, 4)]:
                actions.complete_task(user=dsl, task=task, done=True)
        if day < 35 or rng.random() < 0.15:
            continue  # still open
        _close(case, dsl, opened + timedelta(days=rng.randrange(3, 28)), rng)
    return made


def _required_referrals(case, dsl, made_at):
    """B15: the referrals the kind requires whatever the answers (the police for sextortion, the LADO for an
    allegation, a Prevent referral), recorded as a DSL would, with the LADO's advice. True if any was made."""
    from cases import actions, agencies, evaluation

    made = False
    for item in evaluation.assess(case).required:
        if item["applies"] is True and not item["satisfied"]:
            referral = actions.record_referral(user=dsl, case=case, agency=item["agency"], made_at=made_at,
                                               route=agencies.get(item["agency"])["routes"][0])
            if item["answer_needed"]:
                actions.record_response(user=dsl, referral=referral, response="Advice given; the school supports "
                                        "the child and does not investigate.", response_at=made_at)
            made = made or item["agency"] in agencies.b2_ids()
    return made


def _close(case, dsl, when, rng):
    from cases import actions, evaluation

    with as_if(when):
        answers = {q["id"]: "Discussed at the meeting." for q in case.procedure.get("initial_review_questions", [])}
        actions.record_review(user=dsl, case=case, held_at=when - timedelta(days=1), attendees=[dsl],
                              other_attendees="Head of year", answers=answers)
        kind_questions = {q["id"]: False for q in case.procedure.get("yes_no_questions", [])}
        actions.update_answers(user=dsl, case=case, facts={**NO_CRITERIA, **kind_questions})
        referred = rng.random() < 0.35
        if referred:
            agency, route = rng.choice([("csc", "phone"), ("police", "police_101")])
            actions.record_referral(user=dsl, case=case, agency=agency, route=route, made_at=when - timedelta(days=1))
        referred = _required_referrals(case, dsl, when - timedelta(days=1)) or referred
        if case.procedure.get("typology"):
            suggested = evaluation.assess(case).result["suggested_classification"]
            actions.confirm_classification(user=dsl, case=case, choice=suggested or "experimental.romantic",
                                           reason="As the answers at the review meeting show.")
        outcome = "refer" if referred and rng.random() < 0.6 else "seek_advice"
        actions.set_outcome(user=dsl, case=case, outcome=outcome, reason="Agreed at the review meeting.")
        for task in case.tasks.outstanding().exclude(phase="ongoing"):
            actions.complete_task(user=dsl, task=task, done=True)
        actions.close_case(user=dsl, case=case, summary="Resolved with the child and family.",
                           debrief="The DSL, the head of year and the form tutor met.",
                           lessons_learnt=rng.choice(LESSONS), policy_changes="None.")

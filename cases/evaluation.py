"""Joins a case to the pure engine: the facts Harbour knows itself, then `evaluate`.

The DSL answers the criteria and factors; Harbour adds what it can work out from its
own records, so nobody has to remember it:
- B3.6 "involved before?" from earlier cases of the same children;
- the youngest child's age (for the B8 typology) from dates of birth, unless the DSL
  gave one (children outside the school may be younger);
- what the case has recorded: referrals and their answers, escalations, decisions not to
  refer (B2, B3, B6, B15). The engine takes these as facts, so the case and
  `procedure evaluate` give one answer about what may happen next (issue 17.8).
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from django.db import connection, connections
from django.db.models import Exists, OuterRef

from accounts.capabilities import ROLE_LABELS
from accounts.pickers import role_label
from cases import agencies
from cases.models import Case, CaseMember, Decision
from concerns.models import ConcernChild
from lib.compiled import Compiled
from procedures import engine, schema

YES_NO_KEYS = engine.TYPOLOGY_YES_NO
RELATIONSHIPS = ("partners", "non_partners", "self", "unknown")


def _links(case_id):
    return ConcernChild.objects.filter(concern__case_id=case_id).order_by(
        "pupil__legal_last_name", "pupil__legal_first_name", "concern__created_at")


_LINKS_WITH_PUPILS = Compiled(lambda case_id: _links(case_id).select_related("pupil"))  # lib/compiled.py


def case_pupils(case, concerns=None):
    """The children named in the case's concerns, with their roles, oldest link first.

    `concerns`: the case's concerns when the caller has read them already (the case page); each link's `concern` is
    then one of them rather than read again with it (and the SQL is compiled once, issue 24)."""
    if concerns is None:
        return list(_links(case.id).select_related("pupil", "concern"))
    by_id, cache = {c.id: c for c in concerns}, ConcernChild.concern.field
    links = _LINKS_WITH_PUPILS(case.id)
    for link in links:
        cache.set_cached_value(link, by_id[link.concern_id])
    return links


# What an earlier case is read for: its reference, kind and date on the case page, and whether the viewer may read it.
EARLIER_FIELDS = ("id", "school_id", "incident_type", "route", "status", "subject_staff_id", "depicted_staff_id",
                  "opened_at")


def earlier_cases(case, pupil_ids=None, *, viewer=None):
    """B3.6: other cases, opened before this one, about any of the same children.

    With `viewer` (a signed-in user), each case also says in `viewer_added` whether that user was added to it, read
    in the same query, so that whether they may read it (`readable`) costs no other query whatever the cases are."""
    if pupil_ids is None:
        pupil_ids = {link.pupil_id for link in case_pupils(case)}
    if not pupil_ids:
        return []
    with_viewer = viewer is not None and viewer.is_authenticated
    sql = _earlier_sql(connection.alias, connection.vendor, len(pupil_ids), with_viewer)
    opened_at = Case._meta.get_field("opened_at").get_db_prep_value(case.opened_at, connection)
    rows = list(Case.objects.raw(sql, [*([1, viewer.pk] if with_viewer else []), *sorted(pupil_ids), opened_at,
                                       case.id]))
    for row in rows:
        row.viewer_added_for = viewer.pk if with_viewer else None  # whose membership `viewer_added` says
    return rows


def _earlier_query(pupil_ids, opened_before, case_id, viewer_id=None):
    cases = (
        Case.objects.filter(concerns__children__pupil_id__in=pupil_ids, opened_at__lt=opened_before)
        .exclude(id=case_id)
        # Listed by reference, kind and date; read or not by the fields `CASES.allows` looks at (cases/access.py).
        .only(*EARLIER_FIELDS)
        .distinct()
        .order_by("-opened_at")
    )
    if viewer_id is not None:
        cases = cases.annotate(viewer_added=Exists(CaseMember.objects.filter(case=OuterRef("pk"), user_id=viewer_id)))
    return cases


@lru_cache(maxsize=64)
def _earlier_sql(alias, vendor, count, with_viewer=False):
    """The SQL of `_earlier_query` for `count` children, compiled by the ORM once per database, count and whether a
    viewer's membership is asked (compiling it cost more than running it and building the rows, issue 24). Its
    parameters: EXISTS's 1 and the viewer's id (if asked), the children's ids in order, when the case opened, the
    case's id; checked here against what the ORM gives for stand-in values."""
    ids, when, viewer = list(range(-count, 0)), datetime(2000, 1, 1, tzinfo=UTC), -count - 2
    sql, params = _earlier_query(ids, when, -count - 1, viewer if with_viewer else None).query.sql_with_params()
    expected = [*([1, viewer] if with_viewer else []), *ids,
                Case._meta.get_field("opened_at").get_db_prep_value(when, connections[alias]), -count - 1]
    if list(params) != expected:
        raise RuntimeError(f"earlier cases: the ORM's parameters changed shape ({params!r})")
    return sql


def age_on(date_of_birth, day):
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


@dataclass
class Assessment:
    facts: dict  # what the engine saw
    result: dict  # what the engine said
    earlier: list = field(default_factory=list)
    links: list = field(default_factory=list)
    computed_age: int | None = None
    referral_recorded: bool = False

    @property
    def referral_required(self):
        return self.result["referral_required"]

    @property
    def missing_referral(self):
        """B2: a criterion is met and no referral to children's social care or police is recorded."""
        return self.result["referral_required"] and not self.referral_recorded

    def blocked(self, what):
        """The engine's reasons, in words, why `what` (engine.MANAGED_IN_SCHOOL, NO_REFERRAL or CLOSE) cannot
        happen yet; empty when nothing in the procedure stands in the way."""
        return [r["text"] for r in self.result["blocked_reasons"][what]]

    def blocked_reasons(self, what):
        """As `blocked`, each reason with its code and the questions or agencies it is about ({code, text, items})."""
        return self.result["blocked_reasons"][what]

    @property
    def implied(self):
        """{question id: what the kind implies about it now} (B14, B16)."""
        return {i["question"]: i for i in self.result["implied_answers"]}

    @property
    def required(self):
        """The referrals the kind requires now, or may require once a question is answered (B15)."""
        return self.result["required_referrals"]

    def locked_steps(self):
        """{task key: why it can never be marked "not done"}: the steps of a required referral (B15)."""
        locked = {}
        for item in self.required:
            if item["satisfied"]:
                continue
            if item["applies"] is None:
                asked = " and ".join(f"‘{c}’" for c in item["condition"])
                why = f"Answer {asked} first: if the answer is yes, {item['to']} must be told."
            else:
                why = item["reason"]
            for key in item["tasks"]:
                locked.setdefault(key, why)
        return locked


def recorded_facts(referrals, decisions):
    """What the case has recorded, as the facts the engine reads (see procedures/engine.py): from its referrals
    (anything with `agency` and `response_at`) and decisions (`kind`, `choice`, `state`)."""
    made = {r.agency for r in referrals}
    b2 = made & set(agencies.b2_ids())
    return {
        "referral_recorded": bool(b2),
        "referrals_recorded": sorted(made),
        "referrals_answered": sorted({r.agency for r in referrals if r.response_at}),
        "referrals_declined": sorted({d.choice for d in decisions if d.kind == Decision.Kind.REFERRAL_NOT_MADE}),
        "escalation_recorded": bool(b2) or any(d.kind == Decision.Kind.CONSULTATION for d in decisions),
        "no_referral_signed_off": any(d.kind == Decision.Kind.NO_REFERRAL and d.state == Decision.State.SIGNED_OFF
                                      for d in decisions),
    }


def assess(case, facts=None, *, referrals=None, decisions=None, concerns=None, viewer=None):
    """Evaluate the case's pinned procedure on its answers plus what Harbour knows.

    `referrals` and `decisions`: the case's, when the caller has read them already (otherwise two small queries);
    `concerns`: likewise, for the children's links (`case_pupils`); `viewer`: the person the earlier cases will be
    shown to, whose membership of each is read with them (`earlier_cases`).
    """
    links = case_pupils(case, concerns)
    earlier = earlier_cases(case, {link.pupil_id for link in links}, viewer=viewer)
    answers = dict(case.facts if facts is None else facts)
    if earlier:
        answers["B3.6"] = True
    ages = [age_on(link.pupil.date_of_birth, case.incident_recorded_at.date())
            for link in links if link.pupil.date_of_birth]
    computed_age = min(ages) if ages else None
    if not isinstance(answers.get("youngest_age"), int) and computed_age is not None:
        answers["youngest_age"] = computed_age
    if referrals is None:
        referrals = list(case.referrals.only("agency", "response_at"))
    if decisions is None:
        decisions = list(case.decisions.only("kind", "choice", "state"))
    answers.update(recorded_facts(referrals, decisions))
    # J8: the sign-off roles named as the school's nation names them.
    labels = {role: str(role_label(role, case.school)) for role in ROLE_LABELS}
    result = engine.evaluate(procedure_of(case), answers, role_labels=labels)
    return Assessment(facts=answers, result=result, earlier=earlier, links=links, computed_age=computed_age,
                      referral_recorded=answers["referral_recorded"])


def procedure_of(case):
    """The case's pinned procedure with every key present, even when pinned before a key existed. Worked out once per
    case object and pinned copy (the case page asks four times); a case given another pinned copy (a move to a newer
    version) is worked out again. Read it, never change it: the result is shared (`_with_defaults`)."""
    held = case.__dict__.get("_procedure_of")
    if held is None or held[0] is not case.procedure:
        held = (case.procedure, _with_defaults(case.procedure))
        case.__dict__["_procedure_of"] = held
    return held[1]


def _with_defaults(definition):
    """`schema.with_defaults(definition)`, kept for the process by the pinned copy's content: a pinned copy is
    versioned procedure data that no request changes, and every case pinned to the same copy shares one walk of the
    definition (~0.5 ms and ~2,700 calls each, issue 24). Keyed by the whole copy as JSON, not by its version
    numbers, so two copies that differ in anything (a school's words, a trust's override) are never confused; built
    from that JSON, so it shares nothing with the case's own copy."""
    shown = json.dumps(definition, ensure_ascii=False)
    found = _DEFAULTS.get(shown)
    if found is None:
        if len(_DEFAULTS) >= 256:  # a handful of versions are in use at once; never grow without bound
            _DEFAULTS.clear()
        found = _DEFAULTS[shown] = schema.with_defaults(json.loads(shown))
    return found


_DEFAULTS = {}


def describe_changes(before: dict, after: dict, procedure: dict) -> list[str]:
    """B7: what changed between two evaluations, in words the DSL can act on."""
    texts = {
        c["id"]: c["text"] for c in procedure.get("referral_criteria", []) + procedure.get("escalation_factors", [])
    }
    changes = []
    old_met, new_met = set(before.get("criteria_met", [])), set(after.get("criteria_met", []))
    for cid in sorted(new_met - old_met):
        changes.append(f"A referral criterion now applies: {texts.get(cid, cid)}")
    for cid in sorted(old_met - new_met):
        changes.append(f"A referral criterion no longer applies: {texts.get(cid, cid)}")
    old_f, new_f = set(before.get("escalation_factors", [])), set(after.get("escalation_factors", []))
    for fid in sorted(new_f - old_f):
        changes.append(f"An escalation factor is now present: {texts.get(fid, fid)}")
    for fid in sorted(old_f - new_f):
        changes.append(f"An escalation factor is no longer present: {texts.get(fid, fid)}")
    old_r = {(r["agency"], r["applies"]) for r in before.get("required_referrals", [])}
    for item in after.get("required_referrals", []):
        if item["applies"] is True and (item["agency"], True) not in old_r and not item["satisfied"]:
            changes.append(f"A referral to {item['to']} is now required: {item['reason']}")
    if before and bool(before.get("referral_required")) != bool(after.get("referral_required")):
        changes.append("A referral is now required." if after.get("referral_required")
                       else "No referral criterion applies any more.")
    old_s, new_s = before.get("suggested_classification"), after.get("suggested_classification")
    if old_s != new_s and (before or new_s):
        changes.append(f"Suggested classification: {classification_label(old_s)} → {classification_label(new_s)}.")
    return changes


CLASSIFICATION_LABELS = {
    engine.ADULT_INVOLVED: "Aggravated: adult involved",
    engine.INTENT_TO_HARM: "Aggravated: youth only, intent to harm",
    engine.RECKLESS_MISUSE: "Aggravated: youth only, reckless misuse",
    engine.ROMANTIC: "Experimental: romantic",
    engine.ATTENTION_SEEKING: "Experimental: sexual attention seeking",
    engine.OTHER: "Experimental: other",
}


def classification_label(value):
    if not value:
        return "none yet"
    return CLASSIFICATION_LABELS.get(value, value)

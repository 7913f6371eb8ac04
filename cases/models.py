"""The DSL's case: one incident, however many concerns were reported about it.

A case pins the procedure it was opened under (a copy of the effective definition,
rule "procedures are data"), keeps the answers the engine evaluates (B2, B3, B8),
and holds what the DSL team records: the initial review (B1), decisions with their
reasons (B10), sign-offs (B6), referrals, tasks with clocks (E7), and closure (G1, H1).
The chronology is append-only: entries are added, never edited.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from concerns.models import IncidentType, Route
from lib import choices


# J2: the procedures about sexual imagery of a child. Each asks whether the imagery is, or may be, made or altered
# with AI (the yes/no question AI_QUESTION, kept in `Case.facts`); a deepfake implies yes unless the DSL changed it.
IMAGERY_PROCEDURES = ("nudes-sharing", "sextortion", "online-sexual-abuse", "iioc", "upskirting", "deepfake")
AI_QUESTION = "ai_made_or_altered"


def ai_made_q():
    """J2: a Q for the cases whose imagery is, or may be, made or altered with AI, for filters and counts alike.

    Answered yes; or a deepfake, where the kind implies it, unless the DSL changed that answer with a reason. Each
    part reads a key only where it exists, so that no part is NULL on PostgreSQL (a NULL would drop the row)."""
    answered_yes = Q(**{f"facts__{AI_QUESTION}": True})
    deepfake = Q(incident_type=IncidentType.DEEPFAKE)
    unchanged = ~Q(facts__has_key="implied_changes") | (
        Q(facts__has_key="implied_changes") & ~Q(**{"facts__implied_changes__has_key": AI_QUESTION}))
    return answered_yes | (deepfake & unchanged)


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Case.Status.OPEN)

    def imagery(self):
        """J2: cases that follow one of the imagery procedures."""
        return self.filter(procedure_id__in=IMAGERY_PROCEDURES)

    def ai_made(self):
        """J2: imagery cases whose imagery is, or may be, made or altered with AI."""
        return self.imagery().filter(ai_made_q())


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        """Rule B5."""

        REFER = "refer", "Referred: a child is at risk of harm"
        SEEK_ADVICE = "seek_advice", "Information, advice or support sought from other agencies"
        MANAGED_IN_SCHOOL = "managed_in_school", "Managed and supported by the school directly"
        # F4, B15: offered only where the pinned procedure lists it among its outcomes (radicalisation).
        PREVENT = "prevent", "Referred to Prevent"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="cases")
    incident_type = models.CharField(max_length=32, choices=IncidentType.choices)
    # Who may see it follows the concern it was opened from (A4: allegations stay with the
    # headteacher or the chair, never the DSL queue).
    route = models.CharField(max_length=16, choices=Route.choices)
    subject_staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    # J3: the adult member of staff an AI-made or altered image shows. They are the person harmed, not the subject
    # of an allegation: they read the case only once the safeguarding team adds them, and never run it.
    depicted_staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # Shown many times a page (each earlier case's kind): from maps built once (lib/choices.py).
    get_incident_type_display = choices.display("incident_type")
    get_status_display = choices.display("status")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    # E7: every clock starts when the incident was first recorded (the earliest concern).
    incident_recorded_at = models.DateTimeField()

    # The procedure this case follows, pinned when it was opened: a copy of the effective
    # definition (shipped, then trust, then school changes) with its version label.
    procedure_id = models.CharField(max_length=32)
    procedure = models.JSONField()

    # Answers the engine evaluates (B2.x, B3.x, typology facts) and the risk questions (B4).
    facts = models.JSONField(default=dict, blank=True)
    risk_answers = models.JSONField(default=dict, blank=True)
    # The last evaluation, kept so that a change can be explained (B7).
    evaluation = models.JSONField(default=dict, blank=True)
    # The JSON above, kilobytes a case: a list that shows only references and dates leaves it unread
    # (queryset.defer(*Case.JSON_FIELDS)); decoding it would cost more than the rest of the page.
    JSON_FIELDS = ("procedure", "facts", "risk_answers", "evaluation")
    # The versions the pinned copy is made of (procedure_changes.pinned_versions) as JSON text, kept beside the copy
    # whenever it is saved, so that the home page finds the cases behind a newer version without decoding every open
    # case's copy (issue 24). Empty (NULL) only for a case closed before it was kept; saving the case fills it.
    pinned_versions = models.CharField(max_length=200, null=True, blank=True, editable=False)

    classification = models.CharField(max_length=40, blank=True)  # B8, as confirmed by the DSL
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)  # B5
    review_date = models.DateField(null=True, blank=True)  # the "ongoing" clock (E4)

    # Closure (H1, G1). Reopening keeps these in the chronology and clears them here.
    summary = models.TextField(blank=True)
    debrief = models.TextField(blank=True)
    lessons_learnt = models.TextField(blank=True)
    policy_changes = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")

    objects = CaseQuerySet.as_manager()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        deferred = self.get_deferred_fields()
        if "pinned_versions" not in deferred and "procedure" not in deferred and (
                update_fields is None or "procedure" in update_fields or self.pinned_versions is None):
            from cases.procedure_changes import pinned_text

            self.pinned_versions = pinned_text(self.procedure)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "pinned_versions"}
        super().save(*args, **kwargs)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="case_status_valid"),
            models.CheckConstraint(condition=Q(route__in=Route.values), name="case_route_valid"),
            models.CheckConstraint(
                condition=Q(outcome__in=["", "refer", "seek_advice", "managed_in_school", "prevent"]),
                name="case_outcome_valid"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False) & ~Q(summary="") & ~Q(lessons_learnt=""),
                name="case_closure_complete",
            ),
        ]
        # A school's open cases, newest first (the case list), and with the route and subject columns too,
        # so counting what someone oversees (reports.scope) never reads the cases' large rows.
        indexes = [models.Index(fields=["school", "status", "opened_at", "route", "subject_staff"],
                                name="case_school_status_scope"),
                   # The open cases' pinned versions, with all the home page's check asks (versions.behind_ids), so it
                   # reads this index only: on SQLite the versions, stored after the pinned copy, cost a walk through
                   # each case's large row (issue 24: 950 open cases, 6-13 ms of every DSL home page).
                   models.Index(fields=["school", "status", "opened_at", "route", "subject_staff", "depicted_staff",
                                        "procedure_id", "pinned_versions"], condition=Q(status="open"),
                                name="case_open_versions")]

    def __str__(self):
        return f"Case {self.reference}"

    @property
    def reference(self):
        return self.reference_of(self.id)

    @staticmethod
    def reference_of(case_id):
        """A case's reference from its id alone, for a list that reads rows rather than cases."""
        return f"K{case_id:06d}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def procedure_label(self):
        return (self.procedure.get("pinned") or {}).get("label") or self.procedure.get("title", self.procedure_id)


class CaseMember(models.Model):
    """Someone given access to one case beyond the team that owns it (each addition audited)."""

    class Why(models.TextChoices):
        ADDED = "added", "Added by the safeguarding team"
        SENCO = "senco", "SENCO for a child with special educational needs (B11)"
        SIGN_OFF = "sign_off", "Asked to sign off a decision (B6)"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships")
    why = models.CharField(max_length=16, choices=Why.choices)
    reason = models.CharField(max_length=500)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_member_unique")]


class Entry(models.Model):
    """One line of the chronology. Never edited (a database trigger refuses updates)."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Case opened"
        CONCERN = "concern", "Concern added"
        NOTE = "note", "Note"
        REVIEW = "review", "Initial review meeting"
        ANSWERS = "answers", "Answers changed"
        REFERRAL_REQUIRED = "referral_required", "Referral required"
        DECISION = "decision", "Decision"
        SIGN_OFF = "sign_off", "Sign-off"
        REFERRAL = "referral", "Referral recorded"
        OUTCOME = "outcome", "Outcome"
        TASK = "task", "Task"
        ESCALATION = "escalation", "Escalation"
        PERSON = "person", "Person added"
        CLOSED = "closed", "Case closed"
        REOPENED = "reopened", "Case reopened"
        PROCEDURE = "procedure", "Procedure version"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField()
    # None for entries written by Harbour itself (an escalation by the worker).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    text = models.TextField()
    rules = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]


class ReviewMeeting(models.Model):
    """Rule B1: the initial review meeting, who attended and the answers."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    held_at = models.DateTimeField()
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    other_attendees = models.CharField("others who attended", max_length=500, blank=True)
    answers = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["held_at", "id"]


class Decision(models.Model):
    """Rule B10: every action taken, and every action not taken, with the options and the reason."""

    class Kind(models.TextChoices):
        ACTION_TAKEN = "action_taken", "Action taken"
        ACTION_NOT_TAKEN = "action_not_taken", "Action not taken"
        NO_REFERRAL = "no_referral", "Decision not to refer"
        CLASSIFICATION = "classification", "Classification"
        OUTCOME = "outcome", "Outcome"
        ADVICE = "advice", "Advice sought"
        # B3: an escalation through child protection procedures short of a referral, with their advice.
        CONSULTATION = "csc_consultation", "Consultation with children's social care"
        # B15: a referral the procedure requires a decision on (Prevent) was decided against; `choice` is the agency.
        REFERRAL_NOT_MADE = "referral_not_made", "Decided not to refer"

    class State(models.TextChoices):
        RECORDED = "recorded", "Recorded"
        AWAITING_SIGN_OFF = "awaiting", "Waiting for sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        WITHDRAWN = "withdrawn", "Withdrawn"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    options = models.JSONField(default=list, blank=True)
    choice = models.CharField(max_length=500)
    reason = models.TextField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECORDED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    rules = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="decision_has_reason")]


class SignOff(models.Model):
    """Rule B6: one named role's signature on a decision not to refer."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="sign_offs")
    # The case's school (which never changes), kept here so that the home page finds the sign-offs waiting at one
    # school from an index of this table alone.
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=32)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["decision", "role"], name="sign_off_unique_role")]
        # The home page asks for the sign-offs still waiting at a school: without this the database read every case
        # of the school to find them (115 ms at a school with 62,000 cases; issue 24's full bench). Keyed by school
        # first, so that it reads only that school's (round two: not every school's, then filtered).
        indexes = [models.Index(fields=["school", "decision"], condition=Q(signed_at__isnull=True),
                                name="sign_off_waiting_school")]

    @property
    def role_label(self):
        """The role in the words of the case's school's nation (J8): a child protection coordinator in Scotland."""
        from accounts.capabilities import ROLE_LABELS
        from accounts.pickers import role_label

        return str(role_label(self.role, self.decision.case.school)) if self.role in ROLE_LABELS else self.role


class ReferralQuerySet(models.QuerySet):
    def referrals(self):
        """Referrals proper: an agency took the concern on (not a report to a reporting service)."""
        return self.filter(kind=Referral.Kind.REFERRAL)

    def for_b2(self):
        """Referrals that satisfy a B2 "referral required now" banner."""
        from cases import agencies

        return self.filter(agency__in=agencies.b2_ids())


class Referral(models.Model):
    """A referral or an external report, outside the school (B2, B12, B13, C8, F1).

    Who it went to is an id from cases/agencies.toml, which says what each agency needs.
    """

    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral"
        REPORT = "report", "Report"
        SHARED = "shared", "Information shared"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REFERRAL)
    agency = models.CharField(max_length=24)
    route = models.CharField(max_length=16, blank=True)
    made_at = models.DateTimeField()
    reference = models.CharField("their reference number", max_length=100, blank=True)
    platform = models.CharField(max_length=120, blank=True)
    urls = models.JSONField(default=list, blank=True)  # web addresses only (IWF), never material
    notes = models.TextField(blank=True)  # what was said or asked
    # B13: before passing an incident beyond the school, the police or local team were spoken to first.
    spoke_first = models.BooleanField(null=True, blank=True)
    spoke_first_reason = models.TextField(blank=True)
    feedback_due_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)
    response_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    crime_reference = models.CharField(max_length=60, blank=True)
    outcome_code = models.CharField("police outcome code", max_length=12, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["made_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(spoke_first=False) | ~Q(spoke_first_reason=""),
                                   name="referral_b13_reason"),
        ]

    @property
    def agency_label(self):
        from cases import agencies

        return agencies.label(self.agency)

    @property
    def route_label(self):
        from cases import agencies

        return agencies.routes().get(self.route, "")

    @property
    def awaiting_feedback(self):
        return self.feedback_due_at is not None and self.response_at is None


class TaskQuerySet(models.QuerySet):
    def outstanding(self):
        return self.filter(completed_at__isnull=True)

    def overdue(self, now=None):
        return self.outstanding().filter(due_at__lt=now or timezone.now())


class Task(models.Model):
    """One step of the procedure's action plan, with a due time from its phase (E1–E4, E7)."""

    class Phase(models.TextChoices):
        IMMEDIATE = "immediate", "Immediate"
        SHORT_TERM = "short_term", "Short term"
        MEDIUM_TERM = "medium_term", "Medium term"
        ONGOING = "ongoing", "Ongoing"

    class Result(models.TextChoices):
        DONE = "done", "Done"
        NOT_NEEDED = "not_needed", "Not done"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    key = models.CharField(max_length=40)  # the task id in the pinned procedure
    phase = models.CharField(max_length=16, choices=Phase.choices)
    title = models.TextField()
    rules = models.JSONField(default=list, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)  # None: ongoing, kept by the review date
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    result = models.CharField(max_length=12, choices=Result.choices, blank=True)
    note = models.TextField(blank=True)  # required when not done (B10)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # 20.2: due before the case opened, so "due now", with due_at at the end of the procedure's grace (E7).
    due_before_open = models.BooleanField(default=False)
    # 20.2: the done_when event that ticked it ("" when a person did), so reports can tell a step someone did from
    # one the system knew was done (the concern acknowledged, Harbour's own notice).
    ticked_by = models.CharField(max_length=40, blank=True, default="")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="task_unique_key"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True, result="")
                | Q(completed_at__isnull=False, result="done")
                | Q(completed_at__isnull=False, result="not_needed") & ~Q(note=""),
                name="task_result_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["completed_at", "due_at"], name="task_outstanding_due"),
            # A case's outstanding tasks, by due time. It serves the case page's closure blockers (without it,
            # SQLite with statistics (ANALYZE) reads "completed_at IS NULL" through task_outstanding_due, every
            # open task of every school: 90 ms per case page at 500,000 cases) and the dashboard's overdue
            # count, read one school's open cases at a time (70 → 35 ms). bench/README.md.
            models.Index(fields=["case", "completed_at", "due_at"], name="task_case_open_due"),
        ]

    @property
    def is_open(self):
        return self.completed_at is None

    def is_overdue(self, now=None):
        return self.is_open and self.due_at is not None and self.due_at < (now or timezone.now())


PHASE_ORDER = [p for p, _ in Task.Phase.choices]


class VersionChoice(models.Model):
    """J7, B10: when a newer version of its procedure is in force, the DSL moves an open case to it or keeps the
    version it follows, with the reason. One row per choice; a case kept on its version is not asked again about
    the same newer version."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="version_choices")
    moved = models.BooleanField()
    from_label = models.CharField(max_length=300)
    to_label = models.CharField(max_length=300)
    # The versions in force when the choice was made: (shipped, trust, school), as procedure_changes.pinned_versions.
    to_versions = models.JSONField()
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "id"]


def phase_deadlines(procedure, recorded_at):
    """E7: each timed phase ends at the latest due time of its tasks, counted from `recorded_at`."""
    latest: dict[str, int] = {}
    for t in procedure.get("tasks", []):
        if t.get("due_after_minutes") is not None:
            latest[t["phase"]] = max(latest.get(t["phase"], 0), t["due_after_minutes"])
    return {phase: recorded_at + timedelta(minutes=m) for phase, m in latest.items()}


class Takedown(models.Model):
    """J5: Report Remove (under 18s, through Childline and the IWF) or Take It Down (a hash made on the child's own
    device) offered to a child pictured in imagery online: what was offered, the child's choice, and the outcome.

    Never the image, and never a hash: the child uses the services on their own device, and Harbour never sees
    either. Append-only: each time the child decides or the outcome becomes known, a new row is added, so the
    history is kept; a child's latest row is where things stand."""

    class Service(models.TextChoices):
        REPORT_REMOVE = "report_remove", "Report Remove (Childline and the Internet Watch Foundation)"
        TAKE_IT_DOWN = "take_it_down", "Take It Down"
        BOTH = "both", "Both Report Remove and Take It Down"

    class Choice(models.TextChoices):
        WANTS_TO_USE = "wants_to_use", "Wants to use it"
        DOES_NOT = "does_not", "Does not want to use it"
        WANTS_HELP = "wants_help", "Wants help to use it"
        UNDECIDED = "undecided", "Not decided yet"

    class Outcome(models.TextChoices):
        NOT_KNOWN = "not_known", "Not known yet"
        REPORTED = "reported", "Reported"
        REMOVED = "removed", "Removed"
        NOT_REMOVED = "not_removed", "Not removed"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="takedowns")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=16, choices=Service.choices)
    choice = models.CharField(max_length=16, choices=Choice.choices, default=Choice.UNDECIDED)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.NOT_KNOWN)
    notes = models.TextField(blank=True, max_length=2000)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(service__in=["report_remove", "take_it_down", "both"]),
                                   name="takedown_service_valid"),
            models.CheckConstraint(condition=Q(choice__in=["wants_to_use", "does_not", "wants_help", "undecided"]),
                                   name="takedown_choice_valid"),
            models.CheckConstraint(condition=Q(outcome__in=["not_known", "reported", "removed", "not_removed"]),
                                   name="takedown_outcome_valid"),
        ]
        indexes = [models.Index(fields=["case", "pupil", "recorded_at"], name="takedown_case_child")]

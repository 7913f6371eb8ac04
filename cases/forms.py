"""The case pages' forms: they clean and convert what was typed; the rules are in `cases.actions`.

Each box is optional here unless a page cannot mean anything without it (a radio that says which of two things
happened): the action says what is missing, in its own words. Lengths come from the model columns, so a value
too long for its column is refused beside its box (lib/forms.py); every text box is checked for a picture
written as text (A3).
"""

from django import forms
from django.utils.translation import gettext, gettext_lazy

from accounts.pickers import label
from cases import agencies
from cases.models import Case, CaseMember, Decision, Referral, ReviewMeeting, SignOff, Takedown
from lib.forms import Form, LocalDateTimeField, ObjectChoiceField, YesNoField, text
from procedures import engine
from procedures.schema import yes_no_ids

ANSWERS = {"yes": True, "no": False, "unknown": None}
RISK_ANSWER_LENGTH = 2000
REVIEW_ANSWER_LENGTH = 4000
NOTE_LENGTH = 10000
REASON_LENGTH = 2000


class WholeNumberField(forms.Field):
    """A number box read leniently: a whole number, or None for anything else (the action judges it)."""

    def to_python(self, value):
        value = value.strip() if isinstance(value, str) else ""
        return int(value) if value.isdigit() and len(value) < 4 else None


# -- Answers, classification, the initial review (B1, B2, B3, B7, B8, B14, B16) ---------------------

class AnswersForm(Form):
    """The referral questions, answered live: each yes/no question of the case's procedure (anything but yes or
    no is "not known yet"), the questions for the classification, and the risk assessment in words."""

    relationship = forms.CharField(required=False, max_length=20)
    youngest_age = WholeNumberField(required=False)

    def __init__(self, *args, procedure, risk_questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fact_names = list(yes_no_ids(procedure))
        for name in self.fact_names:
            self.fields[name] = YesNoField()
        self.risk_names = {f"risk_{q['id']}": q["id"] for q in risk_questions}
        for q in risk_questions:
            self.fields[f"risk_{q['id']}"] = forms.CharField(required=False, max_length=RISK_ANSWER_LENGTH,
                                                             label=q["text"])

    def facts(self):
        data = self.cleaned_data
        facts = {name: data.get(name) for name in self.fact_names}
        facts["relationship"] = data.get("relationship") or None
        facts["youngest_age"] = data.get("youngest_age")
        return facts

    def risk_answers(self):
        return {question: self.cleaned_data.get(name, "") for name, question in self.risk_names.items()}


class ImpliedAnswerForm(Form):
    question = forms.CharField(required=False, max_length=100)
    answer = forms.ChoiceField(choices=[(k, k) for k in ANSWERS], error_messages={
        "required": gettext_lazy("Choose the answer."), "invalid_choice": gettext_lazy("Choose the answer.")})
    reason = forms.CharField(required=False, label=gettext_lazy("Reason"))

    def clean_answer(self):
        return ANSWERS[self.cleaned_data["answer"]]


class ClassificationForm(Form):
    choice = forms.ChoiceField(required=False, choices=[(c, c) for c in engine.CLASSIFICATIONS],
                               error_messages={"invalid_choice": gettext_lazy("Choose a classification.")})
    reason = text(Decision, "reason", label=gettext_lazy("Reason"))


class ReviewForm(Form):
    """B1: when the meeting was held, who attended (staff at the school), and the answer to each question."""

    held_at = LocalDateTimeField()
    attendees = forms.MultipleChoiceField(required=False, error_messages={
        "invalid_choice": gettext_lazy("Choose who attended from the list.")})
    other_attendees = text(ReviewMeeting, "other_attendees",
                           label=gettext_lazy("Anyone else who attended (name and organisation)"))

    def __init__(self, *args, staff, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(u.id): u for u in staff}
        self.fields["attendees"].choices = [(key, label(u)) for key, u in self.staff.items()]
        self.questions = questions
        for q in questions:
            self.fields[f"answer_{q['id']}"] = forms.CharField(required=False, max_length=REVIEW_ANSWER_LENGTH,
                                                               label=q["text"])

    def clean_attendees(self):
        return [self.staff[key] for key in self.cleaned_data["attendees"]]

    def answers(self):
        return {q["id"]: self.cleaned_data.get(f"answer_{q['id']}", "") for q in self.questions}


# -- Decisions, advice, sign-off (B6, B10, B15, F7) ------------------------------------------------

class DecisionForm(Form):
    taken = YesNoField(required=True, error_messages={
        "required": gettext_lazy("Say whether this is an action taken or an action not taken.")})
    choice = text(Decision, "choice", label=gettext_lazy("What was decided"))
    options = forms.CharField(required=False, label=gettext_lazy("Options considered"))
    reason = text(Decision, "reason", label=gettext_lazy("Reason"))


class AdviceForm(Form):
    """F7, B3: advice from children's social care (a consultation) or from someone else."""

    asked = forms.ChoiceField(choices=[("csc", "csc"), ("other", "other")], error_messages={
        "required": gettext_lazy("Say who you asked."), "invalid_choice": gettext_lazy("Say who you asked.")})
    # Kept as "Advice from <source>" in the decision's 500-character column.
    source = forms.CharField(required=False, label=gettext_lazy("If someone else, who?"),
                             max_length=Decision._meta.get_field("choice").max_length - len("Advice from "))
    advice = text(Decision, "reason", label=gettext_lazy("What did they advise?"))


class NotReferredForm(Form):
    agency = text(Referral, "agency")
    reason = text(Decision, "reason", label=gettext_lazy("Reason"))


class NoReferralForm(Form):
    reason = text(Decision, "reason", label=gettext_lazy("Rationale for not referring"))


class SignOffForm(Form):
    comment = text(SignOff, "comment", label=gettext_lazy("Comment"))
    password = forms.CharField(required=False, strip=False, max_length=200, widget=forms.PasswordInput)
    code = forms.CharField(required=False, max_length=20)


# -- Referrals and their answers (B2, B12, B13, C8, F1) -------------------------------------------------

class AgencyForm(Form):
    """The referral page's first step (a GET form: nothing is saved): who it was made to."""

    agency = forms.ChoiceField(error_messages={"required": gettext_lazy("Choose who it was made to."),
                                               "invalid_choice": gettext_lazy("Choose who it was made to.")})

    def __init__(self, *args, nation="england", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a["id"], a["label"]) for a in agencies.for_nation(nation)]


class ReferralForm(Form):
    agency = text(Referral, "agency")
    route = text(Referral, "route")
    made_at = LocalDateTimeField()
    reference = text(Referral, "reference", label=gettext_lazy("Their reference number"))
    platform = text(Referral, "platform", label=gettext_lazy("Which platform or app?"))
    urls = forms.CharField(required=False, label=gettext_lazy("Web addresses reported"))
    notes = text(Referral, "notes", label=gettext_lazy("Notes"))
    spoke_first = YesNoField()
    spoke_first_reason = text(Referral, "spoke_first_reason",
                              label=gettext_lazy("If not, why is it being passed on without speaking to them first?"))


class OutcomeForm(Form):
    outcome = text(Case, "outcome")
    reason = text(Decision, "reason", label=gettext_lazy("Reason"))


class ReferralAnswerForm(Form):
    response = text(Referral, "response", label=gettext_lazy("What did they say or do?"))
    response_at = LocalDateTimeField()
    outcome = text(Referral, "outcome", label=gettext_lazy("Outcome"))
    crime_reference = text(Referral, "crime_reference", label=gettext_lazy("Crime reference"))
    outcome_code = text(Referral, "outcome_code", label=gettext_lazy("Police outcome code"))


# -- Tasks, people, notes, closing (B10, E4, G1, H1, H3) ---------------------------------------------

class TaskForm(Form):
    result = forms.ChoiceField(choices=[("done", "done"), ("not_needed", "not_needed")], error_messages={
        "required": gettext_lazy("Say whether the task was done."),
        "invalid_choice": gettext_lazy("Say whether the task was done.")})
    note = forms.CharField(required=False, label=gettext_lazy("Note"))


class StepsForm(Form):
    """B10: several steps done at once, with one reason. The choices are the case's open steps."""

    anchors = {"tasks": "steps-done", "reason": "steps-reason"}  # the case page has its own #tasks heading
    tasks = forms.MultipleChoiceField(required=False, error_messages={
        "invalid_choice": gettext_lazy("Choose steps of this case that are still open.")})
    reason = forms.CharField(required=False, label=gettext_lazy("Why are they done?"))

    def __init__(self, *args, open_tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.open_tasks = {str(t.id): t for t in open_tasks}
        self.fields["tasks"].choices = [(key, t.title) for key, t in self.open_tasks.items()]

    @property
    def choices(self):
        return self.fields["tasks"].choices

    def items(self):
        """The GOV.UK checkboxes' items, with what was ticked kept when the form is refused."""
        ticked = {str(v) for v in (self.shown("tasks") or [])}
        return [{"value": key, "text": title, "checked": key in ticked} for key, title in self.choices]

    def chosen(self):
        return [self.open_tasks[key] for key in self.cleaned_data["tasks"]]


class ReviewDateForm(Form):
    """E4: the review date (a date box); anything that is not a date is None, which the action refuses."""

    review_date = forms.DateField(required=False, input_formats=["%Y-%m-%d"],
                                  error_messages={"invalid": gettext_lazy("Enter the review date as a date.")})


class MemberForm(Form):
    user = ObjectChoiceField(label_of=label, error_messages={
        "invalid_choice": gettext_lazy("Choose a member of staff at this school.")})
    reason = text(CaseMember, "reason", label=gettext_lazy("Why do they need to see it?"))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].set_objects(staff, label)

    def clean_user(self):
        member = self.cleaned_data["user"]
        if member is None:
            raise forms.ValidationError(gettext("Choose a member of staff at this school."))
        return member


class DepictedStaffForm(Form):
    """J3: the member of staff an image shows, chosen from the school's staff ("name — role"), and why."""

    user = ObjectChoiceField(label_of=label, error_messages={
        "invalid_choice": gettext_lazy("Choose a member of staff at this school.")})
    reason = forms.CharField(required=False, max_length=REASON_LENGTH, label=gettext_lazy("Reason or notes"))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].set_objects(staff, label)


class ClearDepictedStaffForm(Form):
    anchors = {"reason": "clear-reason"}

    reason = forms.CharField(required=False, max_length=REASON_LENGTH,
                             label=gettext_lazy("Why is it being taken away?"))


class TakedownForm(Form):
    """J5: what was offered to one child, their choice and the outcome; the action says what is missing."""

    service = forms.CharField(required=False, max_length=16)
    choice = forms.CharField(required=False, max_length=16)
    outcome = forms.CharField(required=False, max_length=16)
    notes = text(Takedown, "notes", label=gettext_lazy("Notes"))


class NoteForm(Form):
    anchors = {"text": "note-text"}

    text = forms.CharField(required=False, max_length=NOTE_LENGTH, label=gettext_lazy("Add a note to the chronology"))


class CloseForm(Form):
    summary = text(Case, "summary", label=gettext_lazy("Summary"))
    debrief = text(Case, "debrief", label=gettext_lazy("Debrief"))
    lessons_learnt = text(Case, "lessons_learnt", label=gettext_lazy("Lessons learnt"))
    policy_changes = text(Case, "policy_changes", label=gettext_lazy("Policy or curriculum changes"))


class ReopenForm(Form):
    reason = forms.CharField(required=False, label=gettext_lazy("Why is it being reopened?"))


class VersionChoiceForm(Form):
    """J7, B10: move a case to the version of its procedure in force now, or keep the one it follows."""

    choice = forms.ChoiceField(choices=[("move", "move"), ("keep", "keep")], error_messages={
        "required": gettext_lazy("Choose whether to move the case or keep its version."),
        "invalid_choice": gettext_lazy("Choose whether to move the case or keep its version.")})
    reason = forms.CharField(required=False, label=gettext_lazy("Why?"))

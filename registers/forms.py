"""Forms only clean and convert what was typed; the rules live in `registers.actions`. Each is a `lib.forms.Form`:
a value too long for its column, or a picture written as text (A3), is refused beside its box."""

from django import forms

from accounts.pickers import label, with_roles_at
from lib.forms import Form
from registers import periods
from registers.models import Audience, FilteringRole, KeyStage, Place, PhotoConsent, TrainingRecord

DATE = {"error_messages": {"required": "Enter the date.", "invalid": "Enter a real date."}}


def _date(required=True):
    return forms.DateField(required=required, **DATE)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return label(obj)  # "name — role" (issue 20.5)


def staff_queryset(school):
    from accounts.models import User

    return with_roles_at(User.objects.filter(is_active=True, memberships__school=school,
                                             memberships__role__in=periods.STAFF_ROLES).distinct().order_by("full_name"),
                         school)


class PolicyForm(Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the policy's title."})
    owner = StaffChoiceField(queryset=None, error_messages={"required": "Choose the policy's owner.",
                                                            "invalid_choice": "Choose the policy's owner."})
    approved_by = forms.CharField(max_length=200, error_messages={"required": "Say who approved the policy."})
    approved_on = _date()
    last_reviewed_on = _date(required=False)
    link = forms.URLField(max_length=500, required=False, assume_scheme="https",
                          error_messages={"invalid": "Enter a web address, like https://example.org/policy"})
    document_reference = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_queryset(school)


class PolicyReviewForm(Form):
    reviewed_on = _date()
    notes = forms.CharField(max_length=5000, error_messages={"required": "Say what the review found or changed."})
    next = forms.ChoiceField(choices=[("annual", "annual"), ("sooner", "sooner")],
                             error_messages={"required": "Say when the next review is due."})
    next_review_on = _date(required=False)
    reason = forms.CharField(max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("next") == "sooner" and not data.get("next_review_on"):
            self.add_error("next_review_on", "Enter the date of the next review.")
        if data.get("next") != "sooner":
            data["next_review_on"], data["reason"] = None, ""
        return data


class BringForwardForm(Form):
    next_review_on = _date()
    reason = forms.CharField(max_length=500, error_messages={"required": "Say what significant change happened."})


class AgreementVersionForm(Form):
    audience = forms.ChoiceField(choices=Audience.choices, error_messages={"required": "Choose who it is for."})
    key_stage = forms.ChoiceField(choices=KeyStage.choices, required=False)
    academic_year = forms.TypedChoiceField(coerce=int, choices=(), error_messages={
        "required": "Choose the academic year."})
    version = forms.CharField(max_length=40, error_messages={"required": "Give the version."})
    published_on = _date()
    link = forms.URLField(max_length=500, required=False, assume_scheme="https",
                          error_messages={"invalid": "Enter a web address, like https://example.org/agreement"})
    document_reference = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = [(y, periods.academic_year_label(y)) for y in years]


class SignaturesForm(Form):
    signed_on = _date()
    staff = forms.ModelMultipleChoiceField(queryset=None, required=False)
    pupils = forms.ModelMultipleChoiceField(queryset=None, required=False)
    signer_name = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, staff, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["pupils"].queryset = pupils


class PhotoConsentForm(Form):
    decision = forms.ChoiceField(choices=PhotoConsent.Decision.choices, error_messages={
        "required": "Say whether consent was given, refused or withdrawn."})
    places = forms.MultipleChoiceField(choices=Place.choices, error_messages={
        "required": "Choose at least one place.", "invalid_choice": "Choose from the places listed."})
    on = _date()
    by_whom = forms.CharField(max_length=200, error_messages={"required": "Give the name of the parent or carer."})
    in_writing = forms.BooleanField(required=False)
    note = forms.CharField(max_length=500, required=False)


class KeeperForm(Form):
    person = StaffChoiceField(queryset=None, error_messages={"required": "Choose a member of staff.",
                                                             "invalid_choice": "Choose a member of staff."})

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff_queryset(school)


class LeaverDeletedForm(Form):
    deleted_on = _date()
    note = forms.CharField(max_length=500, required=False)


class TrainingForm(Form):
    person = StaffChoiceField(queryset=None, error_messages={"required": "Choose who was trained.",
                                                             "invalid_choice": "Choose who was trained."})
    kind = forms.ChoiceField(choices=TrainingRecord.Kind.choices, error_messages={
        "required": "Choose the kind of training."})
    completed_on = _date()
    provider = forms.CharField(max_length=200, error_messages={"required": "Say who provided the training."})

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff_queryset(school)


class FilteringRoleForm(Form):
    role = forms.ChoiceField(choices=FilteringRole.Role.choices, error_messages={"required": "Choose the role."})
    name = forms.CharField(max_length=200, error_messages={"required": "Give the name."})
    contact = forms.CharField(max_length=200, required=False)


YES_NO = [("yes", "Yes"), ("no", "No")]


class FilteringReviewForm(Form):
    """I6, J6: the points of the DfE standards are required by the action, which names each one missing."""

    reviewed_on = _date()
    reviewed_by = forms.CharField(max_length=300, error_messages={"required": "Say who carried out the review."})
    senior_leader = forms.CharField(max_length=200, required=False)
    illegal_content_blocked = forms.TypedChoiceField(
        choices=YES_NO, coerce=lambda value: value == "yes", required=False, empty_value=None)
    illegal_content_notes = forms.CharField(max_length=5000, required=False)
    generative_ai = forms.CharField(max_length=5000, required=False)
    send = forms.CharField(max_length=5000, required=False)
    eal = forms.CharField(max_length=5000, required=False)
    byod = forms.CharField(max_length=5000, required=False)
    findings = forms.CharField(max_length=5000, error_messages={"required": "Say what the review found."})
    actions = forms.CharField(max_length=5000, required=False)
    next_due = _date(required=False)

from django import forms
from django.utils.translation import gettext, gettext_lazy

from concerns import routing
from concerns.models import ChildRole, DeviceIsolation, IncidentType, PupilKind
from schools import nations
from lib.forms import Form
from lib.imagery import NoImageryForm

YES_NO = [("yes", "Yes"), ("no", "No")]
# Kinds that may involve no child the reporter can name: indecent images of children found on a device or
# online usually show children who are not on roll here, or not known at all (C8).
NO_CHILD_NEEDED = {IncidentType.FILTERING_BREACH, IncidentType.STAFF_ALLEGATION, IncidentType.OTHER,
                   IncidentType.IIOC}


class ConcernForm(NoImageryForm, forms.Form):
    """Cleans the report page. Children come as `child` ids with a `role_<id>` each.

    Rule A3: every box is checked for a picture written as text; the message names the box as the page does.
    """

    imagery_labels = {
        "location": gettext_lazy("Where did it happen?"),
        "account": gettext_lazy("What did the child say, or what did you see?"),
        "disclosed_to": gettext_lazy("Who did the child tell?"),
        "actions_taken": gettext_lazy("What have you done so far?"),
        "device_location": gettext_lazy("Where is the device kept now?"),
        "breach_url": gettext_lazy("Web address (URL)"),
        "breach_device_or_user": gettext_lazy("Device or user account"),
        "breach_seen": gettext_lazy("What was blocked or seen"),
    }

    incident_type = forms.ChoiceField(choices=IncidentType.choices, error_messages={
        "required": gettext_lazy("Select what kind of concern this is")})
    subject_staff = forms.ChoiceField(required=False)
    occurred_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M"], error_messages={
        "invalid": gettext_lazy("Enter when it happened as a date and time, or leave it blank if you do not know")})
    location = forms.CharField(required=False, max_length=300)
    account = forms.CharField(max_length=20000, error_messages={
        "required": gettext_lazy("Write down what the child said, or what you saw, in their words")})
    # A1: what Harbour knows, it does not ask for: "Me" records the reporter's name; someone else is typed.
    disclosed_to_who = forms.ChoiceField(choices=[("me", "me"), ("someone_else", "someone_else"),
                                                  ("no_one", "no_one")], required=False)
    disclosed_to = forms.CharField(required=False, max_length=200)
    disclosed_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M"], error_messages={
        "invalid": gettext_lazy("Enter when they told you as a date and time")})
    actions_taken = forms.CharField(required=False, max_length=10000)
    device_confiscated = forms.ChoiceField(choices=YES_NO, required=False)
    device_isolation = forms.ChoiceField(choices=DeviceIsolation.choices, required=False)
    device_location = forms.CharField(required=False, max_length=300)
    dsl_told_in_person = forms.ChoiceField(choices=YES_NO, error_messages={
        "required": gettext_lazy("Say whether you have already told the designated safeguarding lead in person")})
    breach_url = forms.CharField(required=False, max_length=2000)
    breach_device_or_user = forms.CharField(required=False, max_length=200)
    breach_seen = forms.CharField(required=False, max_length=5000)
    provider_told = forms.ChoiceField(choices=YES_NO, required=False)
    parents_told = forms.ChoiceField(choices=YES_NO, required=False)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, staff_choices=(), pupils_by_id=None, school=None, reporter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reporter = reporter
        self.fields["subject_staff"].choices = [("", gettext("Choose a member of staff"))] + list(staff_choices)
        self.pupils_by_id = pupils_by_id or {}
        # J8: the question names the safeguarding lead as the school's nation does.
        self.fields["dsl_told_in_person"].error_messages["required"] = nations.words(school).told_lead_required

    def clean(self):
        data = super().clean()
        kind = data.get("incident_type")
        if kind == IncidentType.STAFF_ALLEGATION and not data.get("subject_staff"):
            self.add_error("subject_staff", gettext("Choose the member of staff the concern is about"))
        if data.get("device_confiscated") == "yes":
            if not data.get("device_isolation"):
                self.add_error("device_isolation", gettext("Say whether the device is in flight mode or switched off"))
            if not data.get("device_location"):
                self.add_error("device_location", gettext("Say where the device is kept now"))
        if kind == IncidentType.FILTERING_BREACH and not (data.get("breach_url") or data.get("breach_seen")):
            self.add_error("breach_url", gettext("Give the web address, or describe what was blocked or seen"))
        if data.get("disclosed_to_who") == "me" and self.reporter is not None:
            # Anyone typed as well was told too: nothing typed is dropped.
            data["disclosed_to"] = "; ".join(filter(None, [self.reporter.full_name, data.get("disclosed_to")]))
        children = self.children()
        about_staff = routing.is_about_staff(kind, data.get("subject_staff") or None)
        if kind and kind not in NO_CHILD_NEEDED and not about_staff and not children:
            self.add_error(None, gettext("Add the children involved. Search for each child by name."))
        for pupil, role in children:
            if role not in ChildRole.values:
                self.add_error(None, gettext("Choose what happened to %(name)s") % {"name": pupil.display_name})
        return data

    def children(self):
        """[(pupil, role)] in the order they were added, ignoring ids outside the school."""
        seen, result = set(), []
        for raw in self.data.getlist("child") if hasattr(self.data, "getlist") else []:
            if raw.isdigit() and int(raw) in self.pupils_by_id and int(raw) not in seen:
                seen.add(int(raw))
                result.append((self.pupils_by_id[int(raw)], self.data.get(f"role_{raw}", "")))
        return result

    @staticmethod
    def child_ids(data):
        """The ids of the children posted (`child`), to look them up before the form is made."""
        return [int(i) for i in data.getlist("child") if i.isdigit() and len(i) < 10]


# What a draft keeps of the report page as posted: every box as typed and the children chosen, never a file or
# the buttons of the child search.
LEFT_OUT_OF_DRAFTS = ("csrfmiddlewaretoken", "child", "statement", "find_child", "add_child", "shown_account",
                      "shown_actions_taken")


def draft_of(data):
    """The draft of a posted report page: each box as typed (A3 scrubbing is the caller's) and `child` as a list."""
    draft = {k: v for k, v in data.items() if k not in LEFT_OUT_OF_DRAFTS}
    draft["child"] = data.getlist("child")
    return draft


def names_a_statement(data):
    """Whether a statement file was chosen: with the autosave, htmx sends only the file's name."""
    return bool(data.get("statement"))


class ChildSearchForm(forms.Form):
    """The report page's child search: the words typed (the first 60 characters are searched) and the child chosen
    from the results (`add_child`)."""

    WORDS = 60

    child_search = forms.CharField(required=False)
    add_child = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def words(self):
        self.is_valid()  # a bad `add_child` does not stop a search
        return (self.cleaned_data.get("child_search") or "")[:self.WORDS]

    def chosen(self):
        """The child chosen from the results (an id), or None."""
        self.is_valid()
        return self.cleaned_data.get("add_child")


class OpenCaseForm(Form):
    """Opening a case from a concern; `procedure` only when the concern's kind does not decide it."""

    procedure = forms.CharField(required=False, max_length=40)


class AttachForm(Form):
    """Adding a concern to a case already open: which case (the view checks it is one this person runs)."""

    CHOOSE = gettext_lazy("Choose the case this concern belongs to.")

    case = forms.IntegerField(min_value=1, max_value=2**31 - 1, error_messages={
        "required": CHOOSE, "invalid": CHOOSE, "min_value": CHOOSE, "max_value": CHOOSE})


class EncompassForm(Form):
    """J4: the police notice. Children come as `child` ids (the ones chosen so far) and `add_child` (one more, from
    the search); the search words are `child_search`, sent by the "Find" button with everything else typed."""

    received_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M"], error_messages={
        "invalid": gettext_lazy("Enter the date and time the police notice came.")})
    police_reference = forms.CharField(required=False, max_length=60)
    child = forms.TypedMultipleChoiceField(coerce=int, required=False, error_messages={
        "invalid_choice": gettext_lazy("Choose children on roll at this school.")})
    child_search = forms.CharField(required=False, max_length=60)
    add_child = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    key = forms.UUIDField(required=False)

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(p.id, p.display_name) for p in pupils]


class KeyAdultForm(Form):
    key_adult = forms.TypedChoiceField(coerce=int, error_messages={
        "required": gettext_lazy("Choose the key adult."),
            "invalid_choice": gettext_lazy("Choose the key adult from the staff of this school.")})

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_adult"].choices = [(u.id, u.picker_label) for u in people]


# -- P1–P5: the pupils' page, and the team's answers to a pupil ----------------------------------------------------

PUPIL_PICTURES = ("We cannot take pictures or videos here. Please use words. We took that part out, and the rest "
                  "of your words are still here. If someone has a picture of you, tell an adult you trust. If you "
                  "are under 18, Report Remove can help get it taken down.")


class _PupilForm(Form):
    """A pupil's form: a picture written as text is refused in words a child can follow (P2), the rest kept."""

    def clean(self):
        data = super().clean()
        for name in getattr(self, "without_imagery", {}):
            self.errors[name] = self.error_class([PUPIL_PICTURES])
        return data


class TellForm(_PupilForm):
    kind = forms.ChoiceField(choices=PupilKind.choices, error_messages={
        "required": gettext_lazy("Choose what it is about."),
            "invalid_choice": gettext_lazy("Choose what it is about.")})
    words = forms.CharField(max_length=5000, error_messages={"required": gettext_lazy("Tell us what is worrying you.")})
    name = forms.CharField(required=False, max_length=100)
    pupil_class = forms.CharField(required=False, max_length=60)
    anchors = {"kind": "kind"}
    imagery_labels = {"words": "What is worrying you?", "name": "Your name", "pupil_class": "Your class"}


class ReceiptCodeForm(_PupilForm):
    code = forms.CharField(max_length=40, error_messages={"required": gettext_lazy("Type your code.")})
    machine_text_fields = ("code",)


class TellMoreForm(_PupilForm):
    code = forms.CharField(max_length=40)
    more = forms.CharField(max_length=5000, error_messages={"required": gettext_lazy("Type what you want to add.")})
    machine_text_fields = ("code",)


class PupilReplyForm(Form):
    reply = forms.CharField(required=False, max_length=2000)
    imagery_labels = {"reply": "Reply to the pupil"}


class PupilCloseForm(Form):
    reason = forms.CharField(required=False, max_length=2000)
    imagery_labels = {"reason": "Why does this need no action?"}


class SuggestionsForm(Form):
    """P6: a box's text, to suggest how to make the record clearer; `field` says which box of which page."""

    # Each box that asks for suggestions on its own (the report page's come with its autosave): field → the name
    # its text is posted under.
    BOXES = {"note-text": "text"}

    field = forms.ChoiceField(choices=[(f, f) for f in BOXES])

    def text(self, data):
        return str(data.get(self.BOXES[self.cleaned_data["field"]], ""))[:20000]


class GroupCloseForm(Form):
    """P7, B10: closing a group of monitoring alerts, with the reason."""

    anchors = {"reason": "group-reason"}

    reason = forms.CharField(required=False, max_length=2000)


class GroupCasesForm(Form):
    """P7: the alerts of a group to open a case for, one per pupil."""

    concerns = forms.TypedMultipleChoiceField(coerce=int, required=False, error_messages={
        "invalid_choice": gettext_lazy("Choose pupils listed in this group.")})

    def __init__(self, *args, concern_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = [(i, i) for i in concern_ids]


class GroupSplitForm(Form):
    """P7: splitting a group, sent only by its button (`decision=split`), so that nothing else posted splits it."""

    decision = forms.ChoiceField(choices=[("split", "split")], error_messages={
        "required": gettext_lazy("Choose what to do with these alerts."),
            "invalid_choice": gettext_lazy("Choose what to do with these alerts.")})


class ShownSuggestionsForm(Form):
    """P6: what the page last showed under each box (`quality.signature`), posted back so that a change is announced
    once, not on every save."""

    def __init__(self, *args, boxes=(), **kwargs):
        super().__init__(*args, **kwargs)
        for box in boxes:
            self.fields[f"shown_{box}"] = forms.CharField(required=False, max_length=2000)

    def shown(self, box):
        return self.cleaned_data.get(f"shown_{box}", "") if self.is_valid() else ""

"""The evidence pages' forms: they clean and convert what was typed; the rules are in `evidence.actions`.

Words and metadata only (A3): there is no file field anywhere, and every text box is checked for a picture
written as text. Lengths come from the model columns (lib/forms.py).
"""

from django import forms

from accounts.pickers import label
from evidence.actions import DELETION_SCOPE
from evidence.models import CustodyStep, Deletion, Device, QuarantineRelease, EvidenceItem, ParentContact, Viewing
from lib.forms import Form, LocalDateTimeField, ObjectChoiceField, YesNoField, text

PASSWORD = {"required": False, "strip": False, "max_length": 200, "widget": forms.PasswordInput}


class _Custody(Form):
    holder = text(CustodyStep, "holder")
    where_or_who = text(CustodyStep, "where_or_who", label="Where is it, or who has it?")
    police_reference = text(CustodyStep, "police_reference", label="Police reference")


class DeviceForm(_Custody):
    owner = text(Device, "owner", label="Whose device is it?")
    make = text(Device, "make", label="Make and model")
    isolation = text(Device, "isolation")
    staff_device = YesNoField(unknown=False)


class MoveForm(_Custody):
    pass


class ReleaseForm(Form):
    """C9: who at the police advised, when, what, and why the device can be released."""

    adviser = text(QuarantineRelease, "adviser", label="Who at the police gave the advice?")
    police_reference = text(QuarantineRelease, "police_reference", label="Police reference")
    advised_at = LocalDateTimeField()
    advice = text(QuarantineRelease, "advice", label="What did they advise?")
    reason = text(QuarantineRelease, "reason", label="Why can the device be released now?")


class _Child(Form):
    """A child named in the case, chosen from those the page lists."""

    pupil = ObjectChoiceField(label_of=lambda p: p.display_name)

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].set_objects(children, lambda p: p.display_name)


class ParentsForm(_Child):
    """D1, D2: parents told (when, how, the child's part) or not (agreed with whom, and why)."""

    CHOOSE = "Choose the child, and say whether their parents or carers were told."

    informed = YesNoField(required=True, error_messages={"required": CHOOSE})
    informed_at = LocalDateTimeField()
    how = text(ParentContact, "how", label="How (phone, meeting, letter) and by whom")
    child_involvement = text(ParentContact, "child_involvement",
                             label="How the child took part in deciding how they were told")
    agreed_with = text(ParentContact, "agreed_with")
    reason = text(ParentContact, "reason", label="Reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].required = True
        self.fields["pupil"].error_messages.update(required=self.CHOOSE, invalid_choice=self.CHOOSE)


class DeletionForm(_Child):
    """C6: a child asked to delete imagery, everywhere, by a deadline."""

    deadline = LocalDateTimeField(invalid="Enter the deadline as a date and a time.")
    scope = forms.MultipleChoiceField(required=False, choices=[(s, s) for s in DELETION_SCOPE], error_messages={
        "invalid_choice": "Ask for deletion everywhere: devices, cloud storage and social media."})
    reminder = YesNoField(unknown=False)
    consequence = YesNoField(unknown=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].error_messages.update(
            invalid_choice="Choose the child who was asked to delete the imagery.")

    def clean_pupil(self):
        pupil = self.cleaned_data["pupil"]
        if pupil is None:
            raise forms.ValidationError("Choose the child who was asked to delete the imagery.")
        return pupil


class ConfirmDeletionForm(Form):
    confirmed = YesNoField(required=True, error_messages={"required": "Say whether the deletion was confirmed."})
    how = text(Deletion, "confirmed_how", label="How it was confirmed, or why it could not be")


class ViewingForm(Form):
    """C1–C4: why imagery was viewed, who was consulted and present, where, and what followed."""

    reason = text(Viewing, "reason")
    no_distress = YesNoField(unknown=False)
    consulted = text(Viewing, "consulted", label="Senior colleagues consulted before viewing")
    witness = ObjectChoiceField(label_of=label, error_messages={
        "invalid_choice": "Another member of staff at the school must be present as witness: choose who."})
    place = text(Viewing, "place", label="Where")
    private = YesNoField(unknown=False)
    same_sex = YesNoField(unknown=False)
    not_same_sex_reason = text(Viewing, "not_same_sex_reason", label="If not, why not")
    result = text(Viewing, "result", label="What was done as a result")
    already_copied = YesNoField(unknown=False)
    viewed_at = LocalDateTimeField()

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness"].set_objects(staff, label)

    def clean_witness(self):
        witness = self.cleaned_data["witness"]
        if witness is None:
            raise forms.ValidationError("Another member of staff at the school must be present as witness: "
                                        "choose who.")
        return witness


class SignForm(Form):
    password = forms.CharField(**PASSWORD)
    code = forms.CharField(required=False, max_length=20)


class EvidenceForm(Form):
    """A3: the evidence register takes words and metadata only."""

    kind = text(EvidenceItem, "kind")
    value = text(EvidenceItem, "value", label="The address, username, number, sender, payment details or place",
                 error_messages={"too_long": "Keep this to 500 characters; put the rest in the description."})
    platform = text(EvidenceItem, "platform", label="Platform or app",
                    error_messages={"too_long": "Keep the platform's name to 120 characters."})
    seen_at = LocalDateTimeField(invalid="Give the date and time in full, or leave it empty.")
    description = text(EvidenceItem, "description", label="Description")

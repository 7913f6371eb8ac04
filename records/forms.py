"""The records pages' forms: they clean and convert what was typed; the rules are in `records.actions`."""

from django import forms

from lib.forms import DateInputField, Form, text
from records.models import DisposalRequest, SubjectAccessRelease


class DisposalForm(Form):
    """H4: the reason a record past its retention date can be disposed of now."""

    reason = text(DisposalRequest, "reason", label="Why can this record be disposed of now?")


class StaffBirthDateForm(Form):
    """The date of birth of the member of staff a case is about (their retirement age sets its retention)."""

    anchors = {"born": "born-day"}

    born = DateInputField(label="Member of staff’s date of birth")


class ApproveForm(Form):
    """H4: the second person approves with their password and a code."""

    password = forms.CharField(required=False, strip=False, max_length=200, widget=forms.PasswordInput)
    code = forms.CharField(required=False, max_length=20)


class DeclineForm(Form):
    decline_reason = text(DisposalRequest, "decline_reason", label="Keep the record instead")


class ReleaseForm(Form):
    """H6: how the export that was reviewed (its SHA-256) was given to the person."""

    sha256 = text(SubjectAccessRelease, "sha256")
    method = text(SubjectAccessRelease, "method")

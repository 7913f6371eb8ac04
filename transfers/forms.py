"""The transfer pages' forms (H5): they clean and convert what was typed; the rules are in `actions`."""

from django import forms

from transfers.models import KnownSchool, ReceivedFile, Transfer
from lib.forms import DateInputField, Form, YesNoField, text
from schools.models import Pupil

KEY_CARD_LENGTH = 64 * 1024
ID = {"required": False, "min_value": 1, "max_value": 2**31 - 1}


class StartForm(Form):
    """Where the file goes: a school on this Harbour or a registered key card (`to`), or a school named here."""

    to = forms.CharField(required=False, max_length=40)
    other = text(Transfer, "to_name", label="If it does not use Harbour, the school’s name")
    sent_how = text(Transfer, "sent_how", label="If it does not use Harbour, how the PDF will reach them securely")
    started_on = DateInputField()

    def destination(self):
        """What `actions.start_transfer` takes: "school:<id>", "known:<id>" or "other:<name>"."""
        to = self.cleaned_data["to"]
        return "other:" + self.cleaned_data["other"] if to == "other" else to


class ReceiptForm(Form):
    code = forms.CharField(required=False, max_length=40)
    who = text(Transfer, "received_by_name", label="Who at the new school confirmed it")


class ReceiveForm(Form):
    """A package uploaded from another Harbour, or one waiting from a school on this Harbour (`transfer`)."""

    transfer = forms.CharField(required=False, max_length=12)
    package = forms.FileField(required=False, allow_empty_file=True)


class LinkForm(Form):
    upn = text(Pupil, "upn", label="Unique pupil number")


class ArrivalForm(Form):
    from_name = text(ReceivedFile, "from_name", label="Which school sent it?")
    method = text(ReceivedFile, "method")
    arrived_on = DateInputField()
    where_kept = text(ReceivedFile, "where_kept", label="Where is it kept?")
    upn = text(Pupil, "upn", label="The child’s unique pupil number")


class KeyCardForm(Form):
    """Register another Harbour's key card (read back by phone), or revoke one (`revoke`: its id, and why)."""

    anchors = {"card_text": "card"}
    machine_text_fields = ("card_text",)  # public keys in base64, read strictly; the name kept is judged on save

    card_text = forms.CharField(required=False, max_length=KEY_CARD_LENGTH, label="Paste their key card")
    fingerprint = forms.CharField(required=False, max_length=100, label="The fingerprint they read out to you")
    same_name_checked = YesNoField(unknown=False)
    revoke = forms.IntegerField(**ID)
    reason = text(KnownSchool, "revoke_reason", max_length=1000, label="Why are you revoking it?")

    def revoking(self):
        """Whether this is the revoke form (it posts `revoke`)."""
        return "revoke" in self.data

"""The message page's form: it cleans and converts what was typed; the rules are in `communications.actions`.
Words only: every box is checked for a picture written as text (A3, lib/forms.py)."""

from communications.models import Communication, Wording
from lib.forms import Form, LocalDateTimeField, YesNoField
from lib.forms import text as box  # the form has a box named `text`
from schools.rewordings import reason_box


class CommunicationForm(Form):
    """E2, B10: the adapted message, who approved it and when, and whether the police were consulted."""

    title = box(Communication, "title", label="Title")
    text = box(Communication, "text", label="The message", max_length=20000)
    approved_by_name = box(Communication, "approved_by_name", label="Who approved it?")
    approved_by_role = box(Communication, "approved_by_role", label="Their role")
    approved_at = LocalDateTimeField(invalid="Give the date and time it was approved, such as 6 December 2026 14:30.")
    police_consulted = YesNoField()
    police_contact = box(Communication, "police_contact", label="Who at the police")
    police_not_consulted_reason = box(Communication, "police_not_consulted_reason",
                                       label="If no: why were the police not consulted?", max_length=2000)
    anchors = {"police_consulted": "police_consulted"}


class WordingForm(Form):
    """A school's new wording of a prepared message, and why."""

    text = box(Wording, "text", label="The message", max_length=20000)
    reason = reason_box(max_length=2000)

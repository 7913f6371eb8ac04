"""The upload page's form: the file (held in memory, judged by its content in the view) and whether it is a full
list. It cleans and converts; the rules are in `imports.actions`."""

from django import forms

from lib.forms import Form, YesNoField


class UploadForm(Form):
    file = forms.FileField(required=False, allow_empty_file=True)
    full = YesNoField(unknown=False)

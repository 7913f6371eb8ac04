"""The school switcher's form: which school, and the page to go back to (checked by `lib.urls.safe_next`)."""

from django import forms

from lib.forms import Form


class SwitchSchoolForm(Form):
    school = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    next = forms.CharField(required=False, max_length=2000)

"""The school switcher's form (which school, and the page to go back to, checked by `lib.urls.safe_next`), and the
school's details that letters print."""

from django import forms

from lib.forms import Form, text
from schools.models import School


class SwitchSchoolForm(Form):
    school = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    next = forms.CharField(required=False, max_length=2000)


class SchoolDetailsForm(Form):
    address = text(School, "address", max_length=300)
    phone = text(School, "phone")
    email = forms.EmailField(required=False, max_length=200,
                             error_messages={"invalid": "Enter an email address like office@school.example."})
    safeguarding_contact = text(School, "safeguarding_contact")
    safeguarding_phone = text(School, "safeguarding_phone")

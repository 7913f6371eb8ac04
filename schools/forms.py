"""The school switcher's form (which school, and the page to go back to, checked by `lib.urls.safe_next`), the
school's details that letters print, and a new school of the trust (issue 21.2)."""

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


class SchoolDetailsPageForm(SchoolDetailsForm):
    """The school details page also sets when the school day starts (J4: a key adult is named before it)."""

    day_starts_at = forms.TimeField(required=False, input_formats=["%H:%M"], error_messages={
        "invalid": "Enter the time the school day starts, like 08:30."})
    # J8: the nation sets the words for the safeguarding lead and the procedures new cases follow.
    nation = forms.ChoiceField(required=False, choices=School.Nation.choices,
                               error_messages={"invalid_choice": "Choose the nation the school is in."})


class AddSchoolForm(SchoolDetailsForm):
    """A new school: what the action checks (URN, nation, phase) is only read here; the trust is asked for only when
    the administrator runs more than one."""

    trust = forms.TypedChoiceField(coerce=int, required=False, choices=(),
                                   error_messages={"invalid_choice": "Choose the trust the school belongs to."})
    name = text(School, "name")
    urn = forms.CharField(required=False, max_length=20)
    phase = forms.ChoiceField(required=False, choices=School.Phase.choices,
                              error_messages={"invalid_choice": "Choose the school's phase."})
    nation = forms.ChoiceField(required=False, choices=School.Nation.choices, initial=School.Nation.ENGLAND,
                               error_messages={"invalid_choice": "Choose the nation the school is in."})

    def __init__(self, *args, trusts, **kwargs):
        super().__init__(*args, **kwargs)
        self.trusts = {t.id: t for t in trusts}
        self.fields["trust"].choices = [(t.id, t.name) for t in trusts]
        if len(trusts) > 1:
            self.fields["trust"].required = True
            self.fields["trust"].error_messages["required"] = "Choose the trust the school belongs to."

    @property
    def chosen_trust(self):
        return self.trusts.get(self.cleaned_data.get("trust")) or next(iter(self.trusts.values()))


class ResetSecondFactorForm(Form):
    """Why someone's authenticator app is reset (B10), chosen from a short list."""

    reason = forms.ChoiceField(choices=[], error_messages={"required": "Choose why you are resetting it.",
                                                         "invalid_choice": "Choose why you are resetting it."})

    def __init__(self, *args, **kwargs):
        from accounts.mfa import RESET_REASONS

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = list(RESET_REASONS.items())

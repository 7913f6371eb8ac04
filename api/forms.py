"""The token page's form: it cleans and converts; the rules are in `api.actions.create_token`."""

from django import forms

from api.models import ApiToken
from api.scopes import Scope
from lib.forms import Form, ObjectChoiceField, text


class TokenForm(Form):
    name = text(ApiToken, "name", label="Name", error_messages={"too_long": "Keep the name to 100 characters."})
    scopes = forms.MultipleChoiceField(required=False, choices=Scope.choices,
                                       error_messages={"invalid_choice": "Choose from the list."})


class MatchForm(Form):
    """Find the pupil a monitoring login belongs to, then choose them. The rules are in `api.monitoring.match_user`."""

    query = forms.CharField(required=False, max_length=100, label="Pupil’s name or UPN",
                            error_messages={"max_length": "Keep the search to 100 characters."})
    pupil = ObjectChoiceField(error_messages={"invalid_choice": "Choose a pupil from the list."})
    match = forms.BooleanField(required=False)  # the "Match to this pupil" button, rather than "Find the pupil"

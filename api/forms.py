"""The token page's form: it cleans and converts; the rules are in `api.actions.create_token`."""

from django import forms

from api.models import ApiToken
from api.scopes import Scope
from lib.forms import Form, text


class TokenForm(Form):
    name = text(ApiToken, "name", label="Name", error_messages={"too_long": "Keep the name to 100 characters."})
    scopes = forms.MultipleChoiceField(required=False, choices=Scope.choices,
                                       error_messages={"invalid_choice": "Choose from the list."})

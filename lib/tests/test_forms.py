"""lib.forms and lib.errors: the base every page's form is built on, and how an action's refusal finds its box."""

from datetime import date

import pytest
from django import forms
from django.http import QueryDict

from lib.errors import ActionError, refuse
from lib.forms import DateInputField, Form, LocalDateTimeField, ObjectChoiceField, YesNoField
from lib.tests import samples

PICTURE = samples.png().hex()


class NoteForm(Form):
    text = forms.CharField(required=False, max_length=20, label="Note")
    reason = forms.CharField(required=False, max_length=10, error_messages={"too_long": "Keep it short."})
    password = forms.CharField(required=False, widget=forms.PasswordInput)


def _posted(**values):
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def test_a_value_too_long_is_refused_beside_its_box_saying_the_limit_and_is_shown_back_whole():
    form = NoteForm(_posted(text="x" * 1234 + "y", reason="Fine."))
    assert not form.is_valid()
    assert form.errors["text"] == ["‘Note’ is too long: keep it to 20 characters (it has 1,235)."]
    assert form.shown("text") == "x" * 1234 + "y" and form.shown("reason") == "Fine."
    assert form.error_summary() == [{"text": form.errors["text"][0], "href": "#text"}]


def test_a_box_can_say_too_long_in_its_own_words():
    form = NoteForm(_posted(reason="x" * 11))
    assert not form.is_valid() and form.errors["reason"] == ["Keep it short."]


def test_r_a3_a_picture_written_as_text_is_refused_beside_its_box_and_taken_out_of_what_is_shown():
    form = NoteForm(_posted(text=f"Seen: {PICTURE}", reason="Kept."))
    assert not form.is_valid()
    assert "‘Note’ box contains a picture written as text" in form.errors["text"][0]
    assert form.shown("text") == "Seen:" and form.shown("reason") == "Kept."


def test_r_a3_a_password_is_never_judged_as_typed_text():
    """It is compared with its hash and never kept; a password that happens to look like hex is still a password."""
    assert NoteForm(_posted(password=PICTURE)).is_valid()


def test_r_a3_a_box_of_machine_made_text_is_left_to_what_reads_it():
    class CardForm(Form):
        machine_text_fields = ("card",)
        card = forms.CharField(required=False)

    assert CardForm(_posted(card=PICTURE)).is_valid()


def test_an_unbound_form_shows_its_initial_values_and_no_errors():
    form = NoteForm(initial={"text": "Start here"})
    assert form.shown("text") == "Start here" and form.shown("reason") == ""
    assert not form.errors and form.error_summary() == []


def test_an_action_error_names_its_box_or_the_whole_form():
    assert ActionError("Give the reason.", field="reason").message_dict == {"reason": ["Give the reason."]}
    assert ActionError("This case is closed.").messages == ["This case is closed."]
    both = ActionError({"text": "Write the note first.", "reason": "Give the reason."})
    assert both.message_dict == {"text": ["Write the note first."], "reason": ["Give the reason."]}


def test_a_refusal_goes_beside_the_box_it_names_else_beside_the_fallback_else_above_the_form():
    form = NoteForm(_posted(text="A note"))
    form.is_valid()
    form.refuse(ActionError({"text": "Not now.", "card": "Not a box here."}), field="reason")
    form.refuse(ActionError("The case is closed."))
    assert form.errors["text"] == ["Not now."] and form.errors["reason"] == ["Not a box here."]
    assert form.non_field_errors() == ["The case is closed."]
    assert form.error_summary()[0] == {"text": "The case is closed."}  # the whole form's first


def test_refuse_works_for_any_django_form():
    class Plain(forms.Form):
        name = forms.CharField(required=False)

    form = Plain({"name": "x"})
    form.is_valid()
    refuse(form, ActionError("Taken.", field="name"))
    assert form.errors["name"] == ["Taken."]


class FieldsForm(Form):
    answer = YesNoField()
    told = YesNoField(required=True, error_messages={"required": "Say whether they were told."})
    ticked = YesNoField(unknown=False)
    when = LocalDateTimeField()
    seen = LocalDateTimeField(invalid="Give the date and time in full, or leave it empty.")
    born = DateInputField()
    who = ObjectChoiceField(error_messages={"invalid_choice": "Choose from the list."})

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].set_objects(people)


class Person:
    def __init__(self, pk):
        self.pk = pk


@pytest.mark.parametrize("typed, answer", [("yes", True), ("no", False), ("unknown", None), ("", None),
                                           ("maybe", None)])
def test_a_yes_no_question_converts_to_true_false_or_not_known(typed, answer):
    form = FieldsForm(_posted(answer=typed, told="yes"))
    assert form.is_valid() and form.cleaned_data["answer"] is answer and form.cleaned_data["ticked"] is False


def test_a_required_yes_no_question_says_what_is_needed():
    form = FieldsForm(_posted(told="perhaps"))
    assert not form.is_valid() and form.errors["told"] == ["Say whether they were told."]


def test_dates_and_times_convert_or_are_none_for_the_action_to_refuse():
    form = FieldsForm(_posted(told="no", when="2026-02-30T09:00", seen="", **{
        "born-day": "29", "born-month": "2", "born-year": "2012"}))
    assert form.is_valid()
    assert form.cleaned_data["when"] is None and form.cleaned_data["seen"] is None
    assert form.cleaned_data["born"] == date(2012, 2, 29)
    assert form.shown("born") == {"day": "29", "month": "2", "year": "2012"}  # the three boxes as typed
    late = FieldsForm(_posted(told="no", when="2026-03-02T09:05", seen="yesterday"))
    assert not late.is_valid() and late.cleaned_data["when"].isoformat().startswith("2026-03-02T09:05")
    assert late.errors["seen"] == ["Give the date and time in full, or leave it empty."]


def test_a_choice_among_objects_gives_the_object_and_refuses_one_not_offered():
    people = [Person(3), Person(7)]
    assert FieldsForm(_posted(told="no", who="7"), people=people).is_valid()
    form = FieldsForm(_posted(told="no", who="7"), people=people)
    form.is_valid()
    assert form.cleaned_data["who"] is people[1]
    stranger = FieldsForm(_posted(told="no", who="8"), people=people)
    assert not stranger.is_valid() and stranger.errors["who"] == ["Choose from the list."]

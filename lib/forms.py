"""The one way Harbour takes what a person types: a Django form that cleans and converts it.

A form only cleans and converts; the rules are the actions' (STYLE). So most boxes are optional here and the
action says what is missing, in its own words. What a form does for every page:

- a value longer than its column is refused beside its box, saying the limit (`text()` takes the limit from
  the model, so the two cannot drift apart; a field's `error_messages={"too_long": ...}` words it otherwise);
- a picture written as text in any box is refused beside it (rule A3, `lib.imagery.NoImageryForm`) and taken
  out of what is shown back;
- an action's refusal (`lib.errors.ActionError`) is put beside the box it names (`form.refuse(exc)`);
- the page shows everything typed again (`form.shown(name)`), each message beside its box
  (`field_error(form, name)`, harbour/jinja2.py) and the error summary links each message to its box
  (`form.error_summary()`; a box's id is its name unless `anchors` says otherwise).

    form = DecisionForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            actions.record_decision(user=request.user, case=case, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            return redirect(...)
    return render(request, "cases/decision.html", {"case": case, "form": form})
"""

from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name
from django.utils.translation import gettext

from lib.dates import parse_local_datetime
from lib.errors import refuse
from lib.imagery import NoImageryForm


def posted(request):
    """What a form reads: the posted data, or None (an unbound form, showing its initial values) for a GET."""
    return request.POST if request.method == "POST" else None


class TooLong(MaxLengthValidator):
    """A value longer than its column: say which box, the limit, and how long it is now."""

    def __init__(self, limit, label):
        super().__init__(limit)
        self.label = label

    def __call__(self, value):
        if len(value) > self.limit_value:
            raise ValidationError(gettext("‘%(label)s’ is too long: keep it to %(limit)s characters (it has "
                                          "%(length)s).") % {"label": self.label, "limit": f"{self.limit_value:,}",
                                                             "length": f"{len(value):,}"}, code="too_long")


class Form(NoImageryForm, forms.Form):
    """The base of every Harbour form (see the module's docstring)."""

    anchors: dict[str, str] = {}  # field → the id the error summary links to, when it is not the field's name

    def full_clean(self):
        # Here rather than in __init__, so that boxes a form adds for itself (one per question) are covered too.
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and field.max_length:
                field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
                field.validators.append(TooLong(field.max_length, self.label_of(name)))
        super().full_clean()

    def label_of(self, name):
        field = self.fields[name]
        return self.imagery_labels.get(name) or str(field.label or pretty_name(name))

    def refuse(self, exc, field=None):
        """Show an action's refusal beside the box it names (else beside `field`, else above the form)."""
        refuse(self, exc, field)

    def shown(self, name):
        """What box `name` shows: what was typed (with a picture written as text taken out, A3), else its initial
        value ("" for none)."""
        if name in getattr(self, "without_imagery", {}):
            return self.without_imagery[name]
        value = self[name].value()
        return "" if value is None else value

    def error_summary(self):
        """The GOV.UK error summary's `errorList`: messages for the whole form first, then each box's, linked."""
        if not self.is_bound:
            return []
        items = [{"text": text} for text in self.errors.get(NON_FIELD_ERRORS, [])]
        for name, errors in self.errors.items():
            if name != NON_FIELD_ERRORS:
                items += [{"text": text, "href": "#" + self.anchors.get(name, name)} for text in errors]
        return items


def text(model, name, **kwargs):
    """An optional text box as long as `model`'s column `name` allows (its action says when it is needed); a
    `max_length` given here is for a column with no limit of its own (a TextField) that the action keeps short."""
    kwargs.setdefault("max_length", getattr(model._meta.get_field(name), "max_length", None))
    kwargs.setdefault("required", False)
    return forms.CharField(**kwargs)


class YesNoField(forms.Field):
    """A yes/no question: "yes" is True, "no" False, anything else (nothing chosen) `unknown`."""

    def __init__(self, *, unknown=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.unknown = unknown

    def to_python(self, value):
        return {"yes": True, "no": False}.get(value, self.unknown)

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class LocalDateTimeField(forms.Field):
    """A datetime-local box: an aware datetime in the school's time zone, or None when it holds none (the action
    says when one is needed). With `invalid`, a box that holds something that is not a date and time says so."""

    def __init__(self, *, invalid=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.invalid = invalid

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else ""
        when = parse_local_datetime(value)
        if when is None and value and self.invalid:
            raise ValidationError(self.invalid, code="invalid")
        return when


class DateInputWidget(forms.Widget):
    """The three boxes of GOV.UK's date input, posted as `<name>-day`, `<name>-month` and `<name>-year`."""

    def value_from_datadict(self, data, files, name):
        return {part: data.get(f"{name}-{part}", "") for part in ("day", "month", "year")}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))


class DateInputField(forms.Field):
    """GOV.UK's date input (day, month and year boxes) as a date, or None when it is not a real date (the action
    says what it needs). `form.shown(name)` gives the three parts back as typed."""

    widget = DateInputWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if not isinstance(value, dict):
            return None
        try:
            return date(int(value.get("year", "")), int(value.get("month", "")), int(value.get("day", "")))
        except (TypeError, ValueError, OverflowError):
            return None


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects the view already holds (a short list of people or pupils): the box posts an id,
    the form gives the object back, and an id not on the list is not a choice."""

    def __init__(self, *, objects=(), label_of=str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.set_objects(objects, label_of)

    def set_objects(self, objects, label_of=str):
        self.objects = {str(o.pk): o for o in objects}
        self.choices = [("", "")] + [(key, label_of(o)) for key, o in self.objects.items()]

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None

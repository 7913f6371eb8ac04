"""The "Adapt this procedure" form: cleans what was typed into an override document.

Its fields depend on the procedure, so they are added per definition. Times are typed in
hours and stored in minutes (rule E7); a blank time means an ongoing task.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms

from accounts.capabilities import ROLE_LABELS
from procedures import overrides

SECTION_CODES = {
    "initial_review_questions": "review",
    "referral_criteria": "criterion",
    "escalation_factors": "factor",
    "risk_questions": "risk",
    "outcomes": "outcome",
    "tasks": "task",
}
PHASE_CHOICES = [("immediate", "Immediate (0 to 2 hours)"), ("short_term", "Short term (2 to 48 hours)"),
                 ("medium_term", "Medium term (1 to 2 weeks)"), ("ongoing", "Ongoing")]
MAX_HOURS = 24 * 366


def _slug(item_id):
    return re.sub(r"[^A-Za-z0-9]+", "-", item_id).strip("-")


def text_field(section, item_id):
    """The input name for one item's words, e.g. "text-criterion-B2-1"."""
    return f"text-{SECTION_CODES[section]}-{_slug(item_id)}"


def due_field(task_id):
    return f"due-{_slug(task_id)}"


def hours(minutes):
    """Minutes → the hours shown in the input: 90 → "1.5", None → ""."""
    if minutes is None:
        return ""
    return f"{Decimal(minutes) / 60:.2f}".rstrip("0").rstrip(".")


def initial_values(base, current):
    """What the inputs hold before anything is typed: the procedure as this level has it now."""
    now = overrides.apply(base, current)
    # This level's own extra tasks are not in `base`: they are kept or removed, not edited.
    in_base = {(section, item["id"]) for section, item in overrides.wordable_items(base)}
    values = {"sign_off_roles": list(now["sign_off_roles"])}
    for section, item in overrides.wordable_items(now):
        if (section, item["id"]) in in_base:
            values[text_field(section, item["id"])] = item[overrides.WORDING_SECTIONS[section]]
    for task in now["tasks"]:
        if ("tasks", task["id"]) in in_base:
            values[due_field(task["id"])] = hours(task["due_after_minutes"])
    for n, _ in enumerate(current.get("extra_tasks", [])):
        values[f"keep-extra-{n}"] = True
    return values


def posted_values(data, current):
    values = {key: data.get(key, "") for key in data if key != "csrfmiddlewaretoken"}
    values["sign_off_roles"] = data.getlist("sign_off_roles")
    for n, _ in enumerate(current.get("extra_tasks", [])):
        values[f"keep-extra-{n}"] = f"keep-extra-{n}" in data
    return values


class OverrideForm(forms.Form):
    sign_off_roles = forms.MultipleChoiceField(error_messages={
        "required": "Choose at least one role to sign off a decision not to refer",
        "invalid_choice": "Choose roles from the list"})
    extra_phase = forms.ChoiceField(choices=[("", "Choose a phase")] + PHASE_CHOICES, required=False)
    extra_title = forms.CharField(required=False, max_length=overrides.MAX_TEXT)
    extra_due = forms.CharField(required=False, max_length=20)
    reason = forms.CharField(max_length=5000, error_messages={"required": "Say why you are making this change"})

    def __init__(self, *args, base, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.base, self.current = base, current
        self.fields["sign_off_roles"].choices = [(r, ROLE_LABELS[r]) for r in overrides.sign_off_role_choices()]
        for section, item in overrides.wordable_items(base):
            self.fields[text_field(section, item["id"])] = forms.CharField(
                max_length=overrides.MAX_TEXT, error_messages={"required": "Enter the wording; it cannot be empty"})
        for task in base["tasks"]:
            self.fields[due_field(task["id"])] = forms.CharField(required=False, max_length=20)
        for n, _ in enumerate(current.get("extra_tasks", [])):
            self.fields[f"keep-extra-{n}"] = forms.BooleanField(required=False)
        # The order the page shows them in, so the error summary reads top to bottom.
        self.page_order = ["sign_off_roles"]
        for t in base["tasks"]:
            self.page_order += [text_field("tasks", t["id"]), due_field(t["id"])]
        self.page_order += [text_field(s, i["id"]) for s, i in overrides.wordable_items(base) if s != "tasks"]
        self.page_order += ["extra_phase", "extra_title", "extra_due", "reason"]

    def _minutes(self, name):
        """Hours typed in `name` → whole minutes, None for blank; adds an error and returns False if bad."""
        text = (self.cleaned_data.get(name) or "").strip()
        if text == "":
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0 or value > MAX_HOURS:
            self.add_error(name, "Enter a number of hours, such as 2 or 0.5, or leave it blank for an ongoing task")
            return False
        return int((value * 60).to_integral_value())

    def clean(self):
        data = super().clean()
        self.minutes = {t["id"]: self._minutes(due_field(t["id"])) for t in self.base["tasks"]}
        self.extra_minutes = self._minutes("extra_due")
        if data.get("extra_title", "").strip() or data.get("extra_phase") or data.get("extra_due", "").strip():
            if not data.get("extra_title", "").strip():
                self.add_error("extra_title", "Enter what the extra task is, or clear the other extra task boxes")
            if not data.get("extra_phase"):
                self.add_error("extra_phase", "Choose the phase the extra task belongs to")
        return data

    def changes(self):
        """The override document for what was typed: only what differs from the base."""
        data, base, doc = self.cleaned_data, self.base, {}
        roles = data["sign_off_roles"]
        if set(roles) != set(base["sign_off_roles"]):
            doc["sign_off_roles"] = roles
        due = {t["id"]: self.minutes[t["id"]] for t in base["tasks"] if self.minutes[t["id"]] != t["due_after_minutes"]}
        if due:
            doc["task_due"] = due
        wording = {}
        for section, item in overrides.wordable_items(base):
            typed = data[text_field(section, item["id"])].strip()
            if typed != item[overrides.WORDING_SECTIONS[section]]:
                wording[overrides.wording_key(base, section, item["id"])] = typed
        if wording:
            doc["wording"] = wording
        extra = [t for n, t in enumerate(self.current.get("extra_tasks", [])) if data[f"keep-extra-{n}"]]
        if data.get("extra_title", "").strip():
            task = {"phase": data["extra_phase"], "title": data["extra_title"].strip(), "rules": []}
            if self.extra_minutes is not None:
                task["due_after_minutes"] = self.extra_minutes
            extra.append(task)
        if extra:
            doc["extra_tasks"] = extra
        return doc

    def summary(self):
        """The GOV.UK error summary's list: each message linked to its input."""
        items = [{"text": error} for error in self.errors.get("__all__", [])]
        for name in self.page_order:
            items += [{"text": error, "href": f"#{name}"} for error in self.errors.get(name, [])]
        return items


"""The advice page's form: a school's new wording of a script. It cleans and converts; the rules (D6, D9, what a
script may hold) are in `advice.versions` and `advice.schema`."""

from django import forms

from lib.forms import Form
from schools.rewordings import reason_box

PREFIX = "paragraph-"


def paragraph_names(data):
    """The posted paragraph boxes ("paragraph-1", "paragraph-2", ...) in number order."""
    numbered = []
    for name in data:
        prefix, _, number = name.partition("-")
        if prefix + "-" == PREFIX and number.isdigit() and len(number) < 4:
            numbered.append((int(number), name))
    return [name for _, name in sorted(numbered)]


class WordingForm(Form):
    """One box per paragraph (as many as were posted, or the script's own when the page opens) and the reason."""

    reason = reason_box()

    def __init__(self, data=None, *, paragraphs=(), **kwargs):
        super().__init__(data, **kwargs)
        if data is None:
            self.paragraph_names = [f"{PREFIX}{n}" for n in range(1, len(paragraphs) + 1)]
            self.initial.update(zip(self.paragraph_names, paragraphs, strict=True))
        else:
            self.paragraph_names = paragraph_names(data)
        for n, name in enumerate(self.paragraph_names, start=1):
            self.fields[name] = forms.CharField(required=False, label=f"Paragraph {n}")

    def paragraphs(self):
        return [self.cleaned_data.get(name, "") for name in self.paragraph_names]

    def boxes(self):
        """[(name, label, value)] for the page: every paragraph, then one empty box to add another."""
        boxes = [(name, f"Paragraph {n}", self.shown(name)) for n, name in enumerate(self.paragraph_names, start=1)]
        if not boxes or boxes[-1][2].strip():
            last = int(self.paragraph_names[-1].removeprefix(PREFIX)) if self.paragraph_names else 0
            boxes.append((f"{PREFIX}{last + 1}", "", ""))
        name, _, value = boxes[-1]
        boxes[-1] = (name, "Add a paragraph (optional)", value)
        return boxes


class LetterLanguageForm(Form):
    """J8: the language to print a letter or leaflet in (`?language=cy`); without it, the page's own language."""

    language = forms.ChoiceField(required=False, choices=[("en-gb", "English"), ("cy", "Cymraeg")])

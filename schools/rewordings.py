"""A school's own words for a text Harbour ships: one mechanism for every kind of text a school may reword.

Harbour ships texts as data files: the advice scripts (advice/scripts/*.toml) and the messages to many
(communications/texts/*.toml). A school may put a text in its own words; everything else about the text (its title,
audience, who it is for) stays as shipped. What a school rewords is stored as rows of a `Rewording` model, one row per
version: rows are never edited, every change is a new row with the next version number and its reason, so a letter or
a message can say which words it used.

The words in force at a school are its latest row's, else the shipped text's. The DSL (and the trust's safeguarding
lead) reword, as they adapt the school's procedures; anyone who reads cases or manages procedures there reads them.

Each kind of text is a `Rewordable` (advice.versions, communications.wordings) naming its model, its catalogue of
shipped texts and what its words must keep; reading, resolving, versioning, saving and auditing are here, once.
"""

from __future__ import annotations

import copy

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone

from accounts.capabilities import Capability
from audit.log import Action, record
from lib.errors import ActionError
from schools.current import current_school
from schools.models import School

REASON_LABEL = "Why are you changing the wording?"


# ---- who may do what ---------------------------------------------------------------


def may_read(user, school) -> bool:
    """Anyone who reads cases or manages procedures at the school may read the words it uses."""
    return school is not None and bool(
        user.access.capabilities_in(school) & {Capability.READ_CASES, Capability.MANAGE_PROCEDURES})


def may_edit(user, school) -> bool:
    """The DSL (and trust safeguarding lead) reword the school's texts, as they adapt its procedures."""
    return school is not None and user.access.can(Capability.MANAGE_PROCEDURES, school)


def school_for(request, *, edit=False):
    """The school the page is about, if the user may read (or with `edit`, reword) its texts; else the same 404 as
    for a page that does not exist."""
    school = current_school(request)
    if not (may_edit if edit else may_read)(request.user, school):
        raise Http404("Not found")
    return school


def reason_box(**kwargs):
    """The box every rewording form asks its reason in (the action says it is needed)."""
    return forms.CharField(required=False, label=REASON_LABEL, **kwargs)


# ---- the rows ----------------------------------------------------------------------


class RewordingQuerySet(models.QuerySet):
    def for_school(self, school):
        """The school's rows, newest first, with their authors."""
        return self.filter(school=school).select_related("created_by").order_by(self.model.KEY, "-version")


class Rewording(models.Model):
    """One version of a school's words for a shipped text. A concrete model adds `school` (with its related name), the
    field named by KEY (the shipped text's id) and the field named by WORDS (the words), and its own constraints."""

    KEY = ""  # the field holding the shipped text's id
    WORDS = ""  # the field holding the school's words

    version = models.PositiveIntegerField()
    # The shipped version the school's words were written against: when the file moves on, the page says the
    # school's wording was based on an older version.
    shipped_version = models.PositiveIntegerField()
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = RewordingQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{getattr(self, self.KEY)} v{self.version} for school {self.school_id}"

    @staticmethod
    def shared_constraints(prefix, key):
        """What every rewording keeps, named `prefix`_…: one row per version of a text at a school, versions count
        from 1, and every change has a reason."""
        return [
            models.UniqueConstraint(fields=[key, "school", "version"], name=f"{prefix}_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name=f"{prefix}_version_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name=f"{prefix}_reason_given"),
        ]


# ---- reading and saving ------------------------------------------------------------


class Rewordable:
    """One kind of shipped text a school may reword. A subclass names:

    - `model`: its `Rewording` model; `catalogue()`: the shipped texts, {id: dict with "title" and "version"};
    - `not_found`: the 404's message for an unknown id; `error`: the `ActionError` its refusals raise;
    - `audit_type` and `audit_key`: the audit event's object type and the detail key naming the text;
    - `problems(text, words)`: what is wrong with the words (a message or a list of them), falsy when nothing is;

    and may change `prepare` (a shipped text's copy before use), `merge` (the text as a school uses it) and `clean`
    (the words as typed, before they are checked).
    """

    model: type[Rewording]
    not_found = "Not found"
    error = ActionError
    audit_type = ""
    audit_key = ""

    def catalogue(self) -> dict:
        raise NotImplementedError

    def problems(self, text: dict, words):
        raise NotImplementedError

    def prepare(self, text: dict) -> dict:
        return text

    def clean(self, words):
        return words

    # -- reading --

    def shipped(self, text_id: str) -> dict:
        """A copy of the text as shipped. Http404 for an unknown id."""
        text = self.catalogue().get(text_id)
        if text is None:
            raise Http404(self.not_found)
        return self.prepare(copy.deepcopy(text))

    def merge(self, text: dict, school, row: Rewording | None) -> dict:
        """`text` (a shipped copy) as `school` uses it with its latest `row` (None: as shipped), with "label" (such as
        "Advice for a child whose image was shared v1 · Oakfield Primary v2"), "school_version" (None if as shipped)
        and "based_on_older" (the school's words were written against an older shipped version)."""
        label = f"{text['title']} v{text['version']}"
        if row is not None:
            text[self.model.WORDS] = copy.deepcopy(getattr(row, self.model.WORDS))
            label += f" · {school.name} v{row.version}"
        text["school_version"] = row.version if row is not None else None
        text["based_on_older"] = row is not None and row.shipped_version != text["version"]
        text["label"] = label
        return text

    def latest(self, school, text_ids) -> dict[str, Rewording]:
        """The school's latest row for each of `text_ids` that it has reworded, by id: one query."""
        key = self.model.KEY
        latest: dict[str, Rewording] = {}
        for row in self.model.objects.filter(school=school, **{f"{key}__in": list(text_ids)}).order_by(
                key, "-version"):
            latest.setdefault(getattr(row, key), row)
        return latest

    def effective(self, school, text_id: str) -> dict:
        """The text as `school` uses it: shipped, with the school's latest words if it has reworded them. One query."""
        text = self.shipped(text_id)
        return self.merge(text, school, self.latest(school, [text_id]).get(text_id))

    def effective_all(self, school, text_ids=None) -> list[dict]:
        """`effective` for each of `text_ids` (default: every shipped text), in their order: one query."""
        text_ids = list(self.catalogue()) if text_ids is None else list(text_ids)
        latest = self.latest(school, text_ids)
        return [self.merge(self.shipped(text_id), school, latest.get(text_id)) for text_id in text_ids]

    def history(self, school, text_id: str) -> list[Rewording]:
        """The school's versions of one text, newest first, with their authors (one query)."""
        return list(self.model.objects.for_school(school).filter(**{self.model.KEY: text_id}))

    # -- saving --

    def save(self, *, user, school, text_id, words, reason) -> Rewording:
        """Save `words` as the school's next version of a text. Return the new row.

        Check access (Http404, as for anything the user may not see, or a text that does not exist), validate
        (`error` with messages keyed "reason" and WORDS), save and audit in one transaction.
        """
        with transaction.atomic():
            return self._save(user=user, school=school, text_id=text_id, words=words, reason=reason)

    def _save(self, *, user, school, text_id, words, reason):
        if not may_edit(user, school):
            raise Http404("Not found")
        text = self.catalogue().get(text_id)
        if text is None:
            raise Http404(self.not_found)
        words = self.clean(words)
        reason = (reason or "").replace("\x00", "").strip()
        errors = {}
        if not reason:
            errors["reason"] = "Say why you are changing the wording."
        if problems := self.problems(text, words):
            errors[self.model.WORDS] = problems
        elif words == self.effective(school, text_id)[self.model.WORDS]:
            errors[self.model.WORDS] = "These are the words already in use. Change something, or go back."
        if errors:
            raise self.error(errors)

        # Lock the school's row so two people saving at once get versions n and n+1 (PostgreSQL; SQLite's
        # IMMEDIATE transactions already serialise writers).
        School.objects.select_for_update().filter(id=school.id).first()
        key = self.model.KEY
        latest = self.model.objects.filter(school=school, **{key: text_id}).aggregate(n=Max("version"))["n"]
        row = self.model.objects.create(
            **{key: text_id, self.model.WORDS: words}, school=school, version=(latest or 0) + 1,
            shipped_version=text["version"], reason=reason, created_by=user, created_at=timezone.now())
        record(actor=user, action=Action.CREATE, object_type=self.audit_type, object_id=row.id, school=school,
               changed_fields=[self.model.WORDS],
               detail={self.audit_key: text_id, "version": row.version, "shipped_version": text["version"]})
        return row

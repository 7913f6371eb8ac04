"""Reads for the disposal review queue, and the removal of one case with everything that hangs from it (H4)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Max

from cases import chronology
from cases.models import Case
from records.access import may_approve, may_manage
from records.models import DisposalRequest, StaffBirthDate
from records.retention import Retention, retention_for


def retention_of_case(case, *, youngest_birth=None, staff_birth=None, looked_up=False):
    """The Retention of one case. Without `looked_up`, two queries find the dates it needs."""
    if not looked_up:
        youngest_birth = Case.objects.filter(id=case.id).aggregate(
            d=Max("concerns__children__pupil__date_of_birth"))["d"]
        staff_birth = (StaffBirthDate.objects.filter(user_id=case.subject_staff_id)
                       .values_list("date_of_birth", flat=True).first() if case.subject_staff_id else None)
    return retention_for(is_open=case.is_open, closed_on=case.closed_at.date() if case.closed_at else None,
                         child_birth_dates=[youngest_birth] if youngest_birth else [],
                         about_staff=case.subject_staff_id is not None, staff_birth=staff_birth)


@dataclass
class QueueRow:
    case: Case
    retention: Retention
    request: DisposalRequest | None
    may_approve: bool

    def is_due(self, today):
        return self.retention.is_due(today)


def disposal_queue(user, school, today):
    """Closed cases at `school` that `user` may manage, past or within the review window of their date.

    Three queries whatever the number of cases: the cases with their youngest child's date
    of birth, the staff dates of birth, the pending requests. Soonest first.
    """
    cases = list(
        Case.objects.filter(school=school, status=Case.Status.CLOSED)
        .only("id", "school_id", "route", "subject_staff_id", "status", "closed_at", "incident_type", "opened_at")
        .annotate(youngest_birth=Max("concerns__children__pupil__date_of_birth"))
    )
    cases = [c for c in cases if may_manage(user, c)]
    staff_ids = {c.subject_staff_id for c in cases if c.subject_staff_id}
    births = dict(StaffBirthDate.objects.filter(user_id__in=staff_ids).values_list("user_id", "date_of_birth")
                  ) if staff_ids else {}
    rows = []
    for case in cases:
        retention = retention_of_case(case, youngest_birth=case.youngest_birth,
                                      staff_birth=births.get(case.subject_staff_id), looked_up=True)
        if retention.in_queue(today):
            rows.append(QueueRow(case, retention, None, may_approve(user, case)))
    pending = {r.record_id: r for r in DisposalRequest.objects.pending().filter(
        record_type="case", record_id__in=[r.case.id for r in rows]).select_related("requested_by")} if rows else {}
    for row in rows:
        row.request = pending.get(row.case.id)
    return sorted(rows, key=lambda r: (r.retention.until, r.case.id))


# -- Removing a case -------------------------------------------------------------------

def _reverse_relations(model):
    """Every relation pointing at `model` from a row that belongs to it (hidden ones too, such as a
    many-to-many table). A SET_NULL link is left to Django, which empties it."""
    return [f for f in model._meta.get_fields(include_hidden=True)
            if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
            and f.on_delete is not models.SET_NULL]


def _delete_tree(queryset, removed):
    """Delete the rows of `queryset` after every row that points at them, deepest first.

    Walks the model graph, so a model added later that hangs from a case (PROTECT or
    CASCADE) is removed with it rather than blocking the disposal.
    """
    model = queryset.model
    for relation in _reverse_relations(model):
        children = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": queryset})
        _delete_tree(children, removed)
    count, by_model = queryset.delete()
    for label, n in by_model.items():
        if n:
            removed[label] = removed.get(label, 0) + n


def remove_case(case_id):
    """Delete the case and everything held under it: its concerns and their children and
    statements, chronology, decisions, sign-offs, tasks, evidence. Return {model label: rows}.

    Must run inside the transaction that marks the disposal approved: the chronology's
    delete trigger refuses otherwise.
    """
    removed: dict[str, int] = {}
    _delete_tree(Case.objects.filter(id=case_id), removed)
    chronology.forget_case(case_id)  # the chronology's rendered HTML goes with it (issue 24.1)
    return removed

"""G2, P6: how this term's reports are written — the share that would get each suggestion for a clearer record.

Training can then aim at what is commonest (initials, opinion without the child's words, no time, vague words).
The reports counted are those staff wrote on the report page: concerns made by an API token (a monitoring alert, a
concern sent by another system) or from a police notice are not anyone's writing, and a pupil's own words from the
pupils' page (P1) are theirs to write as they can, not a record to train staff on. The text is read here only to be
counted: nothing of it is shown or kept.
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from accounts.models import User
from concerns import quality
from concerns.models import EncompassNotice
from reports import scope
from reports.figures import bounds
from reports.reporting import Period, term_containing


@dataclass(frozen=True)
class Share:
    kind: str
    title: str
    reports: int
    percent: int  # of the term's reports, rounded


@dataclass(frozen=True)
class RecordQuality:
    period: Period
    total: int
    shares: list


def written_reports(user, school, period):
    start, end = bounds(period)
    # NOT EXISTS, not LEFT JOIN ... IS NULL: with the join, PostgreSQL (whose statistics say the token table is empty)
    # walked every user's concerns at 500,000 cases (550 ms); as anti-joins it reads this school's term (9 ms).
    return (scope.concerns(user, [school]).filter(created_at__gte=start, created_at__lt=end, reported_by__isnull=False)
            .filter(~Exists(User.objects.filter(pk=OuterRef("reported_by_id"), api_token__isnull=False)),
                    ~Exists(EncompassNotice.objects.filter(concern_id=OuterRef("pk")))))


def record_quality(user, school, today):
    """This term's reports at `school` that `user` oversees, and how many would get each kind of suggestion."""
    period = term_containing(today)
    texts = written_reports(user, school, period).order_by().values_list("account", "actions_taken", "occurred_at")
    counts = dict.fromkeys(quality.KINDS, 0)
    total = 0
    for account, actions_taken, occurred_at in texts.iterator():
        total += 1
        found = _kinds_of_report(account, actions_taken, occurred_at is not None)
        for kind in found:
            counts[kind] += 1
    shares = [Share(kind, quality.TITLES[kind], counts[kind], round(100 * counts[kind] / total) if total else 0)
              for kind in quality.KINDS]
    return RecordQuality(period, total, shares)


# Issue 24: checking every report of the term was most of the dashboard at a large school (2,771 reports, ~130 ms).
# What a report gets is a pure function of its words, so it is remembered per process under a digest of them:
# the memo holds digests and kinds of suggestion, never a report's words. A report edited since has another digest.
_KINDS_MEMO_MAX = 200_000
_kinds_memo: dict[bytes, frozenset] = {}


def _kinds_of_report(account, actions_taken, time_given):
    digest = hashlib.blake2b(f"{int(time_given)}\x00{account}\x00{actions_taken}".encode(), digest_size=16).digest()
    found = _kinds_memo.get(digest)
    if found is None:
        # What was done next never gets "no time" (it is the account's to say when): asking it as if given skips
        # the two slowest searches for a suggestion that would be dropped.
        found = frozenset(quality.kinds(account, time_given=time_given) | quality.kinds(actions_taken,
                                                                                        time_given=True))
        if len(_kinds_memo) >= _KINDS_MEMO_MAX:
            _kinds_memo.clear()
        _kinds_memo[digest] = found
    return found

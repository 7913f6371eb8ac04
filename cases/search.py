"""Search the chronology (issue 9): the words a DSL remembers, across every case they may read.

SQLite uses its FTS5 index (porter stemming, accents folded); PostgreSQL its English full-text index. The
words typed are reduced to plain words, so no query syntax can be injected or cause an error; every word
must match, and the last may be the start of a word ("Tues" finds "Tuesday"). Newest first.
"""

import re
from dataclasses import dataclass

from django.db import connection

from cases.access import cases_for
from cases.models import Case, Entry

WORDS = re.compile(r"[^\W_]+", re.UNICODE)
LIMIT = 50
MAX_WORDS = 8


@dataclass
class Hit:
    case: object
    kind: str  # what was found: "Concern C000012" or a chronology entry's kind
    at: object
    anchor: str  # where on the case page
    parts: list  # (text, is_match) pairs of a short extract


def words_of(query: str) -> list[str]:
    return [w.lower() for w in WORDS.findall(query or "")][:MAX_WORDS]


# (table, text column, case column, the index's own table on SQLite, whether the row has its own school column)
SOURCES = {"entry": ("cases_entry", "text", "case_id", "cases_entry_fts", False),
           "concern": ("concerns_concern", "account", "case_id", "concerns_concern_fts", True)}


BATCH = 200
MAX_BATCHES = 10


def _candidates(source, words, school_id, offset):
    """(id, case id) of matching rows at the school, newest first: one batch."""
    table, column, case_column, fts, own_school = SOURCES[source]
    # A concern names its school itself: filtering on it lets PostgreSQL combine the school's index with the text's
    # (at 500,000 cases a common phrase matched 100,000 concerns, each joined to its case: 335 -> 42 ms). The school
    # a case is at never changes and is its concern's; whatever is found is still checked against `cases_for`.
    if own_school:
        join, school = "", f"t.{case_column} IS NOT NULL AND t.school_id = %s"
    else:
        join, school = f"JOIN cases_case c ON c.id = t.{case_column} ", "c.school_id = %s"
    if connection.vendor == "sqlite":
        match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        sql = (f"SELECT t.id, t.{case_column} FROM {fts} f JOIN {table} t ON t.id = f.rowid {join}"
               f"WHERE {fts} MATCH %s AND {school} ORDER BY f.rowid DESC LIMIT %s OFFSET %s")  # nosec B608 - see below
    else:
        match = " & ".join([*words[:-1], f"{words[-1]}:*"])
        sql = (f"SELECT t.id, t.{case_column} FROM {table} t {join}"
               f"WHERE to_tsvector('english'::regconfig, t.{column}) @@ to_tsquery('english'::regconfig, %s) "
               f"AND {school} ORDER BY t.id DESC LIMIT %s OFFSET %s")  # nosec B608 - see below
    params = [match, school_id, BATCH, offset]
    # B608 waived above: table and column names are constants here; what was typed is always a parameter.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _ids(source, words, user, school, limit):
    """Ids of matching rows in cases `user` may read, newest first, at most `limit`.

    Newest first, not by relevance: it is what a DSL expects of a chronology, and it lets the index stop early.
    Matches are read in batches at the school, and each batch is checked against `cases_for` — the one place
    that says who may read a case — so the check never has to list every case of a large school. At most
    MAX_BATCHES × BATCH matches at the school are looked at (bench/README.md: 250 → a few ms at 500,000 cases)."""
    found = []
    for batch in range(MAX_BATCHES):
        rows = _candidates(source, words, school.id, batch * BATCH)
        if rows:
            allowed = set(cases_for(user, school).filter(id__in={case for _, case in rows})
                          .order_by().values_list("id", flat=True))
            found += [i for i, case in rows if case in allowed]
        if len(found) >= limit or len(rows) < BATCH:
            break
    return found[:limit]


def search(user, school, query, limit=LIMIT):
    """Chronology entries and concerns' accounts in cases at `school` that `user` may read, newest first."""
    from concerns.models import Concern

    words = words_of(query)
    if not words:
        return []
    entry_ids = _ids("entry", words, user, school, limit)
    concern_ids = _ids("concern", words, user, school, limit)
    heavy = [f"case__{name}" for name in Case.JSON_FIELDS]  # a hit shows only its case's reference
    hits = [Hit(e.case, e.get_kind_display(), e.at, f"entry-{e.id}", extract(e.text, words))
            for e in Entry.objects.filter(id__in=entry_ids).select_related("case").defer(*heavy)]
    hits += [Hit(c.case, f"Concern {c.reference}", c.created_at, "concerns", extract(c.account, words))
             for c in Concern.objects.filter(id__in=concern_ids).select_related("case").defer(*heavy)]
    hits.sort(key=lambda h: h.at, reverse=True)
    return hits[:limit]


def extract(text, words, width=90):
    """A short passage around the first word found, split into (text, is_match) parts for <mark>."""
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width)
    end = min(len(text), start + 2 * width + (first.end() - first.start() if first else 0))
    passage = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    parts, at = [], 0
    for m in pattern.finditer(passage):
        if m.start() > at:
            parts.append((passage[at:m.start()], False))
        parts.append((m.group(0), True))
        at = m.end()
    if at < len(passage):
        parts.append((passage[at:], False))
    return parts

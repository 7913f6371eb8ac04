"""Search the chronology (issue 9): the words a DSL remembers, across every case they may read.

SQLite uses its FTS5 index (porter stemming, accents folded); PostgreSQL its English full-text index. The
words typed are reduced to plain words, so no query syntax can be injected or cause an error; every word
must match, and the last may be the start of a word ("Tues" finds "Tuesday").
"""

import re
from dataclasses import dataclass

from django.db import connection

from cases.access import cases_for
from cases.models import Entry

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


# (table, text column, case column, the index's own table on SQLite)
SOURCES = {"entry": ("cases_entry", "text", "case_id", "cases_entry_fts"),
           "concern": ("concerns_concern", "account", "case_id", "concerns_concern_fts")}


def _ids(source, words, allowed_sql, allowed_params, limit):
    """[(id, score)] best first: score is higher for a better match on both databases."""
    table, column, case_column, fts = SOURCES[source]
    if connection.vendor == "sqlite":
        match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        sql = (f"SELECT t.id, -f.rank FROM {fts} f JOIN {table} t ON t.id = f.rowid "
               f"WHERE {fts} MATCH %s AND t.{case_column} IN ({allowed_sql}) ORDER BY f.rank LIMIT %s")  # nosec B608 - see below
        params = [match, *allowed_params, limit]
    else:
        tsquery = " & ".join([*words[:-1], f"{words[-1]}:*"])
        vector = f"to_tsvector('english'::regconfig, t.{column})"
        sql = (f"SELECT t.id, ts_rank({vector}, to_tsquery('english'::regconfig, %s)) AS score FROM {table} t "
               f"WHERE {vector} @@ to_tsquery('english'::regconfig, %s) AND t.{case_column} IN ({allowed_sql}) "
               f"ORDER BY score DESC, t.id DESC LIMIT %s")  # nosec B608 - see below
        params = [tsquery, tsquery, *allowed_params, limit]
    # B608 waived above: table and column names are constants here and the only other text put into the SQL is
    # Django's own compiled subquery; what was typed is always a parameter.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def search(user, school, query, limit=LIMIT):
    """Chronology entries and concerns' accounts in cases at `school` that `user` may read, best match first."""
    from concerns.models import Concern

    words = words_of(query)
    if not words:
        return []
    allowed_sql, allowed_params = cases_for(user, school).order_by().values("id").query.sql_with_params()
    found = [("entry", i, score) for i, score in _ids("entry", words, allowed_sql, allowed_params, limit)]
    found += [("concern", i, score) for i, score in _ids("concern", words, allowed_sql, allowed_params, limit)]
    found.sort(key=lambda f: -f[2])
    found = found[:limit]
    entries = Entry.objects.filter(id__in=[i for s, i, _ in found if s == "entry"]).select_related("case").in_bulk()
    concerns = Concern.objects.filter(id__in=[i for s, i, _ in found if s == "concern"]).select_related("case")
    concerns = concerns.in_bulk()
    hits = []
    for source, i, _ in found:
        if source == "entry" and i in entries:
            e = entries[i]
            hits.append(Hit(e.case, e.get_kind_display(), e.at, f"entry-{e.id}", extract(e.text, words)))
        elif source == "concern" and i in concerns:
            c = concerns[i]
            hits.append(Hit(c.case, f"Concern {c.reference}", c.created_at, "concerns",
                            extract(c.account, words)))
    return hits


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

"""The case page's chronology, each entry rendered once (issue 24.1).

An entry is never changed: database triggers refuse UPDATE and DELETE, except the DELETE of a whole case by an
approved disposal (H4). So an entry's HTML is a pure function of the entry, its author's name, the viewer's language
and time zone, and the files it is rendered from; kept, it cannot go stale. It is kept in Django's "fragments" cache
(local memory, settings.CACHES), one cache key per case holding {(version, language, time zone, entry id, digest):
HTML}:

- the **version** is a hash of `cases/_entry.html`, every template it imports, the rules' words it shows
  (procedures/rules.toml and the code that reads them) and the date filter's code, so a change to any of them
  renders afresh with no constant to bump;
- the **digest** covers what the fragment shows of the entry and of its author, so a renamed author (or a reused id
  in a rolled-back transaction) can never be served another's HTML;
- a new entry has no fragment yet and is rendered on the very next request;
- disposal calls `forget_case` in its transaction (and again on commit), which drops the case's key.

Only the case page calls `entry_html`, and only after `get_case_for` has checked access (H2, least privilege): a
viewer who may not read the case never reaches the cache.

Local memory is per process: after a disposal, a second server process still holds the case's fragments in memory
until they are culled or the process restarts, although no request can reach them (the case is gone, ids are never
reused). Set CACHES["fragments"] to the database cache to drop them everywhere at once.
"""

import hashlib
import inspect
import json
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.template import engines
from django.utils import translation
from jinja2 import meta
from markupsafe import Markup

from procedures import rules

TEMPLATE = "cases/_entry.html"
CACHE = "fragments"
KEEP_VERSIONS = 1  # fragments of older versions are dropped when a case's key is next written


def _cache():
    return caches[CACHE]


def _key(case_id):
    return f"cases:chronology:{case_id}"


def _env():
    return engines["jinja2"].env


def _template_sources(env, name, found):
    source = env.loader.get_source(env, name)[0]
    found[name] = source
    for child in meta.find_referenced_templates(env.parse(source)):
        if child and child not in found:
            _template_sources(env, child, found)
    return found


def _compute_version():
    env = _env()
    digest = hashlib.sha256()
    for name, source in sorted(_template_sources(env, TEMPLATE, {}).items()):
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    digest.update(rules.PATH.read_bytes())
    digest.update(inspect.getsource(rules).encode())
    digest.update(inspect.getsource(env.filters["local_datetime"]).encode())
    return digest.hexdigest()[:16]


_stable_version = lru_cache(maxsize=1)(_compute_version)


def version():
    """The hash of everything an entry's HTML is made from. Computed once per process, except when templates may
    change under a running process (DEBUG: Jinja reloads them), when it is computed on every call."""
    return _compute_version() if settings.DEBUG else _stable_version()


def _digest(entry):
    author = entry.author.full_name if entry.author_id else ""
    shown = json.dumps([entry.kind, entry.at.isoformat(), entry.text, entry.rules, entry.author_id, author],
                       ensure_ascii=False, default=str)
    return hashlib.blake2b(shown.encode(), digest_size=12).hexdigest()


def entry_html(case, entries):
    """[Markup] for `entries` of `case`, in their order. The caller has checked that the viewer may read the case."""
    if not entries:
        return []
    current = version()
    where = (current, translation.get_language() or "", settings.TIME_ZONE)
    keys = [(*where, e.id, _digest(e)) for e in entries]
    cache = _cache()
    held = cache.get(_key(case.id)) or {}
    missing = [(key, e) for key, e in zip(keys, entries, strict=True) if key not in held]
    if missing:
        template = _env().get_template(TEMPLATE)
        fresh = {key: template.render({"e": e}) for key, e in missing}
        kept = {key: html for key, html in held.items() if key[0] == current}
        kept.update(fresh)
        cache.set(_key(case.id), kept)
        held = kept
    return [Markup(held[key]) for key in keys]  # nosec B704 - rendered by the autoescaping Jinja environment


def forget_case(case_id):
    """Drop every fragment of a case (disposal, H4): now, and again when the transaction commits, in case a page
    read of the case rendered some in between."""
    _cache().delete(_key(case_id))
    transaction.on_commit(lambda: _cache().delete(_key(case_id)))

"""The Welsh catalogue (rule J8): which strings are marked for translation, and reading the catalogue back.

`marked_strings()` finds every string marked in Harbour's own code, without Babel or Django's makemessages (which
cannot read Jinja2): the Jinja2 templates through the i18n extension's own extractor, the Python modules through
`ast` (calls of gettext, gettext_lazy, _, ngettext, pgettext, gettext_noop and lib.i18n.Words). `write_template()`
writes them as locale/harbour.pot; `manage.py translations update` merges that into locale/cy/LC_MESSAGES/django.po
with GNU gettext's msgmerge and compiles the .mo with msgfmt (docs/translation.md). `read_po()` reads a catalogue
back for the tests: which entries it has, which are fuzzy, which are not yet translated.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
POT = LOCALE / "harbour.pot"
SKIP = {".venv", "node_modules", "tests", "migrations", "var", "bench", ".git"}
# Python callables whose first string argument is a message (the second too for the plural forms).
SINGULAR = {"gettext", "gettext_lazy", "_", "gettext_noop", "Words"}
PLURAL = {"ngettext", "ngettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy"}


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str = ""
    context: str = ""


def _sources(pattern):
    for path in sorted(ROOT.glob(pattern)):
        relative = path.relative_to(ROOT)
        if not SKIP.intersection(relative.parts):
            yield path, relative


def template_strings() -> dict[Message, list[str]]:
    from django.template import engines

    env = engines["jinja2"].env
    found: dict[Message, list[str]] = {}
    for path, relative in _sources("*/jinja2/**/*.html"):
        for line, function, message in env.extract_translations(path.read_text(encoding="utf-8")):
            args = message if isinstance(message, tuple) else (message,)
            args = [a for a in args if isinstance(a, str)]
            if not args:
                continue
            if function in ("pgettext", "npgettext"):
                entry = Message(args[1], args[2] if len(args) > 2 else "", context=args[0])
            else:
                entry = Message(args[0], args[1] if function == "ngettext" and len(args) > 1 else "")
            found.setdefault(entry, []).append(f"{relative}:{line}")
    return found


def _name(func):
    return getattr(func, "id", None) or getattr(func, "attr", None)


def python_strings() -> dict[Message, list[str]]:
    found: dict[Message, list[str]] = {}
    for path, relative in _sources("**/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            strings = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                       for a in node.args]
            if name in SINGULAR and strings and strings[0]:
                entry = Message(strings[0])
            elif name in PLURAL and len(strings) >= 2 and strings[0] and strings[1]:
                entry = Message(strings[0], strings[1])
            elif name in CONTEXT and len(strings) >= 2 and strings[0] and strings[1]:
                entry = Message(strings[1], context=strings[0])
            else:
                continue
            found.setdefault(entry, []).append(f"{relative}:{node.lineno}")
    return found


def marked_strings() -> dict[Message, list[str]]:
    found = template_strings()
    for entry, places in python_strings().items():
        found.setdefault(entry, []).extend(places)
    return found


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def write_template(path: Path = POT) -> int:
    """Write every marked string as a .pot file; return how many."""
    found = marked_strings()
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
             '"Content-Transfer-Encoding: 8bit\\n"', ""]
    for entry in sorted(found, key=lambda e: (min(found[e]), e.msgid)):
        lines += [f"#: {place}" for place in found[entry][:5]]
        if "%(" in entry.msgid or "%s" in entry.msgid:
            lines.append("#, python-format")
        if entry.context:
            lines.append(f"msgctxt {_quote(entry.context)}")
        lines.append(f"msgid {_quote(entry.msgid)}")
        if entry.plural:
            lines += [f"msgid_plural {_quote(entry.plural)}", 'msgstr[0] ""', 'msgstr[1] ""']
        else:
            lines.append('msgstr ""')
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return len(found)


# ---- reading a catalogue back -------------------------------------------------------------------------------------

@dataclass
class Entry:
    msgid: str = ""
    plural: str = ""
    context: str = ""
    strings: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> Message:
        return Message(self.msgid, self.plural, self.context)

    @property
    def translated(self) -> bool:
        return bool(self.strings) and all(self.strings)


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$')
_CONTINUED = re.compile(r'^"(.*)"$')


def _unquote(text: str) -> str:
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header left out), obsolete ones marked."""
    entries, entry, last = [], Entry(), None

    def finish():
        nonlocal entry, last
        if last is not None and entry.msgid:
            entries.append(entry)
        entry, last = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            if last is not None and last.startswith("msgstr"):
                finish()
            entry.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        found = _KEYWORD.match(line)
        if found:
            keyword, text = found.group(1), _unquote(found.group(2))
            if keyword == "msgctxt" or (keyword == "msgid" and last is not None and last.startswith("msgstr")):
                if last is not None and last.startswith("msgstr"):
                    finish()
            entry.obsolete = entry.obsolete or obsolete
            last = keyword
        else:
            found = _CONTINUED.match(line)
            if not found or last is None:
                continue
            keyword, text = last, _unquote(found.group(1))
            if keyword.startswith("msgstr"):
                entry.strings[-1] += text
                continue
            setattr(entry, {"msgctxt": "context", "msgid": "msgid", "msgid_plural": "plural"}[keyword],
                    getattr(entry, {"msgctxt": "context", "msgid": "msgid", "msgid_plural": "plural"}[keyword]) + text)
            continue
        if keyword.startswith("msgstr"):
            entry.strings.append(text)
        else:
            attribute = {"msgctxt": "context", "msgid": "msgid", "msgid_plural": "plural"}[keyword]
            setattr(entry, attribute, getattr(entry, attribute) + text)
    finish()
    return entries

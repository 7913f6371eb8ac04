"""Trim GOV.UK Frontend's and MOJ Frontend's CSS to the rules Harbour's pages can use (issue 26).

    .venv/bin/python scripts/purge_css.py            # write the trimmed CSS
    .venv/bin/python scripts/purge_css.py --check    # exit 1 if the committed trimmed CSS is out of date

scripts/vendor_assets.sh compiles the two stylesheets whole into harbour/css_source/ (kept in the repo, never
served) and runs this; it needs no network, so after a template starts using a class that no page used before,
run it again and commit the result (tests/test_trimmed_css.py fails until then).

A rule is kept when every class its selector needs is one Harbour can put on a page. Those are the class-like words
(`govuk-…`, `moj-…`, `js-…`) found in:
- Harbour's own templates (every `jinja2/` folder) and Python code (views and forms pass classes to the macros);
- the GOV.UK Frontend Jinja macros that those templates import, and the macros those import in turn;
- Harbour's own JavaScript;
- GOV.UK Frontend's and MOJ Frontend's JavaScript, for the components a page uses: a class their scripts add
  (`govuk-accordion__section--expanded`, `govuk-skip-link-focused-element`...) counts when its component
  (`govuk-accordion`, `govuk-skip-link`) is on some page;
- SAFELIST below, for the few classes that nothing above spells out whole.
A word ending in `-` or `_` (a macro building `govuk-table__cell--{{ format }}`) keeps every class it begins.
Selectors with no class (`html`, `[hidden]`, `:root`) are kept; classes inside `:not()`, `:is()`, `:where()` or
`:has()` are not required (the rule can match without them). At-rules are kept, emptied ones dropped.

tinycss2 (already installed: WeasyPrint uses it) parses the CSS and writes it back.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import tinycss2

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "harbour" / "css_source"
STATIC = ROOT / "harbour" / "static" / "vendor"
# (full stylesheet, trimmed stylesheet that pages load)
SHEETS = (
    (SOURCE / "govuk-frontend.min.css", STATIC / "govuk-frontend" / "govuk-frontend.min.css"),
    (SOURCE / "moj-frontend.min.css", STATIC / "moj-frontend" / "moj-frontend.min.css"),
)
VENDOR_JS = (STATIC / "govuk-frontend" / "govuk-frontend.min.js", STATIC / "moj-frontend" / "moj-frontend.min.js")
SKIP_DIRS = {".venv", "node_modules", ".git", "var", "css_source", "vendor", "bench", "scripts", "__pycache__"}
MACROS = "govuk_frontend_jinja/"
# Classes a page can carry that no file spells out whole. Each with its reason.
SAFELIST = {
    "govuk-template--rebranded",  # the template's own class for GOV.UK's 2025 look; harmless if never set
}
WORD = re.compile(r"(?<![A-Za-z0-9_-])(?:govuk|moj|js)-[A-Za-z0-9_!-]*")
IMPORT = re.compile(r"""["'](govuk_frontend_jinja/[^"']+\.html)["']""")
CLASS = re.compile(r"\.((?:\\.|[A-Za-z0-9_-])+)")


def _sources(suffixes):
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if os.path.splitext(name)[1] in suffixes:
                yield Path(folder) / name


def macro_root():
    import govuk_frontend_jinja

    return Path(govuk_frontend_jinja.__file__).resolve().parent / "templates"


def template_files():
    """Harbour's templates (any file under a `jinja2/` folder)."""
    return [p for p in _sources({".html", ".txt", ".xml"}) if "jinja2" in p.relative_to(ROOT).parts]


def used_macros(texts):
    """The GOV.UK Frontend Jinja files the given templates import, followed through their own imports."""
    root, seen, todo = macro_root(), set(), []
    for text in texts:
        todo += IMPORT.findall(text)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = root / name.removeprefix(MACROS)
        if path.exists():
            todo += IMPORT.findall(path.read_text())
    return sorted(seen)


def _namespaced(text):
    """A macro that builds its classes from a namespace (`govukGenericHeader` draws `{{ namespace }}-header`, and
    Harbour's base layout passes `_namespace: 'govuk'` to draw GOV.UK's own header): read with each namespace it can
    be given, so that `govuk-header`, `govuk-header__logo`... count as used."""
    if "{{ namespace }}" not in text:
        return text
    return "\n".join(text.replace("{{ namespace }}", name) for name in NAMESPACES)


# What `_namespace` can be: the macro's default, and GOV.UK's own (base.html's header).
NAMESPACES = ("govuk-generic", "govuk")


def component(word):
    """The component a class belongs to: `govuk-accordion__section--expanded` -> `govuk-accordion`."""
    return re.split(r"__|--", word, maxsplit=1)[0]


def used_words():
    """Every class-like word a Harbour page can carry (see the module's doc)."""
    templates = [p.read_text() for p in template_files()]
    macros = [_namespaced((macro_root() / name.removeprefix(MACROS)).read_text()) for name in used_macros(templates)]
    python = [p.read_text() for p in _sources({".py"}) if "tests" not in p.relative_to(ROOT).parts]
    ours_js = [p.read_text() for p in (ROOT / "harbour" / "static" / "harbour").glob("*.js")]
    words = set(SAFELIST)
    for text in templates + macros + python + ours_js:
        words.update(WORD.findall(text))
    components = {component(w) for w in words if not w.endswith(("-", "_"))}
    starts = tuple(f"{c}{sep}" for c in components for sep in ("__", "--", "-"))
    for path in VENDOR_JS:
        for w in WORD.findall(path.read_text()):
            if component(w) in components or w.startswith(starts):
                words.add(w)
    return words


def is_used(cls, words, prefixes):
    return cls in words or any(cls.startswith(p) for p in prefixes)


def _required_classes(tokens):
    """The classes a selector's tokens need, leaving out those inside functional pseudo-classes."""
    text = "".join(t.serialize() for t in tokens if t.type != "function")
    return [re.sub(r"\\(.)", r"\1", c) for c in CLASS.findall(text)]


def _split_selectors(prelude):
    parts, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return parts


def _strip(tokens):
    while tokens and tokens[0].type in ("whitespace", "comment"):
        tokens = tokens[1:]
    while tokens and tokens[-1].type in ("whitespace", "comment"):
        tokens = tokens[:-1]
    return tokens


def trim_rules(rules, words, prefixes):
    """The CSS text of the rules that can match a Harbour page."""
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [_strip(s) for s in _split_selectors(rule.prelude)
                    if all(is_used(c, words, prefixes) for c in _required_classes(s))]
            if kept:
                out.append(",".join(tinycss2.serialize(s) for s in kept) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule":
            nested = rule.lower_at_keyword in ("media", "supports", "layer", "container", "document")
            if nested and rule.content is not None:
                inner = trim_rules(tinycss2.parse_rule_list(rule.content), words, prefixes)
                if inner:
                    out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
            else:
                out.append(rule.serialize())
        # comments and whitespace between rules are dropped
    return "".join(out)


def trim(css, words):
    # A namespace alone ("govuk-" in a sentence or a startswith()) is no class prefix.
    prefixes = tuple(w for w in words if w.endswith(("-", "_")) and w not in ("govuk-", "moj-", "js-"))
    return trim_rules(tinycss2.parse_stylesheet(css), words, prefixes)


def stylesheet_classes(css):
    """Every class any selector of the stylesheet names (for the tests)."""
    found = set()

    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                found.update(re.sub(r"\\(.)", r"\1", c) for c in CLASS.findall(tinycss2.serialize(rule.prelude)))
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports"):
                walk(tinycss2.parse_rule_list(rule.content))

    walk(tinycss2.parse_stylesheet(css))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the trimmed CSS is up to date")
    args = parser.parse_args()
    words, stale = used_words(), []
    for source, target in SHEETS:
        full = source.read_text()
        trimmed = trim(full, words)
        if args.check:
            if not target.exists() or target.read_text() != trimmed:
                stale.append(target.relative_to(ROOT))
            continue
        target.write_text(trimmed)
        print(f"{target.relative_to(ROOT)}: {len(full.encode()):,} -> {len(trimmed.encode()):,} bytes")
    if stale:
        print("Out of date (run scripts/purge_css.py and commit): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

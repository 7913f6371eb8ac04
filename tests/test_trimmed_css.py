"""Issue 26.2: pages load only the GOV.UK Frontend and MOJ Frontend CSS they can use. scripts/vendor_assets.sh
compiles both stylesheets whole into harbour/css_source/ and scripts/purge_css.py trims them to the rules whose
classes Harbour's templates, Python code and scripts can put on a page. These tests prove the trimmed CSS breaks
no page: every class a template or view names is still styled (or is named here as unstyled on purpose), the
classes GOV.UK Frontend's scripts add are kept, and the committed CSS is what the trim gives today."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import purge_css  # noqa: E402 - scripts/ is not a package

# Classes Harbour's files name that no GOV.UK Frontend or MOJ Frontend rule styles, even untrimmed. Each says why.
UNSTYLED_ON_PURPOSE = {
    "govuk-bank-holidays": "a Python package's name (lib/workdays.py), not a class",
    "govuk-frontend-jinja": "a Python package's name (harbour/components.py), not a class",
    "govuk-frontend": "a folder name (vendor/govuk-frontend/), not a class",
    "moj-frontend": "a folder name (vendor/moj-frontend/), not a class",
    "govuk-table__head": "the table macro's hook for <thead>; GOV.UK styles the cells, not the group",
    "govuk-table__body": "the table macro's hook for <tbody>",
    "govuk-table__row": "the table macro's hook for <tr>",
    "govuk-table__caption--s": "GOV.UK Frontend 6.3 sizes captions m, l and xl only; s is the caption's own size",
    "govuk-tag--blue": "GOV.UK Frontend 6 has no blue tag: the default tag is that colour",
    "moj-timeline__header": "MOJ's timeline styles the title inside the header, not the header",
    "govuk-checkboxes": "the checkboxes' wrapper and module name, as the macro draws them (harbour/components.py); "
                        "GOV.UK styles the items, not the wrapper",
    "govuk-generic": "the header macro's default namespace (harbour/components.py), a prefix of its classes, not a "
                     "class itself",
}


@pytest.fixture(scope="module")
def sheets():
    full, trimmed = set(), set()
    for source, target in purge_css.SHEETS:
        full |= purge_css.stylesheet_classes(source.read_text())
        trimmed |= purge_css.stylesheet_classes(target.read_text())
    return full, trimmed


def named_classes():
    """Every govuk-/moj- class Harbour's templates and (non-test) Python code name whole, with where."""
    found = {}
    files = purge_css.template_files() + [p for p in purge_css._sources({".py"})
                                          if "tests" not in p.relative_to(ROOT).parts]
    for path in files:
        for word in purge_css.WORD.findall(path.read_text()):
            if not word.endswith(("-", "_")) and not word.startswith("js-"):
                found.setdefault(word, str(path.relative_to(ROOT)))
    return found


def test_the_committed_trimmed_css_is_what_the_trim_gives_for_todays_templates():
    """A template that starts using a class no page used before must bring its rules with it: run
    scripts/purge_css.py and commit the CSS it writes."""
    words = purge_css.used_words()
    for source, target in purge_css.SHEETS:
        assert target.read_text() == purge_css.trim(source.read_text(), words), (
            f"{target.relative_to(ROOT)} is out of date: run .venv/bin/python scripts/purge_css.py and commit it")


def test_every_class_a_template_or_view_names_is_styled_or_unstyled_on_purpose(sheets):
    full, trimmed = sheets
    named = named_classes()
    assert "govuk-summary-list__row" in named and "govuk-button--secondary" in named  # the scan finds classes
    unstyled = {c: where for c, where in named.items() if c not in trimmed and c not in UNSTYLED_ON_PURPOSE}
    assert unstyled == {}, "classes with no rule in the trimmed CSS (a typo, or a class GOV.UK Frontend lacks)"
    # What is unstyled on purpose is unstyled in the whole stylesheets too: the trim removed nothing a page uses.
    assert {c for c in UNSTYLED_ON_PURPOSE if c in full} == set()
    assert set(UNSTYLED_ON_PURPOSE) <= set(named), "a class listed as unstyled is no longer used: remove it"


def test_classes_that_gov_uk_frontends_scripts_add_are_kept(sheets):
    """The script adds these to components Harbour's pages use (the summary of the trim's JavaScript rule)."""
    _, trimmed = sheets
    for cls in ("govuk-frontend-supported", "govuk-radios__conditional--hidden", "govuk-checkboxes__conditional",
                "govuk-service-navigation__toggle", "govuk-skip-link-focused-element"):
        assert cls in trimmed, cls


def test_components_no_page_uses_are_trimmed_away(sheets):
    full, trimmed = sheets
    for cls in ("govuk-accordion", "govuk-tabs", "govuk-cookie-banner", "moj-badge", "moj-filter",
                "govuk-!-margin-left-9"):
        assert cls in full and cls not in trimmed, cls
    sizes = [(len(s.read_bytes()), len(t.read_bytes())) for s, t in purge_css.SHEETS]
    assert sum(t for _, t in sizes) < 0.5 * sum(s for s, _ in sizes)


def test_the_trim_keeps_rules_that_need_no_class_and_drops_only_the_unused_selectors_of_a_list():
    css = ("html{color:red}[hidden]{display:none}.govuk-a,.govuk-b{margin:0}.govuk-b{x:y}"
           "@media (min-width:1px){.govuk-b{x:y}}.govuk-a:not(.govuk-b){z:1}.govuk-c__x--y{q:r}")
    words = {"govuk-a", "govuk-c__x--"}
    assert purge_css.trim(css, words) == ("html{color:red}[hidden]{display:none}.govuk-a{margin:0}"
                                          ".govuk-a:not(.govuk-b){z:1}.govuk-c__x--y{q:r}")


def test_the_stylesheets_still_resolve_their_assets_next_to_them():
    """Every url() of the trimmed CSS is relative and names a file that is shipped (as vendor_assets.sh checks)."""
    for _, target in purge_css.SHEETS:
        for url in re.findall(r"url\(([^)]*)\)", target.read_text()):
            url = url.strip("\"'")
            if url.startswith("data:"):
                continue
            assert url.startswith("assets/") and (target.parent / url.split("?")[0]).is_file(), url

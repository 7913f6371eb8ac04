"""Issue 21.4: releases. The version in pyproject.toml is a semantic version and CHANGELOG.md's top entry names it;
`make release` (scripts/release.py) refuses a dirty tree, a version the changelog does not match, unreleased changes
left out and a version already tagged, and otherwise tags vX.Y.Z without pushing."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import release  # noqa: E402 - scripts/ is not a package

CHANGELOG = """# Changelog

## [Unreleased]

## [1.4.0] - 2027-01-10

### Added
- Something people asked for.

## [1.3.0] - 2026-12-01

### Fixed
- Something that was broken.
"""


def test_this_trees_version_is_semantic_and_is_the_changelogs_top_entry():
    version = release.project_version()
    entry, date, body = release.changelog_entry((ROOT / "CHANGELOG.md").read_text())
    assert entry == version and date and "Upgrade notes" in body


def test_the_version_served_is_pyprojects():
    from harbour.version import version

    assert version() == release.project_version()


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args], cwd=repo,
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "harbour"\nversion = "1.4.0"\n')
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "release 1.4.0")
    return tmp_path


def commit(repo, name, text):
    (repo / name).write_text(text)
    git(repo, "commit", "-qam", f"change {name}")


def test_a_clean_tree_whose_version_matches_is_tagged_with_its_changelog_entry(repo, monkeypatch, capsys):
    monkeypatch.setattr(release, "ROOT", repo)
    for who in ("GIT_COMMITTER_NAME", "GIT_AUTHOR_NAME"):
        monkeypatch.setenv(who, "Test")
    for who in ("GIT_COMMITTER_EMAIL", "GIT_AUTHOR_EMAIL"):
        monkeypatch.setenv(who, "test@example.invalid")
    assert release.main([]) == 0
    message = subprocess.run(["git", "tag", "-l", "--format=%(contents)", "v1.4.0"], cwd=repo, capture_output=True,
                             text=True, check=True).stdout
    assert message.startswith("Harbour 1.4.0 (2027-01-10)") and "Something people asked for." in message
    assert "Something that was broken." not in message
    assert "Nothing was pushed" in capsys.readouterr().out
    with pytest.raises(release.NotReady, match="exists already"):
        release.check(repo)


@pytest.mark.parametrize("change, problem", [
    (("CHANGELOG.md", None), "working tree has changes"),
    (("pyproject.toml", '[project]\nname = "harbour"\nversion = "1.5.0"\n'), "CHANGELOG.md's top entry is 1.4.0"),
    (("pyproject.toml", '[project]\nname = "harbour"\nversion = "1.5"\n'), "not a semantic version"),
    (("CHANGELOG.md", CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n- A change not released.\n")),
     "Unreleased section lists changes"),
    (("CHANGELOG.md", CHANGELOG.replace("## [1.4.0] - 2027-01-10", "## [1.4.0]")), "has no date"),
])
def test_a_release_is_refused_until_the_tree_is_ready(repo, change, problem):
    name, text = change
    if text is None:
        (repo / name).write_text(CHANGELOG + "\nan edit not committed\n")
    else:
        commit(repo, name, text)
    with pytest.raises(release.NotReady, match=problem):
        release.check(repo)
    assert not subprocess.run(["git", "tag"], cwd=repo, capture_output=True, text=True).stdout  # nothing tagged


def test_the_makefile_releases_through_the_script():
    assert "release: venv\n\t$(PY) scripts/release.py" in (ROOT / "Makefile").read_text()
    assert shutil.which("git")

"""`make release`: check that a release can be made from this tree, then tag it (docs/release.md).

It refuses unless: the working tree is clean (nothing changed, nothing untracked); the version in pyproject.toml is
a semantic version; CHANGELOG.md's first released entry is that version, dated, and the Unreleased section above it
is empty (what it lists would be left out of the release); and no tag of that version exists yet. Then it makes an
annotated tag `vX.Y.Z` whose message is the changelog entry. It never pushes: `git push origin vX.Y.Z` is yours.

    python scripts/release.py            # check and tag
    python scripts/release.py --check    # check only
"""

import argparse
import re
import subprocess  # nosec B404 - runs git only, with fixed arguments
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Semantic Versioning 2.0.0's own pattern (semver.org), without build metadata.
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$")
HEADING = re.compile(r"^## \[(?P<name>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?\s*$", re.M)


class NotReady(Exception):
    pass


def project_version(root=ROOT):
    version = tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]
    if not SEMVER.match(version):
        raise NotReady(f"pyproject.toml's version {version!r} is not a semantic version (X.Y.Z)")
    return version


def changelog_entry(text):
    """(version, date, body) of the first released entry; refuses if Unreleased above it lists anything."""
    headings = list(HEADING.finditer(text))
    if not headings:
        raise NotReady("CHANGELOG.md has no '## [X.Y.Z] - YYYY-MM-DD' entry")
    for i, heading in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        body = text[heading.end():end].strip()
        if heading["name"].lower() == "unreleased":
            if body:
                raise NotReady("CHANGELOG.md's Unreleased section lists changes: move them into the release's entry")
            continue
        if not heading["date"]:
            raise NotReady(f"CHANGELOG.md's entry for {heading['name']} has no date (## [X.Y.Z] - YYYY-MM-DD)")
        return heading["name"], heading["date"], body
    raise NotReady("CHANGELOG.md has no released entry below Unreleased")


def git(*args, root=ROOT):
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout  # nosec B603 B607 - git, fixed arguments


def check(root=ROOT):
    """The version to release, or NotReady saying what to fix first."""
    if git("status", "--porcelain", root=root).strip():
        raise NotReady("the working tree has changes or untracked files: commit or remove them first")
    version = project_version(root)
    entry_version, _date, body = changelog_entry((root / "CHANGELOG.md").read_text())
    if entry_version != version:
        raise NotReady(f"pyproject.toml says {version} but CHANGELOG.md's top entry is {entry_version}")
    if not body:
        raise NotReady(f"CHANGELOG.md's entry for {version} is empty")
    if git("tag", "--list", f"v{version}", root=root).strip():
        raise NotReady(f"the tag v{version} exists already: raise the version for a new release")
    return version


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check only; make no tag")
    options = parser.parse_args(argv)
    try:
        version = check(ROOT)
    except NotReady as problem:
        print(f"Not ready to release: {problem}.", file=sys.stderr)
        return 1
    if options.check:
        print(f"Ready to release {version}.")
        return 0
    _, date, body = changelog_entry((ROOT / "CHANGELOG.md").read_text())
    git("tag", "--annotate", f"v{version}", "--message", f"Harbour {version} ({date})\n\n{body}\n", root=ROOT)
    print(f"Tagged v{version}. Nothing was pushed: `git push origin v{version}` publishes it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

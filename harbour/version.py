"""Harbour's version, from pyproject.toml (the one place it is written; CHANGELOG.md's top entry must match it,
which `make release` checks)."""

import tomllib
from functools import cache
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@cache
def version() -> str:
    with PYPROJECT.open("rb") as f:
        return tomllib.load(f)["project"]["version"]

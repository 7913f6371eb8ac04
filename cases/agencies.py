"""The agencies a case can go to (cases/agencies.toml): read once, checked at start-up."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).with_name("agencies.toml")
KINDS = ("referral", "report", "shared")
KEYS = {"id", "label", "kind", "counts_for_b2", "routes", "feedback_working_days", "urls_only", "asks_platform",
        "beyond_school", "resource"}


def problems(data: dict) -> list[str]:
    """Everything wrong with an agencies document, as sentences; empty when it is good."""
    errors = []
    routes = data.get("routes")
    if not isinstance(routes, dict) or not routes:
        return ["[routes] must name at least one route"]
    seen = set()
    for n, agency in enumerate(data.get("agency", []), 1):
        where = f"agency {n} ({agency.get('id', '?')})"
        unknown = set(agency) - KEYS
        if unknown:
            errors.append(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        if not agency.get("id") or not agency.get("label"):
            errors.append(f"{where}: needs an id and a label")
        if agency.get("id") in seen:
            errors.append(f"{where}: the id is used twice")
        seen.add(agency.get("id"))
        if agency.get("kind") not in KINDS:
            errors.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        if agency.get("counts_for_b2") and agency.get("kind") != "referral":
            errors.append(f"{where}: only a referral can count for B2")
        if not agency.get("routes") or any(r not in routes for r in agency.get("routes", [])):
            errors.append(f"{where}: routes must be a non-empty list of ids from [routes]")
        days = agency.get("feedback_working_days")
        if days is not None and (not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= 60):
            errors.append(f"{where}: feedback_working_days must be a whole number from 1 to 60")
    if not seen:
        errors.append("there must be at least one [[agency]]")
    return errors


@lru_cache(maxsize=1)
def _load() -> dict:
    with PATH.open("rb") as f:
        data = tomllib.load(f)
    errors = problems(data)
    if errors:
        raise ValueError(f"{PATH.name}: " + "; ".join(errors))
    return data


def all_agencies() -> list[dict]:
    return _load()["agency"]


def get(agency_id: str) -> dict | None:
    return next((a for a in all_agencies() if a["id"] == agency_id), None)


def label(agency_id: str) -> str:
    agency = get(agency_id)
    return agency["label"] if agency else agency_id


def of_kind(kind: str) -> list[dict]:
    return [a for a in all_agencies() if a["kind"] == kind]


def b2_ids() -> list[str]:
    return [a["id"] for a in all_agencies() if a.get("counts_for_b2")]


def routes() -> dict[str, str]:
    return _load()["routes"]

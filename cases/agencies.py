"""The agencies a case can go to (cases/agencies.toml): read once, checked at start-up by the models below."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from lib import datafiles
from lib.datafiles import Table, checked, each_once, is_int, nonempty_str, one_of, problem
from lib.hooks import Hook

PATH = Path(__file__).with_name("agencies.toml")
KINDS = ("referral", "report", "shared")
NATIONS = ("england", "wales", "scotland", "northern_ireland")

# The national services useful at a step of a case (I7), such as "referral", are the advice app's directory
# (advice/resources.toml). Cases sits below advice and never imports it: advice provides them (advice/apps.py).
services_for = Hook("the national services useful at a step of a case (advice/resources.toml)")


class AgenciesFileError(ValueError):
    """agencies.toml is missing, unreadable or invalid."""


class Agency(Table):
    """One [[agency]]: the keys are explained at the top of agencies.toml."""

    id: checked(str, nonempty_str, "needs an id")
    label: checked(str, nonempty_str, "needs a label")
    kind: checked(str, one_of(KINDS), f"kind must be one of {', '.join(KINDS)}")
    counts_for_b2: bool = False
    routes: list[str]
    feedback_working_days: checked(int, lambda v: is_int(v) and 0 < v <= 60,
                                   "feedback_working_days must be a whole number from 1 to 60") = None
    urls_only: bool = False
    asks_platform: bool = False
    beyond_school: bool = False
    resource: str = None
    nations: checked(list[str], lambda v: isinstance(v, list) and v != [] and all(
        n in NATIONS for n in v), "nations must be a non-empty list of " + ", ".join(NATIONS)) = None

    @field_validator("counts_for_b2")
    @classmethod
    def _only_referrals_count_for_b2(cls, counts, info: ValidationInfo):
        if counts and info.data.get("kind") != "referral":
            raise problem("only a referral can count for B2")
        return counts

    @field_validator("routes", mode="before")
    @classmethod
    def _known_routes(cls, routes, info: ValidationInfo):
        known = (info.context or {}).get("routes", {})
        if not isinstance(routes, list) or not routes or any(not isinstance(r, str) or r not in known for r in routes):
            raise problem("routes must be a non-empty list of ids from [routes]")
        return routes


class Agencies(BaseModel):
    """agencies.toml: the ways a referral or report is made, and the agencies."""

    model_config = ConfigDict(strict=True)

    routes: checked(dict[str, str], lambda v: isinstance(v, dict) and v != {}, "[routes] must name at least one route")
    agency: Annotated[list[Agency], each_once("id", "the id is used twice")] = Field([], validate_default=True)

    @field_validator("agency")
    @classmethod
    def _some_agencies(cls, agencies):
        if not agencies:
            raise problem("there must be at least one [[agency]]")
        return agencies


def _where(loc: tuple, data) -> str | None:
    """agency 2 (police): counted from 1 and named by id, as in the file."""
    if loc[:1] in {("routes",), ("agency",)} and len(loc) == 1:
        return ""
    if len(loc) >= 2 and loc[0] == "agency" and isinstance(loc[1], int):
        agency = data["agency"][loc[1]]
        return f"agency {loc[1] + 1} ({agency.get('id', '?') if isinstance(agency, dict) else '?'})"
    return None


def _check(data: dict):
    routes = data.get("routes") if isinstance(data, dict) else None
    return datafiles.validate(Agencies, data, context={"routes": routes if isinstance(routes, dict) else {}},
                              where=_where)


def problems(data: dict) -> list[str]:
    """Everything wrong with an agencies document, as sentences; empty when it is good."""
    return _check(data)[1]


@lru_cache(maxsize=1)
def _load() -> dict:
    data = datafiles.read_toml(PATH, AgenciesFileError)
    model, errors = _check(data)
    if errors:
        raise AgenciesFileError(f"{PATH.name}: " + "; ".join(errors))
    return model.model_dump(exclude_unset=True)


def all_agencies() -> list[dict]:
    return _load()["agency"]


def for_nation(nation: str) -> list[dict]:
    """The agencies offered to a school in `nation` (J8): those for every nation, and its own."""
    return [a for a in all_agencies() if not a.get("nations") or nation in a["nations"]]


def offered(agency_id: str, nation: str) -> dict | None:
    """The agency if a school in `nation` is offered it, else None."""
    return next((a for a in for_nation(nation) if a["id"] == agency_id), None)


def get(agency_id: str) -> dict | None:
    return next((a for a in all_agencies() if a["id"] == agency_id), None)


def label(agency_id: str) -> str:
    agency = get(agency_id)
    return agency["label"] if agency else agency_id


def b2_ids() -> list[str]:
    return [a["id"] for a in all_agencies() if a.get("counts_for_b2")]


def routes() -> dict[str, str]:
    return _load()["routes"]

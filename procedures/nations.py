"""A nation's layer over the shipped procedures (rule J8): its guidance, its referral routes, its words. Pure data.

England's schools follow the definition files as they are (Keeping children safe in education). Wales, Scotland and
Northern Ireland each have a file here (procedures/nations/<nation>.toml) that adds to them what the nation's own
guidance says: a guidance entry, a link among the case's resources, a referral the nation's procedures expect
(Scotland: an image-sharing incident normally goes to an inter-agency referral discussion), or new words for an
element. Like a definition, a layer is versioned and every element names its source (J7); a case pins the layer's
version with its procedure (`procedures.versions`), so a nation's guidance changing never rewrites an open case.

The layer is applied after the shipped file and before the trust's and the school's own changes:
shipped → nation → trust → school. It can add and reword; it never takes away what the shipped file holds, and the
result must still pass `schema.validate`.

A layer file holds `nation`, `version`, `title`, and two kinds of table, each optional:

- `[every]`: what is added to every procedure (`guidance`, `advice`);
- `[referral_route]`: where the nation refers a child who may be at risk of significant harm (B2), as the engine's
  sentences name it (`to`, `consult`, `source`); without it, children's social care or the police;
- `[procedures.<id>]`: what is added to one (`guidance`, `advice`, `required_referrals`, `wording`). `wording`
  maps an element's id (as `overrides.wording_key` names it) to `{ text, source }`: the new words and, when they
  change what the element asks and not only the role's name, where they come from.
"""

import copy
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationInfo, field_validator, model_validator

from lib import datafiles
from lib.datafiles import Table, checked, is_int, nonempty_str, one_of, refuse
from procedures import overrides, schema

NATIONS_DIR = Path(__file__).resolve().parent / "nations"
NATIONS = ("england", "wales", "scotland", "northern_ireland")


class NationLayerError(ValueError):
    """A nation's layer file is unreadable or invalid."""


class NewWords(Table):
    """New words for an element. Left out, `source` stays the element's own: the step still comes from where it did,
    and only the role is named as the nation names it."""

    text: checked(str, nonempty_str, "{field} must be a non-empty string")
    source: schema.Source | None = None


class Additions(Table):
    """What a layer adds to a procedure. Every element names its source (J7)."""

    guidance: list[schema.Guidance] = []
    advice: list[schema.Link] = []

    @model_validator(mode="after")
    def _sourced(self):
        refuse([((section, n), "every element must name its source (document, edition, paragraph)")
                for section in ("guidance", "advice") for n, item in enumerate(getattr(self, section))
                if item.source is None])
        return self


class ProcedureAdditions(Additions):
    required_referrals: list[schema.RequiredReferral] = []
    wording: dict[str, NewWords] = {}

    @model_validator(mode="after")
    def _referrals_sourced(self):
        refuse([(("required_referrals", n), "every element must name its source (document, edition, paragraph)")
                for n, item in enumerate(self.required_referrals) if item.source is None])
        return self


class ReferralRoute(Table):
    """B2 in the nation's words: where a child who may be at risk of significant harm is referred (`to`, as it reads
    after "Refer to"), and whom the school consults first (`consult`), with where that comes from (J7)."""

    to: checked(str, nonempty_str, "{field} must be a non-empty string")
    consult: checked(str, nonempty_str, "{field} must be a non-empty string")
    source: schema.Source


class Layer(Table):
    nation: checked(str, one_of(NATIONS[1:]), "{field} must be one of " + ", ".join(NATIONS[1:]))
    version: checked(int, lambda v: is_int(v) and v >= 1, "{field} must be a whole number, 1 or more")
    title: checked(str, nonempty_str, "{field} must be a non-empty string")
    every: Additions = Field(default_factory=Additions)
    referral_route: ReferralRoute | None = None
    procedures: dict[str, ProcedureAdditions] = {}

    @field_validator("procedures", mode="before")
    @classmethod
    def _known_procedures(cls, procedures, info: ValidationInfo):
        known = (info.context or {}).get("known")
        if known is not None and isinstance(procedures, dict):
            refuse([((pid,), f"there is no procedure {pid!r}") for pid in procedures if pid not in known])
        return procedures


def _apply(definition: dict, layer: dict) -> dict:
    """`definition` with the layer's additions for it. Pure; `definition` is not touched."""
    result = copy.deepcopy(definition)
    if layer.get("referral_route"):  # B2's sentences name the nation's route (procedures/engine.py)
        result["referral_route"] = {k: layer["referral_route"][k] for k in ("to", "consult")}
    for part in (layer.get("every") or {}, (layer.get("procedures") or {}).get(definition["id"]) or {}):
        for section in ("guidance", "advice", "required_referrals"):
            result.setdefault(section, [])
            result[section] += copy.deepcopy(part.get(section) or [])
        for key, new in (part.get("wording") or {}).items():
            section, item, trouble = overrides._find_item(result, key)
            if trouble:
                raise NationLayerError(f"{layer['nation']}: {definition['id']}: {trouble}")
            item[overrides.WORDING_SECTIONS[section]] = new["text"]
            if new.get("source"):
                item["source"] = dict(new["source"])
    return result


def _check(data, known=None):
    return datafiles.validate(Layer, data, context={"known": known})


def problems(data, definitions: dict) -> list[str]:
    """Everything wrong with a layer document over `definitions` (shipped, by id); empty when it is good."""
    model, errors = _check(data, set(definitions))
    if errors:
        return errors
    layer = model.model_dump()
    for pid, definition in definitions.items():
        try:
            merged = _apply(definition, layer)
        except NationLayerError as exc:
            errors.append(str(exc))
            continue
        errors += [f"{pid} with the {layer['nation']} layer would be invalid: {e}" for e in schema.validate(merged)]
    return errors


@lru_cache(maxsize=8)
def _load(nation: str, stamp) -> dict | None:
    path = NATIONS_DIR / f"{nation}.toml"
    if stamp is None:
        return None
    data = datafiles.read_toml(path, NationLayerError)
    errors = problems(data, schema.load_all())
    if not errors and data.get("nation") != nation:
        errors.append(f"nation {data.get('nation')!r} does not match the file name")
    if errors:
        raise NationLayerError(f"{path.name}: " + "; ".join(errors))
    return _check(data)[0].model_dump()


def layer(nation: str) -> dict | None:
    """The layer for `nation` (checked), or None: England, or a nation without a file, follows the shipped files.
    Read again when the file changes."""
    if nation not in NATIONS[1:]:
        return None
    path = NATIONS_DIR / f"{nation}.toml"
    return _load(nation, path.stat().st_mtime_ns if path.is_file() else None)


def apply(definition: dict, nation: str) -> tuple[dict, dict | None]:
    """(`definition` with `nation`'s layer applied, the layer or None)."""
    found = layer(nation)
    if found is None:
        return definition, None
    return _apply(definition, found), found


def load_all() -> dict[str, dict]:
    """Every nation's layer that has a file, checked (start-up and the tests call this)."""
    return {n: found for n in NATIONS[1:] if (found := layer(n)) is not None}

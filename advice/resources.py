"""The national resources directory (rule I7): advice/resources.toml, read once."""

from advice import schema

STEPS = schema.STEPS


def serves(resource: dict, nation: str | None) -> bool:
    """J8: whether `resource` serves schools in `nation` (a UK-wide one serves every nation; None: any nation)."""
    return nation is None or not resource.get("nations") or nation in resource["nations"]


def all_resources(nation: str | None = None) -> list[dict]:
    """Every resource, in the order of the file; with `nation`, only those that serve schools there (J8)."""
    return [dict(r) for r in schema.load_resources() if serves(r, nation)]


def resources_for(step: str, nation: str | None = None) -> list[dict]:
    """The resources useful at `step` (a key of STEPS, such as "removal"), in file order.

    Each is a dict with id, name, what_for, url, phone, how_to_reach, rules, steps and nations
    (url, phone and how_to_reach may be ""); with `nation`, only those serving schools there (J8).
    Raise KeyError for an unknown step, so a typo in a caller fails loudly rather than showing no help.
    """
    if step not in STEPS:
        raise KeyError(f"unknown step {step!r} (known: {', '.join(STEPS)})")
    return [r for r in all_resources(nation) if step in r["steps"]]


def by_id(resource_ids, language: str = "en-gb") -> list[dict]:
    """The resources named by `resource_ids`, in that order, in `language` where they can be (see in_language)."""
    known = {r["id"]: r for r in all_resources()}
    return [in_language(known[i], language) for i in resource_ids if i in known]


def in_language(resource: dict, language: str) -> dict:
    """J8: `resource` to show in `language` ("cy" or "en-gb"), with `language` set to the one its words are in: its
    Welsh entry where it has one (each field the Welsh leaves out keeps the English, a proper name for instance),
    else its English, never blank."""
    resource = dict(resource, language="en-gb")
    welsh = resource.get("cy")
    if language == "cy" and welsh:
        resource.update({field: welsh[field] for field in ("name", "what_for", "phone", "how_to_reach")
                         if welsh.get(field)}, language="cy")
    return resource

"""Effective procedure for a school (temporary: shipped only; overrides land on the overrides branch)."""

from procedures import schema


def effective_for(school, procedure_id):
    definition = schema.get(procedure_id)
    definition["pinned"] = {"procedure_id": procedure_id, "shipped_version": definition["version"],
                            "trust_version": None, "school_version": None,
                            "label": f"{definition['title']} v{definition['version']}"}
    return definition

"""Which column of a MIS export means what, and what kind of file it is. The names are data
(imports/vocabulary.toml); headers are matched without regard to case, spaces or punctuation, so "Legal Surname",
"legal_surname" and "LEGAL SURNAME" are the same column.

The mapping is documented, with examples, in docs/imports.md.
"""

from imports import vocabulary
from imports.vocabulary import REQUIRED, normalise

__all__ = ["detect", "label", "match", "normalise", "unused"]

# A file of network logins (or school email addresses) and UPNs only, for a school whose MIS lacks them.
LOGIN_COLUMNS = {"upn": ["UPN", "Pupil UPN", "Student UPN", "Unique Pupil Number"],
                 "network_login": ["Network Login", "Login", "Username", "User Name", "Network Username",
                                   "Computer Username", "AD Username", "User"]}


def names(kind):
    return LOGIN_COLUMNS if kind == "logins" else vocabulary.columns(kind)


def label(kind, field):
    """The name Harbour's messages give a field: the first column name listed for it."""
    return names(kind)[field][0]


def match(headers, columns):
    """{field: index of its column} for the columns of `columns` found among `headers` (the first listed wins)."""
    index = {normalise(h): i for i, h in reversed(list(enumerate(headers)))}
    found = {}
    for field, column_names in columns.items():
        for name in column_names:
            if normalise(name) in index:
                found[field] = index[normalise(name)]
                break
    return found


def unused(headers, found):
    """The headers of columns Harbour did not read, as the file writes them."""
    used = set(found.values())
    return [h.strip() for i, h in enumerate(headers) if i not in used and h.strip()]


def detect(headers):
    """Return (kind, {field: column index}) or raise ValueError saying what is missing."""
    normalised = [normalise(h) for h in headers if normalise(h)]
    contact_cols, pupil_cols, staff_cols, login_cols = (
        match(headers, names(kind)) for kind in ("contacts", "pupils", "staff", "logins"))
    if {"first_name", "last_name"} & set(contact_cols) and "upn" in contact_cols:
        kind, found = "contacts", contact_cols
    elif "upn" in pupil_cols and len(normalised) == 2 and set(login_cols) == {"upn", "network_login"}:
        return "logins", login_cols
    elif "upn" in pupil_cols:
        kind, found = "pupils", pupil_cols
    elif "email" in staff_cols and {"roles", "job_title", "legal_first_name", "preferred_first_name"} & set(staff_cols):
        kind, found = "staff", staff_cols
    else:
        raise ValueError("Harbour could not tell what this file holds. A pupil file needs a UPN column; a "
                         "contacts file a UPN and Contact Forename and Contact Surname; a staff file an Email and "
                         "a Forename or Job Title column. Columns found: "
                         + (", ".join(h.strip() for h in headers if h.strip()) or "none") + ".")
    if kind == "staff":
        # Legal Forename when Preferred Forename is blank: either column gives a forename.
        for name in ("first_name", "last_name"):
            if f"legal_{name}" not in found and f"preferred_{name}" in found:
                found[f"legal_{name}"] = found[f"preferred_{name}"]
    missing = [label(kind, f) for f in REQUIRED[kind] if f not in found]
    if missing:
        raise ValueError(f"This looks like a {kind} file, but it has no column for: " + ", ".join(missing) + ".")
    return kind, found

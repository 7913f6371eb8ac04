"""Which column of a MIS export means what. Headers are matched without regard to case, spaces or
punctuation, so "Legal Surname", "legal_surname" and "LEGAL SURNAME" are the same column.

The mapping is documented, with examples, in docs/imports.md.
"""

import re

PUPIL_COLUMNS = {
    "upn": ["upn", "unique pupil number"],
    "legal_last_name": ["legal surname", "surname", "legal last name", "last name", "family name"],
    "legal_first_name": ["legal forename", "forename", "legal first name", "first name", "given name"],
    "preferred_first_name": ["preferred forename", "preferred first name", "known as", "chosen forename"],
    "preferred_last_name": ["preferred surname", "preferred last name", "chosen surname"],
    "date_of_birth": ["dob", "date of birth", "birth date"],
    "sex": ["gender", "sex", "legal sex"],
    "year_group": ["year", "year group", "ncy", "nc year", "national curriculum year", "curriculum year"],
    "sen_status": ["sen status", "sen", "sen provision", "send status"],
    "is_looked_after": ["in care", "looked after", "cla", "lac", "child looked after", "looked after child"],
    "is_child_in_need": ["child in need", "cin"],
    "has_child_protection_plan": ["child protection plan", "cp plan", "cpp", "on cp plan"],
}
PUPIL_REQUIRED = ["upn", "legal_last_name", "legal_first_name", "date_of_birth", "sex", "year_group"]

CONTACT_COLUMNS = {
    "upn": ["upn", "pupil upn", "unique pupil number"],
    "first_name": ["contact forename", "contact first name", "contact legal forename"],
    "last_name": ["contact surname", "contact last name", "contact legal surname"],
    "title": ["contact title", "title"],
    "relationship": ["relationship", "relationship to pupil", "contact relationship", "relation"],
    "has_parental_responsibility": ["parental responsibility", "pr", "has parental responsibility"],
    "lives_with_pupil": ["lives with pupil", "lives with", "resides with pupil", "resides with"],
    "contact_priority": ["priority", "contact priority", "priority order", "contact order"],
    "email": ["contact email", "email", "email address", "contact email address"],
    "phone": ["contact telephone", "contact phone", "telephone", "phone", "mobile", "contact mobile"],
}
CONTACT_REQUIRED = ["upn", "first_name", "last_name", "relationship"]

STAFF_COLUMNS = {
    "email": ["email", "work email", "email address", "school email"],
    "first_name": ["forename", "first name", "preferred forename", "legal forename"],
    "last_name": ["surname", "last name", "preferred surname", "legal surname"],
    "roles": ["harbour role", "harbour roles", "role", "roles", "staff role", "safeguarding role"],
    "job_title": ["job title", "post", "position"],
}
STAFF_REQUIRED = ["email", "first_name", "last_name", "roles"]

# Role names as schools write them → Harbour's roles (accounts.capabilities.Role).
ROLE_WORDS = {
    "staff": "staff", "member of staff": "staff", "teacher": "staff", "teaching assistant": "staff",
    "support staff": "staff", "volunteer": "staff", "contractor": "staff", "office": "staff",
    "dsl": "dsl", "designated safeguarding lead": "dsl",
    "deputy dsl": "deputy_dsl", "deputy designated safeguarding lead": "deputy_dsl", "ddsl": "deputy_dsl",
    "headteacher": "headteacher", "head teacher": "headteacher", "principal": "headteacher",
    "executive headteacher": "headteacher",
    "senco": "senco", "sendco": "senco",
    "online safety coordinator": "online_safety_coordinator", "e safety coordinator": "online_safety_coordinator",
    "technical": "technical", "technical staff": "technical", "technician": "technical", "it technician": "technical",
    "network manager": "technical", "it": "technical",
    "governor": "governor", "chair of governors": "chair_of_governors", "chair": "chair_of_governors",
}


def normalise(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (header or "").lower()).split())


def match(headers, columns):
    """{field: index of its column} for the columns of `columns` found among `headers`."""
    index = {normalise(h): i for i, h in reversed(list(enumerate(headers)))}
    found = {}
    for field, names in columns.items():
        for name in names:
            if name in index:
                found[field] = index[name]
                break
    return found


def detect(headers):
    """Return (kind, {field: column index}) or raise ValueError saying what is missing."""
    normalised = {normalise(h) for h in headers}
    contact_cols, pupil_cols, staff_cols = (match(headers, c) for c in (CONTACT_COLUMNS, PUPIL_COLUMNS,
                                                                         STAFF_COLUMNS))
    if {"first_name", "last_name"} & set(contact_cols) and "upn" in contact_cols:
        kind, found, required = "contacts", contact_cols, CONTACT_REQUIRED
    elif "upn" in pupil_cols:
        kind, found, required = "pupils", pupil_cols, PUPIL_REQUIRED
    elif "email" in staff_cols and "roles" in staff_cols:
        kind, found, required = "staff", staff_cols, STAFF_REQUIRED
    else:
        raise ValueError("Harbour could not tell what this file holds. A pupil file needs a UPN column; a "
                         "contacts file a UPN and Contact Forename and Contact Surname; a staff file an Email and "
                         "a Role column. Columns found: " + (", ".join(sorted(normalised)) or "none") + ".")
    labels = {"pupils": PUPIL_COLUMNS, "contacts": CONTACT_COLUMNS, "staff": STAFF_COLUMNS}[kind]
    missing = [labels[f][0] for f in required if f not in found]
    if missing:
        raise ValueError(f"This looks like a {kind} file, but it has no column for: "
                         + ", ".join(m.title() for m in missing) + ".")
    return kind, found

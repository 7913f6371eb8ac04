"""Turning a MIS export's cells into Harbour's values. Each cleaner returns the value or raises
ValueError with a sentence that says what is wrong with the cell and what Harbour reads. The words each value
may be written in are data (imports/vocabulary.toml)."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from imports.vocabulary import normalise, words

UPN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


class Advised(ValueError):
    """A cell that cannot be imported, whose message already says what happens next."""


def shown(value, limit=80):
    """A cell as a message quotes it: whole unless very long."""
    value = " ".join((value or "").split())
    return repr(value if len(value) <= limit else value[:limit] + "…")


def text(value, label, max_length, required=False):
    value = " ".join((value or "").split())
    if required and not value:
        raise ValueError(f"{label} is blank")
    if len(value) > max_length:
        raise ValueError(f"{label} is longer than {max_length} characters")
    return value


def upn(value):
    value = (value or "").strip().upper()
    if not value:
        raise Advised("UPN is blank. Harbour knows each pupil by their UPN, so this row was left out; it will be "
                         "added by the first import after the UPN is filled in (a child new to the school may not "
                         "have one yet)")
    if not UPN.match(value):
        raise Advised(f"UPN {shown(value)} is not a UPN (13 characters: a letter, 11 digits, then a digit or "
                         "letter). Check the column holds the pupil's UPN; this row was left out and the rest imported")
    return value


def date_of_birth(value, today):
    value = (value or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            born = datetime.strptime(value, fmt).date()
            break
        except ValueError:
            continue
    else:
        raise ValueError(f"date of birth {shown(value)} is not a date (Harbour reads 31/12/2012 or 2012-12-31)")
    if not date(1990, 1, 1) <= born < today:
        raise ValueError(f"date of birth {value} is not a pupil's date of birth")
    return born


def sex(value):
    found = words()["sex"].get(normalise(value))
    if found is None:
        raise ValueError(f"gender {shown(value)} is not M or F (Harbour keeps the sex recorded in the MIS)")
    return found


def year_group(value):
    word = normalise(value).replace(" ", "")
    word = re.sub(r"^(?:year|yr|y|ncy|nc)", "", word) or word
    if word in ("r", "reception", "rec"):
        return 0
    if word in ("n", "n1", "n2", "nursery", "nur"):
        return -1
    if word.isdigit() and 1 <= int(word) <= 14:
        return int(word)
    raise ValueError(f"year {shown(value)} is not a year group (N, R or 1 to 14)")


def sen_status(value):
    """N, K or E from the DfE code, the products' words or their code-dash-word forms ("K - SEN Support")."""
    table = words()["sen"]
    word = normalise(value)
    if not word:
        return "N"
    found = table.get(word)
    if found is None:
        code, _, rest = (value or "").strip().partition("-")
        by_code, by_words = table.get(normalise(code)), table.get(normalise(rest))
        if len(normalise(code)) == 1 and by_code and by_words in (None, by_code):
            found = by_code
    if found is None:
        raise ValueError(f"SEN status {shown(value)} is not one Harbour reads (N, K or E; No Special Educational "
                         "Need, SEN Support, or Education, Health and Care Plan)")
    return found


def flag(value, label):
    word = normalise(value)
    table = words()
    if word in table["yes"]:
        return True
    if word in table["no"]:
        return False
    raise ValueError(f"{label} {shown(value)} is not yes or no (Harbour reads Yes/No, Y/N, True/False, T/F, 1/0, "
                     "or a blank for no)")


def priority(value):
    word = (value or "").strip()
    if not word:
        return 1
    if word.isdigit() and 1 <= int(word) <= 99:
        return int(word)
    raise ValueError(f"priority {shown(word)} is not a number from 1 to 99")


def email(value, label="email", required=False):
    value = (value or "").strip().lower()
    if not value:
        if required:
            raise ValueError(f"{label} is blank")
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(f"{label} {shown(value)} is not an email address") from None
    if len(value) > 254:
        raise ValueError(f"{label} is longer than 254 characters")
    return value


def login(value):
    """A network login as monitoring services send it: kept as written, compared without regard to case."""
    value = " ".join((value or "").split())
    if len(value) > 200:
        raise ValueError("network login is longer than 200 characters")
    return value


def roles(value, extra_titles=None):
    """(Harbour roles, words not known) for a cell of role words or job titles, several separated by ; , / or |.

    A word Harbour does not know is not an error: the person is still imported as a member of staff."""
    known = {**words()["job_titles"], **(extra_titles or {})}
    found, unknown = [], []
    for word in (normalise(w) for w in re.split(r"[;,/|]", value or "")):
        if not word:
            continue
        role = known.get(word)
        if role is None:
            unknown.append(word)
        elif role not in found:
            found.append(role)
    return found, unknown

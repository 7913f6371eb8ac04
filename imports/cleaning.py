"""Turning a MIS export's cells into Harbour's values. Each cleaner returns the value or raises
ValueError with a sentence that says what is wrong with the cell."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from imports.columns import ROLE_WORDS, normalise

UPN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
_TRUE = {"y", "yes", "true", "1", "x"}
_FALSE = {"", "n", "no", "false", "0"}


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
        raise ValueError("UPN is blank")
    if not UPN.match(value):
        raise ValueError(f"UPN {value[:20]!r} is not a UPN (13 characters: a letter, 11 digits, a digit or letter)")
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
        raise ValueError(f"date of birth {value[:20]!r} is not a date (write it as 31/12/2012)")
    if not date(1990, 1, 1) <= born < today:
        raise ValueError(f"date of birth {value} is not a pupil's date of birth")
    return born


def sex(value):
    found = {"m": "M", "male": "M", "boy": "M", "f": "F", "female": "F", "girl": "F"}.get(normalise(value))
    if found is None:
        raise ValueError(f"gender {value[:20]!r} is not M or F (Harbour keeps the sex recorded in the MIS)")
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
    raise ValueError(f"year {value[:20]!r} is not a year group (N, R or 1 to 14)")


def sen_status(value):
    word = normalise(value)
    if word in ("", "n", "no", "none", "no sen"):
        return "N"
    if word in ("k", "sen support", "support", "school support"):
        return "K"
    if word in ("e", "ehc", "ehcp", "ehc plan", "education health and care plan", "s", "statement"):
        return "E"
    raise ValueError(f"SEN status {value[:20]!r} is not N, K or E")


def flag(value, label):
    word = normalise(value)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{label} {value[:20]!r} is not Yes or No")


def priority(value):
    word = (value or "").strip()
    if not word:
        return 1
    if word.isdigit() and 1 <= int(word) <= 99:
        return int(word)
    raise ValueError(f"priority {word[:20]!r} is not a number from 1 to 99")


def email(value, label="email", required=False):
    value = (value or "").strip().lower()
    if not value:
        if required:
            raise ValueError(f"{label} is blank")
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(f"{label} {value[:60]!r} is not an email address") from None
    if len(value) > 254:
        raise ValueError(f"{label} is longer than 254 characters")
    return value


def roles(value):
    words = [normalise(w) for w in re.split(r"[;,/|]", value or "") if normalise(w)]
    if not words:
        raise ValueError("role is blank")
    found = []
    for word in words:
        role = ROLE_WORDS.get(word)
        if role is None:
            raise ValueError(f"role {word!r} is not one Harbour knows (for example: Staff, DSL, Deputy DSL, "
                             "Headteacher, SENCO, Technical, Governor, Chair of Governors)")
        if role not in found:
            found.append(role)
    return found

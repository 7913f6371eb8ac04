"""Import pupils, parents and carers, or staff from a MIS export (CSV).

`import_people` reads the whole file first and checks every row without touching the
database, then writes everything in one transaction: bulk queries, not one per row, and
one audit event per person actually changed (H2). A bad row is reported with its line
number and skipped; no row is ever half-written. Importing the same file twice changes
nothing the second time and writes no audit events.
"""

import csv
import io
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from audit.log import Action, record
from imports import cleaning
from imports.columns import detect, label, unused
from imports.models import JobTitle
from lib.sniff import UNKNOWN, classify
from lib.uploads import MAX_STATEMENT_BYTES, explanation
from schools.models import Carer, Pupil, PupilCarer

MAX_ROWS = 20000
BATCH = 500
LEFT_OUT = "This row was left out and the rest imported; importing the file again adds it once the cell is right."


class ImportRefused(ValueError):
    """The whole file is refused (not text, not CSV, no known columns); nothing was imported."""


class Problem(NamedTuple):
    """A row left out (an error) or a note about what was imported (a warning). `line` is None for the file."""

    line: int | None
    column: str
    value: str
    message: str


@dataclass
class Result:
    kind: str
    rows: int = 0
    counts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # [Problem]: rows left out
    warnings: list = field(default_factory=list)  # [Problem]: imported, but worth knowing
    encoding: str = "UTF-8"

    def count(self, what, n=1):
        self.counts[what] = self.counts.get(what, 0) + n

    @property
    def changed(self):
        return any(v for k, v in self.counts.items() if k != "unchanged")

    def summary(self):
        parts = [f"{n} {what}" for what, n in self.counts.items() if n]

        def rows(n):
            return f"{n} row" if n == 1 else f"{n} rows"

        not_imported = f"; {rows(len(self.errors))} not imported" if self.errors else ""
        return (f"{rows(self.rows)} read ({self.kind}): " + (", ".join(parts) or "nothing to do") + not_imported
                + f". Read as {self.encoding}.")


# Excel's "CSV (Comma delimited)" is Windows-1252; "Unicode Text" and some MIS reports are UTF-16.
ENCODINGS = {"utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252"}


def decode(data: bytes) -> tuple[str, str]:
    """(text, the encoding's name) for a CSV file in UTF-8 (with or without a BOM), UTF-16 or Windows-1252.

    Why this order: UTF-16 is told by its BOM or by the zero bytes every ASCII letter carries; UTF-8 is strict,
    so a Windows-1252 file (é as one byte) is never misread as UTF-8; Windows-1252 is the last resort."""
    head = data[:4096]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    if len(head) >= 4 and head.count(b"\x00") * 3 > len(head):
        return data.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


def read_csv(data: bytes):
    """Check by content that `data` is text (A3: never an image, whatever its name), then split it into
    (headers, [(line number, cells)], encoding). Raise ImportRefused for a file that cannot be imported."""
    if len(data) > MAX_STATEMENT_BYTES:
        raise ImportRefused("This file is larger than 10 MB. Split it into smaller files.")
    verdict = classify(data)
    encoding = "utf-8"
    if not verdict.allowed and verdict.category == UNKNOWN and verdict.kind not in ("empty", "too-much-encoded-text"):
        # Not UTF-8: read it as UTF-16 or Windows-1252, then judge the words again, so a picture is still a picture.
        try:
            text, encoding = decode(data)
        except UnicodeDecodeError:
            raise ImportRefused("Harbour could not read this file as text. Save it from your MIS or spreadsheet as "
                                "CSV (CSV UTF-8 if it offers it) and import it again.") from None
        if any(ch in text for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13"
                                    "\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"):
            raise ImportRefused("Harbour could not read this file as a list: it is not a CSV file. Export the list "
                                "from your MIS as CSV and import it again.")
        verdict = classify(text.encode("utf-8"))
    if not verdict.allowed:
        if verdict.kind == "empty":
            raise ImportRefused("The file is empty: the first line should name the columns.")
        if verdict.category == UNKNOWN:
            raise ImportRefused("Harbour could not read this file as a list: it is not a CSV file. Export the list "
                                "from your MIS as CSV and import it again.")
        raise ImportRefused(explanation(verdict).replace("Everything else you typed has been kept.", "").strip())
    if verdict.kind != "text":
        raise ImportRefused("This is a PDF or Word document, not a CSV file. Export the list from your MIS as "
                            "CSV (comma-separated values).")
    text = data.decode("utf-8-sig") if encoding == "utf-8" else text
    text = text.removeprefix("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = next(reader, None)
        if not headers or not any(h.strip() for h in headers):
            raise ImportRefused("The file is empty: the first line should name the columns.")
        rows, start = [], reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS:
                raise ImportRefused(f"This file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
    except csv.Error as exc:
        raise ImportRefused(f"Line {reader.line_num} is not valid CSV ({exc}). Export the file again as CSV.") \
            from None
    return headers, rows, ENCODINGS[encoding]


def import_people(*, school, data: bytes, actor=None, full=False, progress=None):
    """Import one CSV file for `school`. Return a Result. Raise ImportRefused if the file is refused whole.

    `full`: the file lists every pupil on roll, so pupils missing from it are marked as left today
    (never deleted). `actor`: the person importing (None from the command line).
    """
    headers, rows, encoding = read_csv(data)
    try:
        kind, columns = detect(headers)
    except ValueError as exc:
        raise ImportRefused(str(exc)) from None
    if full and kind != "pupils":
        raise ImportRefused("Only a pupil file can be a full list of pupils on roll.")
    if not rows:
        raise ImportRefused("The file has no rows under its column names.")
    result = Result(kind=kind, rows=len(rows), encoding=encoding)
    left = unused(headers, columns)
    if left:
        result.warnings.append(Problem(None, ", ".join(left), "", "Harbour does not use these columns, so nothing "
                                                                  "in them was imported."))
    importer = {"pupils": _PupilImport, "contacts": _ContactImport, "staff": _StaffImport,
                "logins": _LoginImport}[kind]
    importer(school=school, actor=actor, columns=columns, result=result, progress=progress or (lambda *a: None),
             full=full, headers=headers).run(rows)
    result.errors.sort(key=lambda p: p.line)
    result.warnings.sort(key=lambda p: p.line or 0)
    if result.changed:
        record(actor=actor, action=Action.CREATE, object_type="people_import", school=school,
               detail={"kind": kind, "rows": result.rows, "not_imported": len(result.errors), **result.counts,
                       "via": "upload" if actor else "command", "encoding": encoding})
    return result


class RowProblem(ValueError):
    """A cell that cannot be imported: which field, and why (the message)."""

    def __init__(self, field, message, advised=False):
        super().__init__(message)
        self.field, self.advised = field, advised


class _Import:
    kind = ""

    def __init__(self, *, school, actor, columns, result, progress, full, headers):
        self.school, self.actor, self.columns, self.result = school, actor, columns, result
        self.progress, self.full, self.headers = progress, full, headers
        self.today = timezone.localdate()

    def cell(self, cells, name):
        i = self.columns.get(name)
        return cells[i].replace("\x00", "") if i is not None and i < len(cells) else ""

    def has(self, name):
        return name in self.columns

    def column(self, name):
        """The column's header as the file writes it, or Harbour's name for a field the file lacks."""
        i = self.columns.get(name)
        return self.headers[i].strip() if i is not None else label(self.kind, name)

    def get(self, cells, name, clean, *args):
        """`clean(cell, *args)`, a refusal naming the field."""
        try:
            return clean(self.cell(cells, name), *args)
        except ValueError as exc:
            raise RowProblem(name, str(exc), isinstance(exc, cleaning.Advised)) from None

    def problem(self, line, cells, name, message, todo=LEFT_OUT):
        message = message[:1].upper() + message[1:]
        text = message if not todo else f"{message.rstrip('.')}. {todo}"
        return Problem(line, self.column(name) if name else "", self.cell(cells, name).strip() if name else "", text)

    def clean_all(self, rows):
        good = []
        for n, (line, cells) in enumerate(rows, 1):
            try:
                good.append((line, self.clean(cells)))
            except RowProblem as exc:
                todo = "" if exc.advised else LEFT_OUT
                self.result.errors.append(self.problem(line, cells, exc.field, str(exc), todo))
            if n % 250 == 0 or n == len(rows):
                self.progress("checked", n, len(rows))
        return good

    def audit(self, action, object_type, object_id, fields, **detail):
        record(actor=self.actor, action=action, object_type=object_type, object_id=object_id, school=self.school,
               changed_fields=fields, detail={"via": "mis_import", **detail})


class _PupilImport(_Import):
    kind = "pupils"
    FLAGS = (("is_looked_after", "looked after"), ("was_looked_after", "previously looked after"),
             ("is_child_in_need", "child in need"), ("has_child_protection_plan", "child protection plan"),
             ("is_young_carer", "young carer"))
    FIELDS = ["legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name",
              "date_of_birth", "sex", "year_group", "sen_status", *(name for name, _ in FLAGS), "network_login",
              "school_email"]

    def clean(self, cells):
        c, get = cleaning, lambda name, clean, *args: self.get(cells, name, clean, *args)
        row = {"upn": get("upn", c.upn)}
        row["legal_first_name"] = get("legal_first_name", c.text, "legal forename", 100, True)
        row["legal_last_name"] = get("legal_last_name", c.text, "legal surname", 100, True)
        for name, text in (("preferred_first_name", "preferred forename"),
                           ("preferred_last_name", "preferred surname")):
            if self.has(name):
                row[name] = get(name, c.text, text, 100)
        row["date_of_birth"] = get("date_of_birth", c.date_of_birth, self.today)
        row["sex"] = get("sex", c.sex)
        row["year_group"] = get("year_group", c.year_group)
        if self.has("sen_status"):
            row["sen_status"] = get("sen_status", c.sen_status)
        for name, text in self.FLAGS:
            if self.has(name):
                row[name] = get(name, c.flag, self.column(name))
        if self.has("network_login"):
            row["network_login"] = get("network_login", c.login)
        if self.has("school_email"):
            row["school_email"] = get("school_email", c.email, "school email")
        return row

    def run(self, rows):
        # Every UPN in the file, even on a bad row, so a typo elsewhere never marks a child as left.
        named = {(self.cell(cells, "upn") or "").strip().upper() for _, cells in rows}
        good, first_line = [], {}
        for line, row in self.clean_all(rows):
            if row["upn"] in first_line:
                self.result.errors.append(Problem(
                    line, self.column("upn"), row["upn"], f"UPN {row['upn']} is on line {first_line[row['upn']]} "
                    "already. This row was left out and that line imported: if they are two different children, "
                    "one of the UPNs is wrong"))
                continue
            first_line[row["upn"]] = line
            good.append((line, row))
        existing = {p.upn: p for p in Pupil.objects.filter(school=self.school)}  # one query
        new, changed = [], []
        for line, row in good:
            pupil = existing.get(row["upn"])
            if pupil is None:
                new.append((line, Pupil(school=self.school, **row)))
                continue
            fields = [f for f in self.FIELDS if f in row and getattr(pupil, f) != row[f]]
            for f in fields:
                setattr(pupil, f, row[f])
            if pupil.left_on is not None:  # back on roll
                pupil.left_on = None
                fields.append("left_on")
            if fields:
                changed.append((line, pupil, fields))
            else:
                self.result.count("unchanged")
        leavers = []
        if self.full:
            leavers = [p for upn, p in existing.items() if p.left_on is None and upn not in named]
            for p in leavers:
                p.left_on = self.today
        self.progress("saving", 0, 1)
        with transaction.atomic():
            created = Pupil.objects.bulk_create([p for _, p in new], batch_size=BATCH)
            update_fields = sorted({f for _, _, fields in changed for f in fields})
            if update_fields:
                Pupil.objects.bulk_update([p for _, p, _ in changed], update_fields, batch_size=BATCH)
            if leavers:
                Pupil.objects.bulk_update(leavers, ["left_on"], batch_size=BATCH)
            for (line, _), pupil in zip(new, created):
                self.audit(Action.CREATE, "pupil", pupil.id, ["upn", *self.FIELDS], line=line)
            for line, pupil, fields in changed:
                self.audit(Action.UPDATE, "pupil", pupil.id, fields, line=line)
            for pupil in leavers:
                self.audit(Action.UPDATE, "pupil", pupil.id, ["left_on"], reason="not_in_full_pupil_file")
        self.result.count("added", len(new))
        self.result.count("updated", len(changed))
        self.result.count("marked as left", len(leavers))
        self.progress("saved", 1, 1)


class _ContactImport(_Import):
    kind = "contacts"

    def clean(self, cells):
        c, get = cleaning, lambda name, clean, *args: self.get(cells, name, clean, *args)
        row = {
            "upn": get("upn", c.upn),
            "first_name": get("first_name", c.text, "contact forename", 100, True),
            "last_name": get("last_name", c.text, "contact surname", 100, True),
            "title": get("title", c.text, "title", 20),
            "email": get("email", c.email, "contact email"),
            "phone": get("phone", c.text, "telephone", 30),
            "relationship": get("relationship", c.text, "relationship", 40, True),
            "contact_priority": get("contact_priority", c.priority),
        }
        for name in ("has_parental_responsibility", "lives_with_pupil"):
            row[name] = get(name, c.flag, self.column(name)) if self.has(name) else True
        return row

    @staticmethod
    def key(first, last, email, phone):
        """A carer has no stable id in Harbour: the same name with the same email (or phone) is one person."""
        return (first.lower(), last.lower(), email.lower() or "".join(ch for ch in phone if ch.isdigit()))

    def run(self, rows):
        good = self.clean_all(rows)
        pupils = {p.upn: p for p in Pupil.objects.filter(school=self.school).only("id", "upn")}
        carers = {self.key(c.first_name, c.last_name, c.email, c.phone): c
                  for c in Carer.objects.filter(school=self.school)}
        links = {(link.pupil_id, link.carer_id): link for link in PupilCarer.objects.filter(pupil__school=self.school)}
        new_carers, changed_carers, wanted_links, seen, decided = {}, {}, {}, set(), set()
        for line, row in good:
            pupil = pupils.get(row["upn"])
            if pupil is None:
                self.result.errors.append(Problem(
                    line, self.column("upn"), row["upn"], f"No pupil at {self.school.name} has the UPN {row['upn']}. "
                    "Import the pupil file first, then this file again: this contact is then linked"))
                continue
            k = self.key(row["first_name"], row["last_name"], row["email"], row["phone"])
            if (pupil.id, k) in seen:
                self.result.errors.append(Problem(
                    line, self.column("first_name"), f"{row['first_name']} {row['last_name']}",
                    "This contact is listed for this pupil already. This row was left out; the first one was "
                    "imported"))
                continue
            seen.add((pupil.id, k))
            carer = carers.get(k) or new_carers.get(k)
            details = {f: row[f] for f in ("title", "email", "phone")}
            if carer is None:
                carer = new_carers[k] = Carer(school=self.school, first_name=row["first_name"],
                                              last_name=row["last_name"], **details)
            elif carer.pk and k not in decided:  # the first row naming a carer gives their details
                fields = [f for f, v in details.items() if v and getattr(carer, f) != v]
                for f in fields:
                    setattr(carer, f, details[f])
                if fields:
                    changed_carers.setdefault(carer.pk, (carer, set()))[1].update(fields)
            decided.add(k)
            wanted_links[(pupil, k)] = (line, {f: row[f] for f in ("relationship", "has_parental_responsibility",
                                                                    "lives_with_pupil", "contact_priority")})
        self.progress("saving", 0, 1)
        with transaction.atomic():
            Carer.objects.bulk_create(list(new_carers.values()), batch_size=BATCH)
            for carer, fields in changed_carers.values():
                carer.save(update_fields=sorted(fields))
                self.audit(Action.UPDATE, "carer", carer.id, fields)
            for carer in new_carers.values():
                self.audit(Action.CREATE, "carer", carer.id, ["first_name", "last_name", "title", "email", "phone"])
            new_links, changed_links = [], []
            for (pupil, k), (line, values) in wanted_links.items():
                carer = carers.get(k) or new_carers[k]
                link = links.get((pupil.id, carer.id))
                if link is None:
                    new_links.append((line, PupilCarer(pupil=pupil, carer=carer, **values)))
                    continue
                fields = [f for f, v in values.items() if getattr(link, f) != v]
                for f in fields:
                    setattr(link, f, values[f])
                if fields:
                    changed_links.append((line, link, fields))
                else:
                    self.result.count("unchanged")
            created = PupilCarer.objects.bulk_create([link for _, link in new_links], batch_size=BATCH)
            if changed_links:
                PupilCarer.objects.bulk_update([link for _, link, _ in changed_links],
                                               sorted({f for _, _, fs in changed_links for f in fs}),
                                               batch_size=BATCH)
            for (line, _), link in zip(new_links, created):
                self.audit(Action.CREATE, "pupil_carer", link.id, ["pupil", "carer", "relationship"],
                           line=line, pupil=link.pupil_id)
            for line, link, fields in changed_links:
                self.audit(Action.UPDATE, "pupil_carer", link.id, fields, line=line, pupil=link.pupil_id)
        self.result.count("carers added", len(new_carers))
        self.result.count("carers updated", len(changed_carers))
        self.result.count("links added", len(new_links))
        self.result.count("links updated", len(changed_links))
        self.progress("saved", 1, 1)


class _StaffImport(_Import):
    kind = "staff"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The trust's own job titles win over Harbour's list (imports/vocabulary.toml).
        self.titles = dict(JobTitle.objects.filter(trust=self.school.trust_id).values_list("normalised", "role"))

    def clean(self, cells):
        c, get = cleaning, lambda name, clean, *args: self.get(cells, name, clean, *args)
        email = get("email", c.email, "email", True)
        if self.actor is not None and email == self.actor.email.lower():
            raise RowProblem("email", "you cannot give yourself a role by importing a file. Ask another "
                                      "administrator to import this row", advised=True)
        names = {}
        for part, text in (("first_name", "forename"), ("last_name", "surname")):
            # Legal Forename when Preferred Forename is blank.
            preferred = get(f"preferred_{part}", c.text, text, 100) if self.has(f"preferred_{part}") else ""
            names[part] = preferred or get(f"legal_{part}", c.text, text, 100, True)
        row = {"email": email, "full_name": f"{names['first_name']} {names['last_name']}"}
        if self.has("job_title"):
            row["job_title"] = get("job_title", c.text, "job title", 100)
        given = self.cell(cells, "roles").strip() if self.has("roles") else ""
        source = "roles" if given else "job_title"
        roles, unknown = c.roles(given or row.get("job_title", ""), self.titles)
        if not roles:
            roles = ["staff"]
            value = given or row.get("job_title", "")
            row["note"] = (source, value, (
                f"{self.column(source)} {cleaning.shown(value)} is not one Harbour knows, so this person was "
                "imported as a member of staff with no safeguarding role. If it carries one, give the role on "
                "their account, or add the job title to your trust's list (docs/imports.md) and import again"
                if value else "No job title or role is given, so this person was imported as a member of staff with "
                "no safeguarding role"))
        row["roles"] = roles
        return row

    def run(self, rows):
        good, first_line = [], {}
        for line, row in self.clean_all(rows):
            if row["email"] in first_line:
                self.result.errors.append(Problem(
                    line, self.column("email"), row["email"], f"{row['email']} is on line {first_line[row['email']]} "
                    "already. This row was left out and that line imported"))
                continue
            if "note" in row:
                source, value, message = row.pop("note")
                self.result.warnings.append(Problem(line, self.column(source), value, message))
            first_line[row["email"]] = line
            good.append((line, row))
        emails = [row["email"] for _, row in good]
        users = {}
        for i in range(0, len(emails), BATCH):
            users.update({u.email.lower(): u for u in User.objects.filter(email__in=emails[i:i + BATCH])})
        held = {(m.user_id, m.role): m for m in Membership.objects.filter(school=self.school)}
        unusable = make_password(None)
        new_users, plan = [], []
        for line, row in good:
            user = users.get(row["email"])
            if user is not None and not user.is_active:
                self.result.errors.append(Problem(
                    line, self.column("email"), row["email"], f"The account for {row['email']} is closed, so this "
                    "row was left out. Reopen the account in Harbour first if this person has come back"))
                continue
            if user is None:
                # No password: the person sets their own, and their second factor, when they first sign in.
                user = users[row["email"]] = User(email=row["email"], full_name=row["full_name"][:200],
                                                  password=unusable)
                new_users.append((line, user))
            plan.append((line, row, user))
        self.progress("saving", 0, 1)
        with transaction.atomic():
            User.objects.bulk_create([u for _, u in new_users], batch_size=BATCH)
            for line, user in new_users:
                self.audit(Action.CREATE, "user", user.id, ["email", "full_name"], line=line)
            new_roles, retitled = [], []
            for line, row, user in plan:
                for role in row["roles"]:
                    membership = held.get((user.id, role))
                    if membership is None:
                        membership = Membership(user=user, school=self.school, role=role,
                                                job_title=row.get("job_title", ""))
                        held[(user.id, role)] = membership
                        new_roles.append((line, membership))
                    elif "job_title" in row and membership.job_title != row["job_title"]:
                        membership.job_title = row["job_title"]
                        retitled.append((line, membership))
                    else:
                        self.result.count("unchanged")
            Membership.objects.bulk_create([m for _, m in new_roles], batch_size=BATCH)
            if retitled:
                Membership.objects.bulk_update([m for _, m in retitled], ["job_title"], batch_size=BATCH)
            for line, m in new_roles:
                self.audit(Action.CREATE, "membership", m.id, ["user", "role"], line=line, role=m.role)
            for line, m in retitled:
                self.audit(Action.UPDATE, "membership", m.id, ["job_title"], line=line)
        self.result.count("accounts added", len(new_users))
        self.result.count("roles added", len(new_roles))
        self.result.count("job titles updated", len(retitled))
        self.progress("saved", 1, 1)


class _LoginImport(_Import):
    """A two-column file, UPN and network login (or school email), for a school whose MIS export lacks them (A5)."""

    kind = "logins"

    def clean(self, cells):
        upn = self.get(cells, "upn", cleaning.upn)
        value = self.get(cells, "network_login", cleaning.login)
        if not value:
            raise RowProblem("network_login", "the login is blank")
        if "@" in value:
            return {"upn": upn, "school_email": self.get(cells, "network_login", cleaning.email, "school email")}
        return {"upn": upn, "network_login": value}

    def run(self, rows):
        good = self.clean_all(rows)
        pupils = {p.upn: p for p in Pupil.objects.filter(school=self.school)}
        changed = {}
        for line, row in good:
            pupil = pupils.get(row["upn"])
            if pupil is None:
                self.result.errors.append(Problem(
                    line, self.column("upn"), row["upn"], f"No pupil at {self.school.name} has the UPN {row['upn']}. "
                    "Import the pupil file first, then this file again"))
                continue
            fields = [f for f in ("network_login", "school_email") if f in row and getattr(pupil, f) != row[f]]
            for f in fields:
                setattr(pupil, f, row[f])
            if fields:
                changed.setdefault(pupil.id, (line, pupil, set()))[2].update(fields)
            else:
                self.result.count("unchanged")
        with transaction.atomic():
            update_fields = sorted({f for _, _, fs in changed.values() for f in fs})
            if update_fields:
                Pupil.objects.bulk_update([p for _, p, _ in changed.values()], update_fields, batch_size=BATCH)
            for line, pupil, fields in changed.values():
                self.audit(Action.UPDATE, "pupil", pupil.id, sorted(fields), line=line)
        self.result.count("logins updated", len(changed))
        self.progress("saved", 1, 1)

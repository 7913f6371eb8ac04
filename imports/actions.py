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

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from audit.log import Action, record
from imports import cleaning
from imports.columns import detect
from lib.sniff import classify
from lib.uploads import MAX_STATEMENT_BYTES, explanation
from schools.models import Carer, Pupil, PupilCarer

MAX_ROWS = 20000
BATCH = 500


class ImportRefused(ValueError):
    """The whole file is refused (not text, not CSV, no known columns); nothing was imported."""


@dataclass
class Result:
    kind: str
    rows: int = 0
    counts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # [(line, reason)]

    def count(self, what, n=1):
        self.counts[what] = self.counts.get(what, 0) + n

    @property
    def changed(self):
        return any(v for k, v in self.counts.items() if k != "unchanged")

    def summary(self):
        parts = [f"{n} {what}" for what, n in self.counts.items() if n]
        return (f"{self.rows} rows read ({self.kind}): " + (", ".join(parts) or "nothing to do")
                + (f"; {len(self.errors)} rows not imported" if self.errors else "") + ".")


def read_csv(data: bytes):
    """Check by content that `data` is text (A3: never an image, whatever its name), then split it into
    (headers, [(line number, cells)]). Raise ImportRefused for a file that cannot be imported."""
    if len(data) > MAX_STATEMENT_BYTES:
        raise ImportRefused("This file is larger than 10 MB. Split it into smaller files.")
    verdict = classify(data)
    if not verdict.allowed:
        raise ImportRefused(explanation(verdict).replace("Everything else you typed has been kept.", "").strip())
    if verdict.kind != "text":
        raise ImportRefused("This is a PDF or Word document, not a CSV file. Export the list from your MIS as "
                            "CSV (comma-separated values, UTF-8).")
    text = data.decode("utf-8-sig")
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
    return headers, rows


def import_people(*, school, data: bytes, actor=None, full=False, progress=None):
    """Import one CSV file for `school`. Return a Result. Raise ImportRefused if the file is refused whole.

    `full`: the file lists every pupil on roll, so pupils missing from it are marked as left today
    (never deleted). `actor`: the person importing (None from the command line).
    """
    headers, rows = read_csv(data)
    try:
        kind, columns = detect(headers)
    except ValueError as exc:
        raise ImportRefused(str(exc)) from None
    if full and kind != "pupils":
        raise ImportRefused("Only a pupil file can be a full list of pupils on roll.")
    if not rows:
        raise ImportRefused("The file has no rows under its column names.")
    result = Result(kind=kind, rows=len(rows))
    importer = {"pupils": _PupilImport, "contacts": _ContactImport, "staff": _StaffImport}[kind]
    importer(school=school, actor=actor, columns=columns, result=result, progress=progress or (lambda *a: None),
             full=full).run(rows)
    result.errors.sort()
    if result.changed:
        record(actor=actor, action=Action.CREATE, object_type="people_import", school=school,
               detail={"kind": kind, "rows": result.rows, "not_imported": len(result.errors), **result.counts,
                       "via": "upload" if actor else "command"})
    return result


class _Import:
    def __init__(self, *, school, actor, columns, result, progress, full):
        self.school, self.actor, self.columns, self.result = school, actor, columns, result
        self.progress, self.full = progress, full
        self.today = timezone.localdate()

    def cell(self, cells, name):
        i = self.columns.get(name)
        return cells[i].replace("\x00", "") if i is not None and i < len(cells) else ""

    def has(self, name):
        return name in self.columns

    def clean_all(self, rows):
        good = []
        for n, (line, cells) in enumerate(rows, 1):
            try:
                good.append((line, self.clean(cells)))
            except ValueError as exc:
                self.result.errors.append((line, str(exc)[:1].upper() + str(exc)[1:]))
            if n % 250 == 0 or n == len(rows):
                self.progress("checked", n, len(rows))
        return good

    def audit(self, action, object_type, object_id, fields, **detail):
        record(actor=self.actor, action=action, object_type=object_type, object_id=object_id, school=self.school,
               changed_fields=fields, detail={"via": "mis_import", **detail})


class _PupilImport(_Import):
    FIELDS = ["legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name",
              "date_of_birth", "sex", "year_group", "sen_status", "is_looked_after", "is_child_in_need",
              "has_child_protection_plan"]

    def clean(self, cells):
        c = cleaning
        row = {"upn": c.upn(self.cell(cells, "upn"))}
        row["legal_first_name"] = c.text(self.cell(cells, "legal_first_name"), "legal forename", 100, True)
        row["legal_last_name"] = c.text(self.cell(cells, "legal_last_name"), "legal surname", 100, True)
        for name, label in (("preferred_first_name", "preferred forename"),
                            ("preferred_last_name", "preferred surname")):
            if self.has(name):
                row[name] = c.text(self.cell(cells, name), label, 100)
        row["date_of_birth"] = c.date_of_birth(self.cell(cells, "date_of_birth"), self.today)
        row["sex"] = c.sex(self.cell(cells, "sex"))
        row["year_group"] = c.year_group(self.cell(cells, "year_group"))
        if self.has("sen_status"):
            row["sen_status"] = c.sen_status(self.cell(cells, "sen_status"))
        for name, label in (("is_looked_after", "in care"), ("is_child_in_need", "child in need"),
                            ("has_child_protection_plan", "child protection plan")):
            if self.has(name):
                row[name] = c.flag(self.cell(cells, name), label)
        return row

    def run(self, rows):
        # Every UPN in the file, even on a bad row, so a typo elsewhere never marks a child as left.
        named = {(self.cell(cells, "upn") or "").strip().upper() for _, cells in rows}
        good, first_line = [], {}
        for line, row in self.clean_all(rows):
            if row["upn"] in first_line:
                self.result.errors.append((line, f"UPN {row['upn']} is on line {first_line[row['upn']]} already"))
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
    def clean(self, cells):
        c = cleaning
        row = {
            "upn": c.upn(self.cell(cells, "upn")),
            "first_name": c.text(self.cell(cells, "first_name"), "contact forename", 100, True),
            "last_name": c.text(self.cell(cells, "last_name"), "contact surname", 100, True),
            "title": c.text(self.cell(cells, "title"), "title", 20),
            "email": c.email(self.cell(cells, "email"), "contact email"),
            "phone": c.text(self.cell(cells, "phone"), "telephone", 30),
            "relationship": c.text(self.cell(cells, "relationship"), "relationship", 40, True),
            "contact_priority": c.priority(self.cell(cells, "contact_priority")),
        }
        for name, label in (("has_parental_responsibility", "parental responsibility"),
                            ("lives_with_pupil", "lives with pupil")):
            row[name] = c.flag(self.cell(cells, name), label) if self.has(name) else True
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
                self.result.errors.append((line, f"No pupil with UPN {row['upn']} at {self.school.name}: "
                                                 "import the pupil file first"))
                continue
            k = self.key(row["first_name"], row["last_name"], row["email"], row["phone"])
            if (pupil.id, k) in seen:
                self.result.errors.append((line, "This contact is listed for this pupil already"))
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
    def clean(self, cells):
        c = cleaning
        email = c.email(self.cell(cells, "email"), "email", required=True)
        if self.actor is not None and email == self.actor.email.lower():
            raise ValueError("you cannot give yourself a role by importing a file: ask another administrator")
        first = c.text(self.cell(cells, "first_name"), "forename", 100, True)
        last = c.text(self.cell(cells, "last_name"), "surname", 100, True)
        row = {"email": email, "full_name": f"{first} {last}", "roles": c.roles(self.cell(cells, "roles"))}
        if self.has("job_title"):
            row["job_title"] = c.text(self.cell(cells, "job_title"), "job title", 100)
        return row

    def run(self, rows):
        good, first_line = [], {}
        for line, row in self.clean_all(rows):
            if row["email"] in first_line:
                self.result.errors.append((line, f"{row['email']} is on line {first_line[row['email']]} already"))
                continue
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
                self.result.errors.append((line, f"The account for {row['email']} is closed. Reopen it before "
                                                 "giving it a role"))
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

"""`seed_scale`: a fictional trust at benchmark scale (issue 9). Never for a real database.

    python manage.py seed_scale --preset quick            # 5 schools, 5,000 cases, 50,000 entries
    python manage.py seed_scale --preset full             # 50 schools, 500,000 cases, 5,000,000 entries
    python manage.py seed_scale --schools 3 --incidents 200 --entries 2000

Every name is invented. The shapes are meant to be realistic: schools of very different
sizes (Zipf-like), chronologies with a long tail (log-normal lengths), children who appear in
several cases (a skewed pick per school), most old cases closed with their tasks done, a few
recent concerns still waiting in each DSL's inbox, and an in-app notice for each concern.

The big tables are written with executemany in batches, one transaction per batch. The audit
trail is written the way `audit.log.record` seals it (`audit.chain.canonical` and `compute_mac`,
chained from the current head), in time order, so `manage.py verify_audit` passes and can be
timed at scale.

Guards: it refuses unless demo mode is on (which `check --deploy` refuses, so a production
server never has it) or `--i-know-this-is-not-production` is given; and it refuses when the
database already holds cases, unless `--force`.
"""

import heapq
import json
import math
import random
import time
import uuid
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.capabilities import ROLE_LABELS, Role, TrustRole
from accounts.models import Membership, TrustMembership, User
from audit import chain
from audit.models import AuditEvent
from cases.models import Case, Entry, Task
from concerns.models import Concern, ConcernChild
from notifications.models import Notification
from cases.procedure_changes import pinned_text
from procedures import engine
from procedures.versions import differences, effective_for, shipped
from schools.models import Carer, Pupil, PupilCarer, School, Trust

PRESETS = {
    # schools, incidents (cases), chronology entries
    "tiny": (2, 40, 400),
    "quick": (5, 5_000, 50_000),
    "full": (50, 500_000, 5_000_000),
}
PASSWORD = "harbour bench passphrase"  # nosec B105 - every seeded account of fictional bench data
YEARS = 6  # cases are spread over this many years up to yesterday
BATCH_CASES = 2_000
AUDIT_BATCH = 20_000

SCHOOL_WORDS = [
    "Ashby", "Birchwood", "Coldharbour", "Dunmere", "Eastfield", "Foxhollow", "Greystone", "Hazelmere", "Ivybridge",
    "Juniper", "Kestrel", "Larkspur", "Millbrook", "Netherby", "Orchard", "Pennywell", "Queensmead", "Rookery",
    "Saltmarsh", "Thornbury", "Underhill", "Valeview", "Westmoor", "Yewtree", "Zephyr",
]
SCHOOL_KINDS = [("Academy", "secondary"), ("Primary", "primary"), ("High", "secondary"), ("All-through", "all_through"),
                ("School", "special")]
FIRST = ["Amara", "Bex", "Cai", "Dara", "Elin", "Finn", "Greer", "Hollis", "Ines", "Jude", "Kit", "Lumi", "Milo",
         "Nell", "Oren", "Pip", "Quill", "Rafe", "Sunny", "Tam", "Uma", "Vale", "Wren", "Xan", "Yara", "Zeb"]
LAST = ["Applewick", "Brambleton", "Cobbleford", "Dimblethorpe", "Eddersley", "Fennimore", "Gorsewood", "Hobbleton",
        "Inglenook", "Jollybrook", "Kettlewell", "Lumbershaw", "Mistlethwaite", "Nettlecombe", "Oddington",
        "Puddlestone", "Quarrendon", "Rushmere", "Sparrowhawk", "Tumbledown", "Umberleigh", "Vetchley", "Willowby"]
# Relative frequency of each kind of incident (cyberbullying and filtering breaches are the everyday ones).
TYPE_WEIGHTS = {
    "cyberbullying": 30, "filtering-breach": 18, "nudes-sharing": 14, "online-hate": 9, "sextortion": 7,
    "online-sexual-abuse": 5, "radicalisation": 3, "deepfake": 4, "upskirting": 2, "iioc": 1, "staff-allegation": 1,
    "misinformation": 3,
}
ROLE_WEIGHTS = {"harmed": 30, "pictured": 10, "received": 12, "sent": 8, "shared_onward": 5, "created": 3,
                "harmed_others": 12, "witness": 10, "disclosed": 6, "other": 4}
ENTRY_KINDS = [  # (kind, weight, text)
    ("note", 48, "Spoke with {who} about the incident; {detail}."),
    ("task", 14, "Task done: {detail}."),
    ("decision", 9, "Decision recorded: {detail}. Reason: the child's view and the risk assessment."),
    ("answers", 6, "Answers changed: {detail}."),
    ("referral", 5, "Referral recorded to children's social care; {detail}."),
    ("escalation", 4, "A task was overdue and was escalated to the safeguarding team."),
    ("review", 4, "Initial review meeting held with the DSL team; {detail}."),
    ("person", 3, "{who} added to the case."),
    ("sign_off", 3, "Decision signed off by the headteacher."),
    ("concern", 2, "A further concern about the same incident was added to this case."),
    ("outcome", 2, "Outcome recorded: {detail}."),
]
WHO = ["the child", "the child's carer", "the form tutor", "the head of year", "the police schools officer",
       "the school nurse", "children's social care", "the platform's trust and safety team"]
DETAILS = ["agreed a safety plan and a trusted adult", "the child is supported and attending", "no further messages",
           "carer will monitor the accounts and report anything new", "the account has been reported and removed",
           "the child was reassured and given the Report Remove details", "meeting arranged for next week",
           "the group chat has been closed by its admin", "both families have been told", "devices were checked",
           "advice leaflet given to the child", "class teacher briefed without detail"]
ACCOUNTS = [
    "Told me at break that messages were being sent to them late at night by someone in another class.",
    "A pupil showed me a screenshot described as unkind comments about another pupil in a group chat.",
    "The filtering report shows repeated attempts to reach a blocked site during a lesson.",
    "A carer rang to say their child was asked for a picture by an account they did not know.",
    "Overheard pupils talking about a photo being shared around the year group on a messaging app.",
]
OUTCOMES = ["refer", "seek_advice", "managed_in_school", "managed_in_school", "managed_in_school"]


def _weighted(rng, weights: dict):
    keys, values = list(weights), list(weights.values())
    return lambda: rng.choices(keys, values)[0]


class Rows:
    """Adapts Python values for raw executemany on SQLite or PostgreSQL, the way Django stores them."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"

    def dt(self, ts):  # ts: seconds since the epoch (UTC), or None
        if ts is None:
            return None
        value = datetime.fromtimestamp(ts, UTC)
        return value if self.pg else str(value.replace(tzinfo=None))

    def uuid(self, value):
        return value if self.pg else value.hex

    def insert(self, model, columns, rows, json_columns=()):
        if not rows:
            return
        table = model._meta.db_table
        cols = [model._meta.get_field(c).column for c in columns]
        marks = ", ".join("%s::jsonb" if self.pg and c in json_columns else "%s" for c in columns)
        sql = f'INSERT INTO {table} ({", ".join(cols)}) VALUES ({marks})'  # nosec B608 - names from the models
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


class Command(BaseCommand):
    help = "Seed a fictional trust at benchmark scale (never on a production database)."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="quick")
        parser.add_argument("--schools", type=int)
        parser.add_argument("--incidents", type=int, help="cases (one concern each)")
        parser.add_argument("--entries", type=int, help="chronology entries in all")
        parser.add_argument("--seed", type=int, default=9)
        parser.add_argument("--force", action="store_true", help="seed even though the database holds cases")
        parser.add_argument("--i-know-this-is-not-production", action="store_true", dest="not_production",
                            help="allow seeding without demo mode")

    def handle(self, *args, **options):
        if not (settings.HARBOUR_DEMO_MODE or options["not_production"]):
            raise CommandError("seed_scale writes fictional data in bulk. It runs only with HARBOUR_DEMO_MODE=1 "
                               "or --i-know-this-is-not-production.")
        if Case.objects.exists() and not options["force"]:
            raise CommandError("The database already holds cases. Use an empty database, or --force.")
        schools, incidents, entries = PRESETS[options["preset"]]
        schools = options["schools"] or schools
        incidents = options["incidents"] if options["incidents"] is not None else incidents
        entries = options["entries"] if options["entries"] is not None else entries
        if schools < 1 or incidents < 0 or entries < incidents:
            raise CommandError("Need at least one school, and at least one chronology entry per case.")
        started = time.monotonic()
        figures = Seeder(self, options["seed"]).run(schools, incidents, entries)
        figures["seconds"] = round(time.monotonic() - started, 1)
        self.stdout.write(json.dumps(figures))


class Seeder:
    def __init__(self, command, seed):
        self.out = command.stdout
        self.rng = random.Random(seed)  # nosec B311 - repeatable fictional data, not security
        self.rows = Rows()
        self.now = time.time()
        self.audit_heap = []
        self.audit_counter = 0
        self.audit_written = 0

    def log(self, text):
        self.out.write(text)
        self.out.flush()

    # -- people and schools (ORM: small) --------------------------------------------------

    def people(self, n_schools, case_counts):
        rng = self.rng
        k = Trust.objects.count() + 1
        trust = Trust.objects.create(name=f"Scale Test Learning Trust {k}", slug=f"scale-trust-{k}")
        password = make_password(PASSWORD)
        self.schools = []
        for i in range(n_schools):
            word = SCHOOL_WORDS[i % len(SCHOOL_WORDS)] + (
                f" {i // len(SCHOOL_WORDS) + 1}" if i >= len(SCHOOL_WORDS) else ""
            )
            kind, phase = SCHOOL_KINDS[i % len(SCHOOL_KINDS)]
            self.schools.append(School(trust=trust, name=f"{word} {kind}", slug=f"scale{k}-school-{i + 1}",
                                       urn=f"8{k % 100:02d}{i + 1:05d}", phase=phase))
        School.objects.bulk_create(self.schools)
        self.schools = list(School.objects.filter(trust=trust).order_by("id"))
        users, memberships = [], []
        roles_per_school = [Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER, Role.SENCO, Role.CHAIR_OF_GOVERNORS,
                            Role.TECHNICAL] + [Role.STAFF] * 14
        for school in self.schools:
            for n, role in enumerate(roles_per_school):
                email = f"{role.replace('_', '-')}{'' if role != Role.STAFF else n}@{school.slug}.bench.example"
                name = f"{FIRST[rng.randrange(len(FIRST))]} {LAST[rng.randrange(len(LAST))]}"
                users.append((school, role, User(email=email, full_name=name, password=password)))
        lead = User(email=f"lead@scale-trust-{k}.bench.example", full_name="Tess Trustlead", password=password)
        User.objects.bulk_create([u for _, _, u in users] + [lead])
        by_email = {u.email: u for u in User.objects.filter(email__endswith=".bench.example")}
        self.staff = {}  # school id -> {role: [user]}
        devices = []
        for school, role, u in users:
            u = by_email[u.email]
            memberships.append(Membership(user=u, school=school, role=role))
            self.staff.setdefault(school.id, {}).setdefault(role, []).append(u)
            if role != Role.STAFF and role != Role.TECHNICAL:
                devices.append(TOTPDevice(user=u, name="Bench app", confirmed=True))
        lead = by_email[lead.email]
        Membership.objects.bulk_create(memberships)
        TrustMembership.objects.create(user=lead, trust=trust, role=TrustRole.SAFEGUARDING_LEAD)
        devices.append(TOTPDevice(user=lead, name="Bench app", confirmed=True))
        TOTPDevice.objects.bulk_create(devices)
        # What the audit trail stamps for each actor (accounts.access.UserAccess.snapshot).
        self.actor = {}
        for school, role, u in users:
            u = by_email[u.email]
            roles = json.dumps(sorted({f"{ROLE_LABELS[role]} (school {school.id})"}))
            self.actor[u.id] = (u.full_name, roles, json.loads(roles))

        # Pupils: over the years a busy school sees many; children are shuffled so that the ones
        # in many cases are spread over the alphabet. A few carers each.
        self.pupils = {}
        pupils, carers = [], []
        for school, cases in zip(self.schools, case_counts, strict=True):
            n = max(60, int(cases * 0.6))
            for p in range(n):
                year = rng.randrange(1, 14)
                pupils.append(Pupil(
                    school=school, upn=f"B{school.id % 10000:04d}{p:08d}", legal_first_name=rng.choice(FIRST),
                    legal_last_name=rng.choice(LAST), date_of_birth=date(2020 - year, rng.randrange(1, 13),
                                                                         rng.randrange(1, 29)),
                    sex=rng.choice("FM"), year_group=year, sen_status=rng.choices("NKE", (85, 12, 3))[0],
                    is_looked_after=rng.random() < 0.02, is_child_in_need=rng.random() < 0.04,
                    has_child_protection_plan=rng.random() < 0.02))
        Pupil.objects.bulk_create(pupils, batch_size=5000)
        for school in self.schools:
            rows = list(Pupil.objects.filter(school=school).values_list("id", "legal_last_name"))
            rng.shuffle(rows)
            self.pupils[school.id] = [r[0] for r in rows]
            for pid, last in rows:
                carers.append((pid, Carer(school=school, title="Ms", first_name=rng.choice(FIRST), last_name=last,
                                          email="carer@bench.example", phone="01632 960000")))
        Carer.objects.bulk_create([c for _, c in carers], batch_size=5000)
        PupilCarer.objects.bulk_create([PupilCarer(pupil_id=pid, carer=c, relationship="Mother")
                                        for pid, c in carers], batch_size=5000)
        return trust

    def procedures(self):
        """Each school's effective procedure per kind, pinned as open_case pins it, and its first evaluation."""
        self.pinned = {}
        for school in self.schools:
            for kind in TYPE_WEIGHTS:
                procedure = effective_for(school, kind)
                procedure["pinned"]["differences"] = differences(shipped(kind), procedure)
                evaluation = engine.evaluate(procedure, {})
                self.pinned[school.id, kind] = (json.dumps(procedure), json.dumps(evaluation), procedure["tasks"],
                                                procedure["pinned"]["label"], pinned_text(procedure))

    # -- the audit trail ----------------------------------------------------------------------

    def audit(self, ts, actor_id, school_id, action, object_type, object_id, request_id, changed=(), detail=None):
        self.audit_counter += 1
        heapq.heappush(self.audit_heap, (ts, self.audit_counter, actor_id, school_id, action, object_type,
                                         str(object_id), request_id, sorted(changed), detail or {}))

    def flush_audit(self, before=None):
        """Seal and write, in time order, every queued event earlier than `before` (all if None)."""
        heap, rows = self.audit_heap, []
        while heap and (before is None or heap[0][0] < before):
            ts, _, actor_id, school_id, action, object_type, object_id, request_id, changed, detail = heapq.heappop(
                heap
            )
            self.seq += 1
            at = datetime.fromtimestamp(ts, UTC)
            name, roles, role_list = self.actor[actor_id] if actor_id else ("", "[]", [])
            content = chain.canonical(self.seq, at, actor_id, name, role_list, school_id, action,
                                      object_type, object_id, request_id, changed, detail)
            self.mac = chain.compute_mac(self.mac, content)
            rows.append((self.seq, self.rows.dt(ts), actor_id, name, roles, school_id, action, object_type,
                         object_id, request_id, json.dumps(changed), json.dumps(detail), self.mac))
            if len(rows) >= AUDIT_BATCH:
                self._write_audit(rows)
                rows = []
        self._write_audit(rows)

    def _write_audit(self, rows):
        self.rows.insert(AuditEvent, ["seq", "occurred_at", "actor", "actor_name", "actor_roles", "school", "action",
                                      "object_type", "object_id", "request_id", "changed_fields", "detail", "mac"],
                         rows, json_columns=("actor_roles", "changed_fields", "detail"))
        self.audit_written += len(rows)

    # -- cases ----------------------------------------------------------------------------------

    def run(self, n_schools, n_cases, n_entries):
        rng = self.rng
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:  # this connection only: bulk loading, fsync at the end
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA cache_size=-262144")
        weights = [1 / (i + 1) ** 0.7 for i in range(n_schools)]
        school_of_case = rng.choices(range(n_schools), weights, k=n_cases)
        case_counts = [0] * n_schools
        for s in school_of_case:
            case_counts[s] += 1
        with transaction.atomic():
            trust = self.people(n_schools, case_counts)
            self.procedures()
        self.log(f"people: {len(self.schools)} schools, {sum(len(p) for p in self.pupils.values())} pupils\n")

        # Chronology lengths: log-normal (median about half the mean, a long tail), at least two
        # entries each ("opened" and "closed") when the total allows, scaled to the exact total asked for.
        mean = n_entries / max(n_cases, 1)
        floor = 2 if n_entries >= 2 * n_cases else 1
        sigma = 1.0
        mu = math.log(max(mean - floor, 0.01)) - sigma * sigma / 2
        raw = [rng.lognormvariate(mu, sigma) for _ in range(n_cases)]
        extra_total = n_entries - floor * n_cases
        scale = extra_total / sum(raw) if raw and sum(raw) else 0
        lengths = [floor + int(r * scale) for r in raw]
        short = n_entries - sum(lengths)
        for i in range(short):
            lengths[i % max(n_cases, 1)] += 1

        span = YEARS * 365 * 86400
        end = self.now - 86400
        opened = sorted(end - rng.random() * span for _ in range(n_cases))

        last = AuditEvent.objects.order_by("-seq").values_list("seq", "mac").first()
        self.seq, self.mac = (last[0], last[1]) if last else (0, chain.GENESIS)
        ids = {m: (m.objects.order_by("-id").values_list("id", flat=True).first() or 0)
               for m in (Case, Concern, ConcernChild, Entry, Task, Notification)}
        self.ids = ids
        kind_of = _weighted(rng, TYPE_WEIGHTS)
        role_of = _weighted(rng, ROLE_WEIGHTS)
        entry_kinds = [k for k, _, _ in ENTRY_KINDS]
        entry_weights = [w for _, w, _ in ENTRY_KINDS]
        entry_text = {k: t for k, _, t in ENTRY_KINDS}
        counts = dict(cases=0, concerns=0, children=0, entries=0, tasks=0, notifications=0)

        batch = {m: [] for m in ("case", "concern", "child", "entry", "task", "notice")}
        t0 = time.monotonic()
        for i in range(n_cases):
            school = self.schools[school_of_case[i]]
            staff = self.staff[school.id]
            kind = kind_of()
            procedure_json, evaluation_json, tasks, label, pinned_versions = self.pinned[school.id, kind]
            ids[Case] += 1
            ids[Concern] += 1
            case_id, concern_id = ids[Case], ids[Concern]
            t_open = opened[i]
            t_recorded = t_open - rng.uniform(300, 7200)
            reporter = rng.choice(staff[Role.STAFF]).id
            if kind == "staff-allegation":
                route, subject, owner = "headteacher", rng.choice(staff[Role.STAFF]).id, staff[Role.HEADTEACHER][0].id
                team = [owner]
            else:
                route, subject = "dsl", None
                team = [staff[Role.DSL][0].id, staff[Role.DEPUTY_DSL][0].id]
                owner = team[0] if rng.random() < 0.7 else team[1]
            # How long the case takes: log-normal, median three weeks, none longer than 300 days. It is
            # still open if that time has not passed yet, so a school's open cases are its recent ones
            # plus a thin tail (about 600 at the largest school of the full set), as in a real school.
            n = lengths[i]
            duration = min(rng.lognormvariate(math.log(21 * 86400), 1.0), 300 * 86400)
            closed = t_open + duration < end and n >= 2  # a closed case needs an "opened" and a "closed" entry
            if not closed:
                duration = (end - t_open) * rng.uniform(0.3, 0.95)
            t_closed = t_open + duration if closed else None

            # The concern it was opened from, and its children.
            batch["concern"].append((
                concern_id, school.id, reporter, kind, subject, route, None, "", rng.choice(ACCOUNTS), "", None, "",
                False, "", "", rng.random() < 0.3, "", "", "", None, None,
                "closed" if closed else "acknowledged", self.rows.dt(t_recorded), self.rows.dt(t_open), owner, None,
                case_id, self.rows.uuid(uuid.UUID(int=rng.getrandbits(128), version=4))))
            if kind not in ("staff-allegation", "filtering-breach") or rng.random() < 0.5:
                k = rng.choices((1, 2, 3, 4, 5), (60, 22, 10, 5, 3))[0]
                pool = self.pupils[school.id]
                chosen = {pool[int(len(pool) * rng.random() ** 1.6)] for _ in range(k)}
                for pid in chosen:
                    ids[ConcernChild] += 1
                    batch["child"].append((ids[ConcernChild], concern_id, pid, role_of()))
            for uid in team:
                ids[Notification] += 1
                batch["notice"].append((ids[Notification], uid, school.id,
                                        f"A new concern is waiting for you at {school.name}",
                                        f"/concerns/{concern_id}/", self.rows.dt(t_recorded + 1),
                                        self.rows.dt(t_open), self.rows.dt(t_recorded + 30)))
            rid = f"{rng.getrandbits(128):032x}"
            self.audit(t_recorded, reporter, school.id, "create", "concern", concern_id, rid,
                       ["account", "incident_type", "children"], {"children": 1, "statements": 0})
            rid = f"{rng.getrandbits(128):032x}"
            self.audit(t_open, owner, school.id, "create", "case", case_id, rid,
                       ["incident_type", "route", "status", "procedure"], {"from_concern": concern_id,
                                                                            "procedure": label})
            self.audit(t_open + 0.001, owner, school.id, "update", "concern", concern_id, rid,
                       ["status", "acknowledged_at", "acknowledged_by"])
            self.audit(t_open + 0.002, owner, school.id, "update", "concern", concern_id, rid, ["case"],
                       {"case": case_id})

            # The chronology: "opened", then notes and the rest spread over the case's life, then "closed".
            middle = n - 1 - (1 if closed else 0)
            times = sorted(t_open + 1 + rng.random() * duration for _ in range(middle))
            ids[Entry] += 1
            batch["entry"].append((ids[Entry], case_id, "opened", self.rows.dt(t_open), owner,
                                   f"Case opened from concern C{concern_id:06d}. Procedure: {label}.", "[]"))
            for ts in times:
                ek = rng.choices(entry_kinds, entry_weights)[0]
                author = rng.choice(team)
                text = entry_text[ek].format(who=rng.choice(WHO), detail=rng.choice(DETAILS))
                ids[Entry] += 1
                batch["entry"].append((ids[Entry], case_id, ek, self.rows.dt(ts), author, text, "[]"))
                self.audit(ts, author, school.id, "update" if ek != "note" else "create",
                           "case" if ek != "note" else "note", case_id, f"{rng.getrandbits(128):032x}",
                           [] if ek == "note" else ["chronology"], {"entry": ek})
            outcome = ""
            if closed:
                outcome = rng.choice(OUTCOMES)
                ids[Entry] += 1
                batch["entry"].append((ids[Entry], case_id, "closed", self.rows.dt(t_closed), owner,
                                       "Case closed. Lessons learnt recorded.", "[]"))
                self.audit(t_closed, owner, school.id, "update", "case", case_id, f"{rng.getrandbits(128):032x}",
                           ["status", "closed_at", "summary", "lessons_learnt"])
            batch["case"].append((
                case_id, school.id, kind, route, subject, "closed" if closed else "open", owner,
                self.rows.dt(t_open), self.rows.dt(t_recorded), kind, procedure_json, "{}", "{}", evaluation_json,
                "", outcome, None, "Handled under the procedure; the children are supported." if closed else "",
                "", "Share the reporting routes with the year group again." if closed else "", "",
                self.rows.dt(t_closed), owner if closed else None, pinned_versions))
            for t in tasks:
                due = None if t["due_after_minutes"] is None else t_recorded + t["due_after_minutes"] * 60
                done = closed or (due is not None and due < end and rng.random() < 0.85)
                at = None
                if done:
                    at = min(t_closed or end, (due or t_open + duration) + rng.uniform(-3600, 3600))
                    at = max(at, t_open + 1)
                ids[Task] += 1
                batch["task"].append((ids[Task], case_id, t["id"], t["phase"], t["title"], json.dumps(t["rules"]),
                                      self.rows.dt(due), self.rows.dt(at), owner if done else None,
                                      "done" if done else "", "", None, False, ""))
            counts["cases"] += 1
            if len(batch["case"]) >= BATCH_CASES or i == n_cases - 1:
                with transaction.atomic():
                    self.write(batch, counts)
                    # Every event still to come is later than this (a concern precedes its case by at most 2 h).
                    self.flush_audit(before=opened[i + 1] - 7300 if i + 1 < n_cases else None)
                if (i + 1) % (BATCH_CASES * 25) == 0:
                    rate = (i + 1) / (time.monotonic() - t0)
                    self.log(f"  {i + 1} cases, {counts['entries']} entries ({rate:,.0f} cases/s)\n")

        with transaction.atomic():
            self.inbox(counts)
            self.flush_audit()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                        no_style(), [Case, Concern, ConcernChild, Entry, Task, Notification]):
                    cursor.execute(sql)
        if not connection.in_atomic_block:  # a real run, not inside a test's transaction
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
                if connection.vendor == "sqlite":
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    cursor.execute("PRAGMA synchronous=FULL")
        counts.update(trust=trust.slug, schools=n_schools, audit_events=self.audit_written,
                      dsl=self.staff[self.schools[0].id][Role.DSL][0].email)
        return counts

    def inbox(self, counts):
        """Concerns from the last three days still waiting for each DSL (status received, no case)."""
        rng = self.rng
        rows, children, notices = [], [], []
        for school in self.schools:
            staff = self.staff[school.id]
            for _ in range(3 + len(self.pupils[school.id]) // 500):
                self.ids[Concern] += 1
                cid = self.ids[Concern]
                ts = self.now - rng.uniform(600, 3 * 86400)
                reporter = rng.choice(staff[Role.STAFF]).id
                rows.append((cid, school.id, reporter, "cyberbullying", None, "dsl", None, "", rng.choice(ACCOUNTS), "",
                             None, "", False, "", "", False, "", "", "", None, None, "received", self.rows.dt(ts), None,
                             None, None, None, self.rows.uuid(uuid.UUID(int=rng.getrandbits(128), version=4))))
                self.ids[ConcernChild] += 1
                children.append((self.ids[ConcernChild], cid, rng.choice(self.pupils[school.id]), "harmed"))
                for uid in (staff[Role.DSL][0].id, staff[Role.DEPUTY_DSL][0].id):
                    self.ids[Notification] += 1
                    notices.append((self.ids[Notification], uid, school.id,
                                    f"A new concern is waiting for you at {school.name}", f"/concerns/{cid}/",
                                    self.rows.dt(ts + 1), None, self.rows.dt(ts + 30)))
                self.audit(ts, reporter, school.id, "create", "concern", cid, f"{rng.getrandbits(128):032x}",
                           ["account", "incident_type", "children"], {"children": 1, "statements": 0})
        self.write({"case": [], "concern": rows, "child": children, "entry": [], "task": [], "notice": notices},
                   counts)

    def write(self, batch, counts):
        r = self.rows
        # Cases first (concerns point at them).
        r.insert(Case, [
            "id", "school", "incident_type", "route", "subject_staff", "status", "opened_by", "opened_at",
            "incident_recorded_at", "procedure_id", "procedure", "facts", "risk_answers", "evaluation",
            "classification", "outcome", "review_date", "summary", "debrief", "lessons_learnt", "policy_changes",
            "closed_at", "closed_by", "pinned_versions"], batch["case"],
            json_columns=("procedure", "facts", "risk_answers", "evaluation"))
        r.insert(Concern, [
            "id", "school", "reported_by", "incident_type", "subject_staff", "route", "occurred_at", "location",
            "account", "disclosed_to", "disclosed_at", "actions_taken", "device_confiscated", "device_isolation",
            "device_location", "dsl_told_in_person", "breach_url", "breach_device_or_user", "breach_seen",
            "provider_told", "parents_told", "status", "created_at", "acknowledged_at", "acknowledged_by",
            "escalated_at", "case", "idempotency_key"], batch["concern"])
        r.insert(ConcernChild, ["id", "concern", "pupil", "role"], batch["child"])
        r.insert(
            Entry, ["id", "case", "kind", "at", "author", "text", "rules"], batch["entry"], json_columns=("rules",)
        )
        r.insert(Task, ["id", "case", "key", "phase", "title", "rules", "due_at", "completed_at", "completed_by",
                        "result", "note", "escalated_at", "due_before_open", "ticked_by"], batch["task"],
                 json_columns=("rules",))
        r.insert(Notification, ["id", "user", "school", "text", "url", "created_at", "read_at", "emailed_at"],
                 batch["notice"])
        counts["concerns"] += len(batch["concern"])
        counts["children"] += len(batch["child"])
        counts["entries"] += len(batch["entry"])
        counts["tasks"] += len(batch["task"])
        counts["notifications"] += len(batch["notice"])
        for rows in batch.values():
            rows.clear()

"""The governor report and the termly review pack (G3, G4): numbers only, small numbers hidden,
lessons learnt (G1, G2) only for the incident-management team."""

import re
import subprocess

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from reports.tests.helpers import at, case_at, close
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db
TODAY = at(2026, 1, 20, 12)
TERM = {"term": "2025-autumn"}

# Unique words planted in every free-text field and name: none may reach the governor report.
CHILD_NAMES = [("Zephyrine", "Quillbottom"), ("Barnaby", "Wolfsbane"), ("Ottoline", "Gravesend"),
               ("Percival", "Mistletoe"), ("Clementine", "Ashgrove"), ("Thaddeus", "Nightjar"),
               ("Rosalind", "Featherstonehaugh"), ("Ignatius", "Pennywhistle"), ("Marigold", "Tumbleweed")]
NARRATIVE = "narrative-xylophone-7731"
LESSON = "lesson-marmalade-4412"
DEBRIEF = "debrief-harpsichord-5519"
POLICY = "policy-quokka-2208"


@pytest.fixture
def term(world):
    """Nine incidents in the autumn term: seven cyberbullying (one child each), two nudes sharing."""
    pupils = [make_pupil(world.oakfield, first, last, f"A9990000002{i:02d}", year_group=7 + i % 3,
                         sex="F" if i % 2 else "M") for i, (first, last) in enumerate(CHILD_NAMES)]
    cases = []
    for i, pupil in enumerate(pupils[:7]):
        cases.append(case_at(world, at(2025, 10, 1 + i), "cyberbullying", children=[(pupil, "harmed")],
                             account=f"{NARRATIVE} {pupil.legal_first_name} said so."))
    for pupil in pupils[7:]:
        cases.append(case_at(world, at(2025, 11, 10), children=[(pupil, "pictured")],
                             account=f"{NARRATIVE} about {pupil.legal_last_name}."))
    close(world, cases[0], at(2025, 11, 1), lessons=f"{LESSON} for {CHILD_NAMES[0][0]}", debrief=DEBRIEF,
          policy=POLICY)
    return cases


def governor_html(client, world):
    sign_in(client, world.gina)
    with time_machine.travel(TODAY, tick=True):
        response = client.get(reverse("reports:governor"), TERM)
    assert response.status_code == 200
    return response.content.decode()


def pdf_text(content, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def table_rows(html):
    """{row label: what is written} across every table on the page."""
    cells = re.findall(r'<th scope="row" class="govuk-table__header[^"]*">\s*(.*?)\s*</th>\s*'
                       r'<td class="govuk-table__cell[^"]*">\s*(.*?)\s*</td>', html, re.S)
    return [(label, value) for label, value in cells]


def planted(world):
    words = [w for pair in CHILD_NAMES for w in pair] + [NARRATIVE, LESSON, DEBRIEF, POLICY]
    return words + [world.tom.full_name, world.diana.full_name, world.hana.full_name, "Quentin", "Puddlewick"]


def test_r_g4_the_governor_report_names_no_one_and_shows_no_small_number(client, world, term, tmp_path):
    html = governor_html(client, world)
    for word in planted(world):
        assert word not in html, word
    rows = dict(table_rows(html))
    # Two nudes-sharing incidents: "fewer than 5". Seven cyberbullying: hidden too, or 9 − 7 would give the 2 away.
    assert rows["Sharing nudes or semi-nudes"] == "fewer than 5"
    assert rows["Cyberbullying"] == "not shown"
    assert rows["Sextortion (threats to share images, often for money)"] == "0"
    # No shown number anywhere is a small one.
    for label, value in table_rows(html):
        assert not (value.isdigit() and 0 < int(value) < 5), (label, value)
    assert "Lessons learnt" not in html and "K0000" not in html

    sign_in(client, world.gina)
    with time_machine.travel(TODAY, tick=True):
        response = client.get(reverse("reports:governor_pdf"), TERM)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    text = pdf_text(response.content, tmp_path)
    flat = " ".join(text.split())
    for word in planted(world):
        assert word not in flat, word
    assert "Governor report" in flat and "Oakfield Primary" in flat
    table_lines = [
        line.strip()
        for line in text.splitlines()
        if line.strip().startswith("Sharing nudes or semi-nudes") and line.strip() != "Sharing nudes or semi-nudes"
    ]
    assert table_lines and all(line.endswith("fewer than 5") for line in table_lines)
    for line in text.splitlines():
        numbers = re.findall(r"(?<![\w/:.-])(\d+)(?![\w/:.-])", line)
        if line.strip().startswith(("Cyberbullying", "Sharing nudes")):
            assert numbers in ([], ["5"]), line
    assert LESSON not in flat and "Lessons learnt" not in flat


def test_r_g3_the_termly_pack_adds_handling_and_lessons_learnt_for_the_team(client, world, term, tmp_path):
    closed = term[0]
    for who in ("diana", "hana"):
        sign_in(client, getattr(world, who))
        with time_machine.travel(TODAY, tick=True):
            html = client.get(reverse("reports:pack"), TERM).content.decode()
        assert f"{LESSON} for Zephyrine" in html and DEBRIEF in html and POLICY in html, who
        assert f"{closed.reference}: Cyberbullying" in html
        assert dict(table_rows(html))["Sharing nudes or semi-nudes"] == "fewer than 5"
        assert NARRATIVE not in html and "Quillbottom" not in html
    sign_in(client, world.diana)
    with time_machine.travel(TODAY, tick=True):
        response = client.get(reverse("reports:pack_pdf"), TERM)
    flat = " ".join(pdf_text(response.content, tmp_path).split())
    assert f"{LESSON} for Zephyrine" in flat and "Termly review pack" in flat
    # It prints: the first page renders to an image.
    (tmp_path / "pack.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "pack.pdf"),
                    str(tmp_path / "page")], check=True)
    assert next(tmp_path.glob("page*.png")).stat().st_size > 1000
    event = AuditEvent.objects.filter(object_type="termly_pack", actor_id=world.diana.id).last()
    assert event.detail["cases"] == [closed.id]  # H2: the lessons read are recorded


def test_r_g4_a_governor_sees_the_governor_report_and_nothing_else_of_cases(client, world, term):
    sign_in(client, world.gina)
    closed = term[0]
    assert client.get(reverse("reports:governor")).status_code == 200
    for url in [reverse("reports:dashboard"), reverse("reports:trends"), reverse("reports:pack"),
                reverse("reports:pack_pdf"), reverse("reports:trust"), reverse("cases:list"),
                reverse("cases:detail", args=[closed.id]), reverse("concerns:inbox"),
                reverse("reports:list", args=[world.oakfield.id, "open-cases"])]:
        assert client.get(url).status_code == 404, url


def test_governor_report_access_ladder_and_audit(client, world):
    url = reverse("reports:governor")
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("reports:governor_pdf"))["Location"].startswith(reverse("accounts:login"))
    for wrong in ("tom", "terry", "diana", "dev", "adam"):
        sign_in(client, getattr(world, wrong))
        assert client.get(url).status_code == 404, wrong
    for right in ("gina", "carol", "hana", "lena"):
        sign_in(client, getattr(world, right))
        assert client.get(url).status_code == 200, right
    assert AuditEvent.objects.filter(object_type="governor_report", actor_id=world.gina.id).exists()


def test_termly_pack_access_ladder(client, world):
    url = reverse("reports:pack")
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    for wrong in ("tom", "terry", "gina", "carol", "adam"):
        sign_in(client, getattr(world, wrong))
        assert client.get(url).status_code == 404, wrong
    for right in ("diana", "dev", "hana", "lena"):
        sign_in(client, getattr(world, right))
        assert client.get(url).status_code == 200, right


def test_the_governor_report_counts_only_incidents_about_children(client, world, term):
    """A4: concerns about staff are the headteacher's and the chair's; they are not in the governors' numbers."""
    case_at(world, at(2025, 10, 2), "staff-allegation", subject_staff=world.tom)
    html = governor_html(client, world)
    assert "Concern about a member of staff" not in html
    assert dict(table_rows(html))["Total"] == "9"


def test_an_unknown_term_falls_back_to_the_current_one(client, world):
    sign_in(client, world.gina)
    with time_machine.travel(TODAY, tick=True):
        html = client.get(reverse("reports:governor"), {"term": "1999-winter"}).content.decode()
    assert "Spring term 2025/26" in html


def test_reports_take_a_fixed_number_of_queries(client, world, term, django_assert_max_num_queries):
    """The bound does not grow with the incidents counted. 32: the governor report also counts the trust's figures
    beside each hidden breakdown (issue 20.10), and on PostgreSQL the pack took 31, one more than on SQLite."""
    for who, url in (("gina", reverse("reports:governor")), ("diana", reverse("reports:pack"))):
        sign_in(client, getattr(world, who))
        with time_machine.travel(TODAY, tick=True), django_assert_max_num_queries(32):
            assert client.get(url, TERM).status_code == 200
    for i in range(3):
        close(world, term[1 + i], at(2025, 11, 12))
    with time_machine.travel(TODAY, tick=True), django_assert_max_num_queries(32):
        assert client.get(reverse("reports:pack"), TERM).status_code == 200


# Issue 20.10: a small school's governors learn something ---------------------------------------------------------


@pytest.fixture
def small_school(world):
    """Oakfield has two incidents this term (a small primary); Riverside, in the same trust, has six."""
    made = []
    for i in range(2):
        pupil = make_pupil(world.oakfield, f"Small{i}", "Oakchild", f"A99900000030{i}", year_group=3, sex="F")
        made.append(case_at(world, at(2025, 10, 6 + i), "cyberbullying", children=[(pupil, "harmed")]))
    from cases.models import Case
    from concerns.models import Concern

    for i in range(6):
        pupil = make_pupil(world.riverside, f"River{i}", "Sidechild", f"A99900000031{i}", year_group=9,
                           sex="M" if i % 2 else "F")
        case = case_at(world, at(2025, 10, 13 + i), "cyberbullying", children=[(pupil, "harmed")])
        # Opened through Oakfield's people, then counted at Riverside: the report needs only where it belongs.
        Case.objects.filter(id=case.id).update(school=world.riverside)
        Concern.objects.filter(case=case).update(school=world.riverside)
        made.append(case)
    return made


def test_r_g4_a_small_schools_totals_for_the_term_and_year_are_always_shown(client, world, small_school):
    """A total names no one: two incidents this term are shown as 2, with the school year so far beside them."""
    from reports import packs, reporting

    report = packs.governor_report(world.oakfield, reporting.period_for_key("2025-autumn"))
    assert report.totals == [("Incidents about children", 2, 2), ("Children involved", 2, 2)]
    assert report.year.start.isoformat() == "2025-09-01" and report.year.end == report.period.end
    html = governor_html(client, world)
    assert "Totals at Oakfield Primary" in html and "School year 2025/26 so far" in html
    # The sentence above the totals gives the same number, not "Fewer than 5" over a table that says 2.
    assert "2 incidents were reported from 1 September 2025 to 31 December 2025." in html
    assert "Fewer than 5 incidents were reported" not in html
    # Each hidden breakdown says in words why it is hidden.
    assert "2 incidents this term. With fewer than 5, any breakdown could point to a child, so none is shown." \
        in " ".join(html.split())


def test_r_g4_beside_each_hidden_breakdown_are_the_trusts_figures_for_the_same_measure(client, world,
                                                                                        small_school, tmp_path):
    """Oakfield's breakdowns are hidden (2 incidents); the trust's 8 incidents by kind are shown beside them,
    suppressed in the same way, and never the trust's children by year group (its schools teach different years,
    so a year only Oakfield teaches would be Oakfield's own)."""
    from reports import packs, reporting

    report = packs.governor_report(world.oakfield, reporting.period_for_key("2025-autumn"))
    by_kind = next(t for t in report.tables if t.key == "kind")
    assert by_kind.whole_table_hidden and by_kind.trust is not None
    trust_cells = {c.label: by_kind.trust.display(c) for c in by_kind.trust.cells}
    assert trust_cells["Cyberbullying"] == "8"
    assert next(t for t in report.tables if t.key == "year_group").trust is None
    assert report.trust_name == "Brightwater Learning Trust"

    html = " ".join(governor_html(client, world).split())
    assert "Across Brightwater Learning Trust: incidents by kind" in html
    assert "The trust’s figures by year group are not shown here" in html
    for child in ("Small0", "River0", "Oakchild", "Sidechild"):
        assert child not in html

    sign_in(client, world.gina)
    with time_machine.travel(TODAY, tick=True):
        response = client.get(reverse("reports:governor_pdf"), TERM)
    flat = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Across Brightwater Learning Trust" in flat and "Cyberbullying 8" in flat


def test_r_g4_the_trusts_figures_are_not_shown_when_the_other_schools_had_too_few_to_hide_this_ones(world):
    """With fewer than 5 incidents at the trust's other schools, the trust's figures would be little more than
    this school's own: none are put beside its hidden breakdowns, and the report says why."""
    from reports import packs, reporting

    pupil = make_pupil(world.oakfield, "Lone", "Oakchild", "A999000000399", year_group=3)
    case_at(world, at(2025, 10, 6), "cyberbullying", children=[(pupil, "harmed")])
    report = packs.governor_report(world.oakfield, reporting.period_for_key("2025-autumn"))
    assert all(t.trust is None for t in report.tables)
    assert "other schools had no incidents this term" in report.trust_note

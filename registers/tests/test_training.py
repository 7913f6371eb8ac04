"""Training (rule I5): induction, annual update, YPSI and DSL training, and who is overdue. The periods
are data (registers.periods.TRAINING_REQUIREMENTS), not constants in views."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from registers import actions, periods, status
from registers.actions import RegisterError
from registers.models import TrainingRecord
from tests.people import make_user, sign_in

pytestmark = pytest.mark.django_db


def train(world, person, kind, on, provider="Local authority"):
    return actions.record_training(user=world.diana, school=world.oakfield, person=person, kind=kind,
                                   completed_on=on, provider=provider)


def overdue(world, today):
    return {row.person.full_name: row.overdue for row in status.training_status(world.oakfield, today)}


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i5_who_is_overdue(world):
    today = date(2026, 3, 2)
    train(world, world.tom, "induction", date(2025, 9, 1))
    train(world, world.dev, "induction", date(2020, 9, 1))
    train(world, world.dev, "annual_update", date(2025, 1, 10))  # more than 12 months ago
    train(world, world.dev, "dsl", date(2023, 3, 1))  # more than 2 years ago
    train(world, world.diana, "induction", date(2019, 9, 1))
    train(world, world.diana, "annual_update", date(2025, 9, 1))
    train(world, world.diana, "dsl", date(2024, 6, 1))
    found = overdue(world, today)
    assert found["Tom Teacher"] == []  # the induction starts the annual clock
    assert found["Diana Dsl"] == []
    assert found["Dev Deputy"] == ["Annual online-safety update is more than 12 months old",
                                   "DSL training is more than 2 years old"]
    assert found["Hana Head"] == ["No online-safety induction recorded", "No annual online-safety update recorded"]
    assert "Gina Governor" not in found  # governors are not counted as staff
    assert overdue(world, date(2026, 9, 2))["Tom Teacher"] == [
        "Annual online-safety update is more than 12 months old"]


def test_r_i5_the_periods_are_data(world, monkeypatch):
    with time_machine.travel("2026-03-02 10:00Z", tick=False):
        train(world, world.tom, "induction", date(2025, 9, 1))
    longer = tuple(periods.Requirement(r.kind, r.roles, 24 if r.kind == "annual_update" else r.every_months,
                                       r.also_counts, r.missing, r.expired) for r in periods.TRAINING_REQUIREMENTS)
    monkeypatch.setattr(periods, "TRAINING_REQUIREMENTS", longer)
    assert overdue(world, date(2026, 12, 1))["Tom Teacher"] == []


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i5_a_record_names_who_when_and_the_provider(world):
    with pytest.raises(RegisterError, match="staff"):
        train(world, world.eve, "induction", date(2026, 1, 1))
    with pytest.raises(RegisterError, match="provided"):
        train(world, world.tom, "ypsi", date(2026, 1, 1), provider=" ")
    with pytest.raises(RegisterError, match="today or earlier"):
        train(world, world.tom, "ypsi", date(2026, 3, 3))
    assert train(world, world.tom, "ypsi", date(2026, 1, 1)).provider == "Local authority"


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i5_the_training_page_lists_the_overdue_first(client, world, django_assert_max_num_queries):
    for n in range(15):
        person = make_user(f"staff{n}@oakfield.example", f"Zed Staff {n:02d}", school=world.oakfield, role="staff")
        train(world, person, "induction", date(2025, 9, 1))
    sign_in(client, world.hana)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("registers:training")).content.decode()
    assert page.index("Hana Head") < page.index("Zed Staff 00") and "No online-safety induction recorded" in page
    response = client.post(reverse("registers:training_new"), {"person": world.hana.id, "kind": "induction",
                                                               "completed_on": "2026-02-20",
                                                               "provider": "The DSL"})
    assert response.status_code == 302 and TrainingRecord.objects.filter(person=world.hana).exists()


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i5_the_training_register_downloads_as_a_safe_spreadsheet(client, world):
    import csv
    import io

    from audit.models import AuditEvent

    sneaky = make_user("sneaky@oakfield.example", '=HYPERLINK("https://evil.example","Click")', school=world.oakfield,
                       role="staff")
    train(world, sneaky, "induction", date(2025, 9, 1))
    sign_in(client, world.diana)
    response = client.get(reverse("registers:training_csv"))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Name" and rows[0][-2:] == ["Status", "Why overdue"]
    names = [r[0] for r in rows[1:]]
    assert "'=HYPERLINK(\"https://evil.example\",\"Click\")" in names and world.diana.full_name in names
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)
    assert AuditEvent.objects.filter(action="export", object_type="register_training").count() == 1

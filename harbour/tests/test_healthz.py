"""/healthz for monitoring (issue 21.3): no sign-in; 200 or 503 with a JSON body that says whether the database
answers, every migration is applied, a worker was seen lately and how long the oldest job due has waited; nothing
else. /healthz/web: the database and migrations alone, for a reverse proxy's check of one web server."""

import json
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.invitations import email_invitation
from harbour import health, heartbeat
from harbour.management.commands.worker import Command as WorkerCommand
from harbour.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
SHAPE = {"status", "checks"}
CHECKS = {"database": {"ok"}, "migrations": {"ok"}, "worker": {"ok", "seen_seconds_ago"},
          "queue": {"ok", "oldest_waiting_seconds"}}


def get(client, path="/healthz"):
    response = client.get(path)
    assert response["Content-Type"] == "application/json" and "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    return response.status_code, body


def test_with_a_worker_beating_it_answers_200_to_anyone_and_says_nothing_else(client):
    heartbeat.beat("w1", now=timezone.now() - timedelta(seconds=20))
    status, body = get(client)
    assert status == 200 and set(body) == SHAPE and body["status"] == "ok"
    assert {name: set(check) for name, check in body["checks"].items()} == CHECKS
    assert body["checks"]["worker"]["ok"] is True and 20 <= body["checks"]["worker"]["seen_seconds_ago"] < 30
    assert body["checks"]["queue"] == {"ok": True, "oldest_waiting_seconds": None}


def test_it_answers_the_same_to_someone_signed_in(client, world):
    from tests.people import sign_in

    heartbeat.beat("w1")
    sign_in(client, world.diana)
    status, body = get(client)
    assert status == 200 and set(body) == SHAPE and world.diana.full_name not in json.dumps(body)


def test_no_worker_ever_seen_is_503(client):
    status, body = get(client)
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["worker"] == {"ok": False, "seen_seconds_ago": None}
    assert body["checks"]["database"] == body["checks"]["migrations"] == {"ok": True}


def test_a_worker_not_seen_for_over_5_minutes_is_503(client, settings):
    heartbeat.beat("w1", now=timezone.now() - timedelta(seconds=301))
    status, body = get(client)
    assert status == 503 and body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["seen_seconds_ago"] >= 301
    settings.HARBOUR_HEALTH_WORKER_SECONDS = 600
    assert get(client)[0] == 200


def test_a_worker_that_stops_cleanly_is_forgotten_at_once_while_another_still_counts(client):
    heartbeat.beat("w1")
    heartbeat.beat("w2", now=timezone.now() - timedelta(seconds=40))
    heartbeat.forget("w1")
    status, body = get(client)
    assert status == 200 and body["checks"]["worker"]["seen_seconds_ago"] >= 40
    heartbeat.forget("w2")
    assert get(client)[0] == 503


def test_a_beat_updates_its_own_row_and_clears_workers_gone_a_day():
    now = timezone.now()
    heartbeat.beat("old", now=now - timedelta(days=2))
    heartbeat.beat("w1", now=now - timedelta(seconds=5))
    heartbeat.beat("w1", now=now)
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["w1"]
    assert heartbeat.last_seen() == now


def test_the_oldest_job_due_is_measured_and_one_waiting_over_10_minutes_is_503(client):
    heartbeat.beat("w1")
    email_invitation.enqueue(user_id=1, school_name="x")
    status, body = get(client)
    assert status == 200 and body["checks"]["queue"]["oldest_waiting_seconds"] in (0, 1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=11))
    status, body = get(client)
    assert status == 503 and body["checks"]["queue"]["ok"] is False
    assert 660 <= body["checks"]["queue"]["oldest_waiting_seconds"] < 670


def test_a_job_set_to_run_later_is_not_waiting_until_its_time(client):
    heartbeat.beat("w1")
    email_invitation.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(user_id=1, school_name="x")
    assert get(client)[1]["checks"]["queue"]["oldest_waiting_seconds"] is None
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=90))
    assert 90 <= get(client)[1]["checks"]["queue"]["oldest_waiting_seconds"] < 100


def test_a_job_done_or_running_is_not_waiting(client):
    heartbeat.beat("w1")
    email_invitation.enqueue(user_id=1, school_name="x")
    DBTaskResult.objects.update(status="SUCCESSFUL", enqueued_at=timezone.now() - timedelta(hours=2))
    assert get(client)[1]["checks"]["queue"]["oldest_waiting_seconds"] is None


def test_unapplied_migrations_are_503(client, monkeypatch):
    heartbeat.beat("w1")
    monkeypatch.setattr(health, "_all_applied", False)
    with mock.patch.object(health.MigrationExecutor, "migration_plan", return_value=[("a migration", False)]):
        status, body = get(client)
        assert status == 503 and body["checks"]["migrations"] == {"ok": False}
        assert get(client, "/healthz/web")[0] == 503
    assert get(client)[0] == 200  # applied now (e.g. after `manage.py migrate`): checked again until they are


def test_a_database_that_does_not_answer_is_503_with_every_check_failed(client):
    class Away:
        def __getitem__(self, alias):
            raise DatabaseError("connection refused")

    with mock.patch.object(health, "connections", Away()), \
            mock.patch.object(heartbeat.WorkerHeartbeat.objects, "aggregate", side_effect=DatabaseError), \
            mock.patch.object(health.DBTaskResult.objects, "filter", side_effect=DatabaseError):
        status, body = get(client)
    assert status == 503 and body["checks"] == {
        "database": {"ok": False}, "migrations": {"ok": False},
        "worker": {"ok": False, "seen_seconds_ago": None}, "queue": {"ok": False, "oldest_waiting_seconds": None}}


def test_the_web_check_answers_200_without_a_worker_and_names_only_its_two_checks(client):
    status, body = get(client, "/healthz/web")
    assert status == 200 and body == {"status": "ok", "checks": {"database": {"ok": True},
                                                                 "migrations": {"ok": True}}}


def test_the_worker_command_starts_the_heartbeat_with_its_worker_id(monkeypatch):
    started, ran = [], []
    monkeypatch.setattr(heartbeat, "start", started.append)
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.Command.handle",
                        lambda self, *a, **o: ran.append(o["worker_id"]))
    command = WorkerCommand()
    options = {"reload": False, "batch": True, "worker_id": "abc"}
    command.handle(**options)
    assert started == ["abc"] and ran == ["abc"]
    # With --reload, the parent process only watches files: the child that works beats.
    started.clear()
    command.handle(**{**options, "reload": True, "batch": False})
    assert started == []


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_until_stopped_then_the_worker_is_forgotten(client):
    stop = heartbeat.start("thread-test", interval=0.05)
    try:
        deadline = time.monotonic() + 10
        while not WorkerHeartbeat.objects.filter(worker_id="thread-test").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        first = WorkerHeartbeat.objects.get(worker_id="thread-test").seen_at
        while WorkerHeartbeat.objects.get(worker_id="thread-test").seen_at == first and time.monotonic() < deadline:
            time.sleep(0.02)
        assert WorkerHeartbeat.objects.get(worker_id="thread-test").seen_at > first  # it beats again
        assert get(client)[0] == 200
    finally:
        stop()
    assert not WorkerHeartbeat.objects.exists() and get(client)[0] == 503

"""S3: the end of the trail. Deleting the newest events leaves a shorter chain that is still valid in itself, so the
trail's head (its last sequence number and seal) is also written outside the database: to an append-only file
(HARBOUR_AUDIT_HEAD_FILE) and the operator's log, hourly by `manage.py write_audit_head` and on every backup.
`verify_audit` checks the trail against every head recorded there and names a missing tail."""

import json
import logging
import os
import stat

import pytest
from django.core.management import CommandError, call_command

from audit import head
from audit.log import Action, record, verify_trail
from audit.models import AuditEvent
from audit.tests.test_chain import _sql, triggers_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_file(tmp_path, settings):
    settings.HARBOUR_AUDIT_HEAD_FILE = str(tmp_path / "audit-head.log")
    return tmp_path / "audit-head.log"


def events(world, n):
    return [record(actor=world.diana, action=Action.VIEW, object_type="pupil", object_id=i, school=world.oakfield)
            for i in range(n)]


def test_r_s3_deleting_the_newest_events_is_detected_against_the_recorded_head(world, head_file):
    made = events(world, 6)
    call_command("write_audit_head")
    with triggers_off():
        _sql("DELETE FROM audit_auditevent WHERE seq > %s", [made[3].seq])
    with pytest.raises(CommandError, match=f"sequence number {made[4].seq}: events {made[4].seq}–{made[5].seq} are "
                                           f"missing from the end"):
        call_command("verify_audit")


def test_r_s3_a_tail_replaced_by_other_events_is_detected(world, head_file):
    """Cut the tail and write new events in its place (with the key): the count matches, the seal does not."""
    made = events(world, 4)
    head.write("hourly")
    with triggers_off():
        _sql("DELETE FROM audit_auditevent WHERE seq >= %s", [made[2].seq])
    events(world, 2)
    count, problem = verify_trail(heads=head.read())
    assert problem == (made[3].seq, f"event {made[3].seq} is not the event recorded as the trail's head at "
                                    f"{json.loads(head_file.read_text())['at']}")


def test_r_s3_an_intact_trail_passes_and_says_where_its_head_is_recorded(world, head_file, capsys):
    events(world, 3)
    call_command("write_audit_head")
    events(world, 2)  # events after the last record are fine: the next hourly write covers them
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "Audit trail intact: 5 events" in out and "1 record of the trail's head" in out and str(head_file) in out


def test_r_s3_the_head_file_is_appended_to_never_rewritten_and_only_its_owner_reads_it(world, head_file, caplog):
    events(world, 2)
    with caplog.at_level(logging.INFO, logger="harbour.audit"):
        first = head.write("hourly")
        events(world, 1)
        second = head.write("backup")
    lines = [json.loads(line) for line in head_file.read_text().splitlines()]
    assert [(line["seq"], line["mac"], line["reason"]) for line in lines] == [
        (first["seq"], first["mac"], "hourly"), (second["seq"], second["mac"], "backup")]
    assert second["seq"] == first["seq"] + 1 and lines[1]["key"] == AuditEvent.objects.last().key_id
    assert stat.S_IMODE(os.stat(head_file).st_mode) == 0o600
    assert sum(f"seq {second['seq']}" in r.getMessage() for r in caplog.records) == 1  # the operator's log too


def test_r_s3_a_damaged_head_file_is_reported_not_ignored(world, head_file):
    events(world, 1)
    head.write("hourly")
    with head_file.open("a") as f:
        f.write("not a head record\n")
    with pytest.raises(CommandError, match="line 2"):
        call_command("verify_audit")


def test_r_s3_without_a_head_file_verify_says_so(world, settings, capsys):
    settings.HARBOUR_AUDIT_HEAD_FILE = ""
    events(world, 1)
    call_command("verify_audit")
    assert "not recorded outside the database" in capsys.readouterr().out


def test_r_s3_the_hourly_job_writes_the_head(world, head_file):
    from audit.tasks import write_trail_head

    events(world, 2)
    write_trail_head.call()
    assert json.loads(head_file.read_text())["seq"] == AuditEvent.objects.last().seq


@pytest.mark.sqlite_run
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite files; runs once")
def test_r_s3_a_backup_writes_the_head_it_recorded(tmp_path):
    """`manage.py backup` on a real site: the head in the backup's header is also appended to the head file."""
    import secrets

    from backups.snapshots import read_header
    from tests.durability.crash import environment, manage

    head_path = tmp_path / "audit-head.log"
    env = environment(tmp_path) | {"HARBOUR_BACKUP_KEY": secrets.token_hex(32),
                                   "HARBOUR_AUDIT_HEAD_FILE": str(head_path)}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", "from audit.log import Action, record; [record(actor=None, action=Action.CREATE, "
                               "object_type='test', object_id=n) for n in range(5)]")
    manage(env, "backup", str(tmp_path / "site.backup"))
    header = read_header(tmp_path / "site.backup")
    line = json.loads(head_path.read_text().splitlines()[-1])
    assert (line["seq"], line["mac"], line["reason"]) == (header["audit_events"], header["audit_head"], "backup")
    assert header["audit_events"] >= 5
    assert "1 record of the trail's head" in manage(env, "verify_audit").stdout


def test_r_s3_a_deployment_without_a_head_file_is_warned(settings):
    from audit.apps import head_is_recorded

    settings.HARBOUR_AUDIT_HEAD_FILE = ""
    assert [w.id for w in head_is_recorded(None)] == ["audit.W001"]
    settings.HARBOUR_AUDIT_HEAD_FILE = "/var/log/harbour/audit-head.log"
    assert head_is_recorded(None) == []

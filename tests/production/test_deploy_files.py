"""deploy/ is complete and consistent (issue 21.3): every variable settings.py reads is in the environment template,
every scheduled job has its timer at the job's interval, and systemd accepts the units. Cheap: runs in the SQLite
run of `make test` (the PostgreSQL run starts the stack itself, tests/production/test_stack.py)."""

import os
import re
import shutil
import subprocess
from datetime import timedelta

import pytest

from tests.production.stack import CHECKOUT, DEPLOY, ROOT, env_template, timer_jobs, unit

pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="files only; runs once, in SQLite run")

ENV_READ = re.compile(r"""\b(?:env|envbool|envint|envkeys|required|_key)\(\s*"([A-Z][A-Z0-9_]+)"|"""
                      r"""os\.environ\.get\(\s*"([A-Z][A-Z0-9_]+)\"""")


def variables_read_by(path):
    return {a or b for a, b in ENV_READ.findall(path.read_text())}


def variables_in_template():
    """Every KEY in deploy/harbour.env.example, set or commented out with its default."""
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (DEPLOY / "harbour.env.example").read_text(), flags=re.M))


def test_the_environment_template_lists_every_variable_harbour_reads():
    read = variables_read_by(ROOT / "harbour" / "settings.py") | variables_read_by(
        ROOT / "backups" / "snapshots.py") | variables_read_by(ROOT / "lib" / "pdf.py")
    assert read >= {"SECRET_KEY", "DATABASE_URL", "HARBOUR_BEHIND_PROXY", "HARBOUR_BACKUP_KEY"}  # the walk works
    assert read - variables_in_template() == set()


def test_the_template_sets_what_production_behind_caddy_needs():
    values = env_template()
    assert values["HARBOUR_BEHIND_PROXY"] == "1" and values["HARBOUR_PROXY_COUNT"] == "1"
    assert values["HARBOUR_SITE_URL"].startswith("https://")
    assert all(values.get(k) == "" for k in ("SECRET_KEY", "HARBOUR_AUDIT_KEY", "HARBOUR_TRANSFER_KEY",
                                               "HARBOUR_BACKUP_KEY")), "secrets are left blank to fill in"
    assert "DEBUG" not in values and "HARBOUR_DEMO_MODE" not in values


def _interval(on_calendar):
    if on_calendar == "hourly":
        return timedelta(hours=1)
    if match := re.fullmatch(r"\*:0/(\d+)", on_calendar):
        return timedelta(minutes=int(match.group(1)))
    if re.fullmatch(r"\*-\*-\* \d\d:\d\d:\d\d", on_calendar):
        return timedelta(days=1)
    raise AssertionError(f"an OnCalendar this test does not read: {on_calendar}")


def test_every_scheduled_job_has_a_timer_firing_at_its_interval():
    from harbour.management.commands.run_scheduled import JOBS

    timers = timer_jobs()
    assert sorted(timers.values()) == sorted(JOBS)
    for name, job in timers.items():
        assert _interval(unit(name)["Timer"]["OnCalendar"]) == JOBS[job][0], name


def test_the_units_run_the_checkout_with_the_environment_file():
    for name in ("harbour-web.service", "harbour-worker.service", "harbour-job@.service"):
        service = unit(name)["Service"]
        assert service["EnvironmentFile"] == "/etc/harbour/harbour.env"
        assert service["WorkingDirectory"] == CHECKOUT  # gunicorn reads gunicorn.conf.py from there
        assert service["User"] == "harbour"
        assert service["ExecStart"].startswith(CHECKOUT + "/.venv/bin/")


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    """`systemd-analyze verify`, with /opt/harbour read as this checkout (it checks that the programs exist)."""
    for path in DEPLOY.glob("harbour-*"):
        (tmp_path / path.name).write_text(path.read_text().replace(CHECKOUT, str(ROOT)))
    (tmp_path / "harbour-job@backup.service").write_text((tmp_path / "harbour-job@.service").read_text())
    units = ["harbour-web.service", "harbour-worker.service", "harbour-job@backup.service",
             *sorted(p.name for p in tmp_path.glob("harbour-*.timer"))]
    result = subprocess.run(["systemd-analyze", "verify", *units], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


@pytest.mark.skipif(not shutil.which("caddy"), reason="caddy is not installed")
def test_caddy_reads_the_caddyfile_with_several_web_servers():
    env = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", "HARBOUR_DOMAIN": "harbour.example.org",
           "HARBOUR_TLS": "it@example.org", "HARBOUR_UPSTREAMS": "127.0.0.1:8000 10.0.0.12:8000"}
    result = subprocess.run(["caddy", "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert '"dial":"127.0.0.1:8000"' in result.stdout and '"dial":"10.0.0.12:8000"' in result.stdout
    assert '"email":"it@example.org"' in result.stdout or "it@example.org" in result.stdout

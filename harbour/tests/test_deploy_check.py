"""Production settings pass `manage.py check --deploy`; demo mode does not."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def deploy_check(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HARBOUR_", "DEBUG", "DJANGO_"))}
    env.update(SECRET_KEY="x7" * 30 + "Q-unique-production-like-secret", HARBOUR_AUDIT_KEY="k" * 64,
               HARBOUR_TRANSFER_KEY="ab" * 32, DATABASE_URL="", **extra)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deployment_checks():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_r_s1_demo_mode_fails_the_deployment_checks():
    result = deploy_check(HARBOUR_DEMO_MODE="1")
    assert result.returncode != 0 and "harbour.E001" in result.stdout + result.stderr


def test_a_broken_procedure_definition_stops_start_up(monkeypatch):
    from harbour.checks import procedures_are_valid
    from procedures import schema

    assert procedures_are_valid(None) == []

    def broken(*args, **kwargs):
        raise schema.ProcedureDefinitionError("nudes-sharing.toml: outcomes must include managed_in_school")

    monkeypatch.setattr(schema, "load_all", broken)
    errors = procedures_are_valid(None)
    assert [e.id for e in errors] == ["harbour.E003"] and "nudes-sharing.toml" in errors[0].msg

"""Rule S1: demo mode (which shows the demo trust's second-factor codes) starts only on this machine, over plain
HTTP. Before, only `check --deploy` refused it, and nothing runs that when a server starts.

Each start is a real one in a fresh process: `manage.py check` and `runserver`, and gunicorn, which runs no
system checks, so harbour/wsgi.py asks the same question when it loads Harbour.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from harbour.checks import demo_mode_only_on_this_machine, is_loopback, server_addresses

pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="no database involved; runs once")
ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

# What `make run` sets (scripts/run.sh).
LAPTOP = dict(HARBOUR_DEMO_MODE="1", HARBOUR_HTTPS="0", DEBUG="0", HARBOUR_SITE_URL="http://127.0.0.1:8000",
              HARBOUR_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage")


def environment(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HARBOUR_", "DEBUG", "DJANGO_", "ALLOWED_HOSTS", "CSRF_", "GUNICORN_", "PORT"))}
    env.update(SECRET_KEY="x7" * 30 + "Q-demo-start-test", HARBOUR_AUDIT_KEY="k" * 64, HARBOUR_TRANSFER_KEY="7e" * 32,
               DATABASE_URL="",
               HARBOUR_SQLITE_PATH=str(tmp_path / "harbour.sqlite3"), **extra)
    return env


def check(tmp_path, **extra):
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environment(tmp_path, **extra),
                          capture_output=True, text=True, timeout=120)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_r_s1_make_runs_settings_start(tmp_path):
    result = check(tmp_path, **LAPTOP)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("change", [
    {"HARBOUR_HTTPS": True, "SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True},  # production's default
    {"ALLOWED_HOSTS": ["harbour.oakfield.example"]},
    {"ALLOWED_HOSTS": ["*"]},
    {"SITE_URL": "https://harbour.oakfield.example"},
    {"SITE_URL": "https://127.0.0.1:8000"},
    {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},  # HARBOUR_BEHIND_PROXY
    {"AXES_IPWARE_PROXY_COUNT": 1},  # HARBOUR_PROXY_COUNT
    {"CSRF_TRUSTED_ORIGINS": ["https://harbour.oakfield.example"]},
])
def test_r_s1_demo_mode_with_a_public_or_https_setting_is_refused(settings, change):
    settings.HARBOUR_DEMO_MODE = True
    for name, value in {"HARBOUR_HTTPS": False, "SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False,
                        "ALLOWED_HOSTS": ["127.0.0.1", "localhost"], "SITE_URL": "http://127.0.0.1:8000",
                        "CSRF_TRUSTED_ORIGINS": [], "SECURE_PROXY_SSL_HEADER": None,
                        "AXES_IPWARE_PROXY_COUNT": None}.items():
        setattr(settings, name, value)
    assert demo_mode_only_on_this_machine(None) == []
    for name, value in change.items():
        setattr(settings, name, value)
    assert [e.id for e in demo_mode_only_on_this_machine(None)] == ["harbour.E004"]
    settings.HARBOUR_DEMO_MODE = False
    assert demo_mode_only_on_this_machine(None) == []


def test_r_s1_a_production_configuration_with_demo_mode_does_not_start(tmp_path):
    result = check(tmp_path, HARBOUR_DEMO_MODE="1", ALLOWED_HOSTS="harbour.brightwater.example",
                   HARBOUR_SITE_URL="https://harbour.brightwater.example")
    assert result.returncode != 0 and result.stderr.count("harbour.E004") == 3


def test_r_s1_runserver_on_every_address_refuses_demo_mode(tmp_path):
    port = free_port()
    result = subprocess.run([sys.executable, "manage.py", "runserver", f"0.0.0.0:{port}", "--noreload"],
                            cwd=ROOT, env=environment(tmp_path, **LAPTOP), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "harbour.E004" in result.stderr
    assert "listen on 0.0.0.0" in result.stderr


def serve(tmp_path, bind, **extra):
    return subprocess.Popen([GUNICORN, "harbour.wsgi", *(["--bind", bind] if bind else []), "--workers", "1",
                             "--log-level", "error"],
                            cwd=ROOT, env=environment(tmp_path, **LAPTOP, **extra), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def answers(port):
    """Harbour answers on `port`: its web health check replies, healthy or not (these servers' databases are not
    migrated, so it says 503 with its JSON)."""
    try:
        response = requests.get(f"http://127.0.0.1:{port}/healthz/web", timeout=1)
    except requests.RequestException:
        return False
    return response.status_code in (200, 503) and "checks" in response.json()


@pytest.mark.parametrize("how", ["--bind", "PORT"])
def test_r_s1_gunicorn_refuses_demo_mode_on_every_address(tmp_path, how):
    port = free_port()
    refused = serve(tmp_path, f"0.0.0.0:{port}") if how == "--bind" else serve(tmp_path, None, PORT=str(port))
    try:
        output, _ = refused.communicate(timeout=90)
    finally:
        if refused.poll() is None:
            os.killpg(refused.pid, 9)
    assert refused.returncode != 0 and "harbour.E004" in output
    assert "listen on 0.0.0.0" in output and not answers(port)


def test_r_s1_gunicorn_serves_demo_mode_on_loopback_as_make_run_does(tmp_path):
    port = free_port()
    started = serve(tmp_path, f"127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not answers(port) and started.poll() is None:
            time.sleep(0.2)
        assert answers(port), started.poll()
    finally:
        os.killpg(started.pid, 15)
        started.wait(timeout=20)


def test_the_addresses_a_server_will_listen_on_are_read_as_the_server_reads_them(monkeypatch):
    assert server_addresses(["manage.py", "runserver"]) == ["127.0.0.1"]
    assert server_addresses(["manage.py", "runserver", "8001", "--noreload"]) == ["127.0.0.1"]
    assert server_addresses(["manage.py", "runserver", "-6"]) == ["::1"]
    assert server_addresses(["manage.py", "runserver", "0:8000"]) == ["0.0.0.0"]
    assert server_addresses(["manage.py", "runserver", "[::]:8000"]) == ["::"]
    assert server_addresses(["manage.py", "runserver", "harbour.example:80"]) == ["harbour.example"]
    assert server_addresses(["manage.py", "check"]) == []
    gunicorn = "/srv/harbour/.venv/bin/gunicorn"
    # (gunicorn's default with PORT set, 0.0.0.0:$PORT, is read when gunicorn starts: the test below starts it.)
    for argv, port, expected in [
        ([gunicorn, "harbour.wsgi", "--bind", "127.0.0.1:8000"], None, ["127.0.0.1"]),
        ([gunicorn, "harbour.wsgi", "-b", "[::1]:8000", "-b", "10.0.0.5:8000"], None, ["::1", "10.0.0.5"]),
        ([gunicorn, "harbour.wsgi", "--bind=unix:/run/harbour.sock"], None, ["unix socket"]),
        ([gunicorn, "harbour.wsgi"], None, ["127.0.0.1"]),
        ([gunicorn, "harbour.wsgi"], "--bind 0.0.0.0:80", ["0.0.0.0"]),
    ]:
        monkeypatch.setattr(sys, "argv", argv)
        if port:
            monkeypatch.setenv("GUNICORN_CMD_ARGS", port)
        else:
            monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
        assert server_addresses(argv) == expected, argv


def test_loopback_means_this_machine_only():
    assert all(map(is_loopback, ["127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost", ".localhost", "LOCALHOST"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "*", "", "10.0.0.5", "harbour.example", "localhost.example",
                                     "unix socket"]))

"""The production stack on this machine, started as docs/deploy.md says, for tests/production/test_stack.py.

Everything comes from deploy/: the environment from deploy/harbour.env.example (its uncommented lines, with this
run's secrets, addresses and folders in place of the blanks), gunicorn and the worker from the ExecStart lines of
deploy/harbour-web.service and deploy/harbour-worker.service (with /opt/harbour read as this checkout and a free
port), the scheduled jobs from the deploy/harbour-*.timer files, and Caddy from deploy/Caddyfile, with its internal
certificate authority (HARBOUR_TLS=internal) and bound to 127.0.0.1. Each process runs in its own process group,
and `stop()` ends the group; nothing is left running.
"""

from __future__ import annotations

import configparser
import email
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.mail import SmtpServer, free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PYTHON = sys.executable
CHECKOUT = "/opt/harbour"  # where deploy/ expects the checkout; here it is this one


def env_template():
    """The uncommented KEY=VALUE lines of deploy/harbour.env.example, as systemd's EnvironmentFile reads them."""
    values = {}
    for line in (DEPLOY / "harbour.env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def unit(name):
    """A systemd unit file as sections of settings (the last value of a setting wins, as in systemd)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text())
    return parser


def exec_start(name, **replace):
    """The unit's ExecStart as an argument list, /opt/harbour read as this checkout, with `replace`d arguments."""
    args = shlex.split(unit(name)["Service"]["ExecStart"])
    args = [a.replace(CHECKOUT + "/.venv/bin/python", PYTHON).replace(CHECKOUT + "/.venv/bin/", str(
        Path(PYTHON).parent) + "/").replace(CHECKOUT, str(ROOT)) for a in args]
    return [replace.get(a, a) for a in args]


def timer_jobs():
    """{timer file: the job its service runs} for every deploy/harbour-*.timer."""
    jobs = {}
    for path in sorted(DEPLOY.glob("harbour-*.timer")):
        service = unit(path.name)["Timer"]["Unit"]
        jobs[path.name] = re.fullmatch(r"harbour-job@(\w+)\.service", service).group(1)
    return jobs


class Process:
    """One long-running process in its own process group, its output in a log file."""

    def __init__(self, name, args, env, log_dir: Path):
        self.name, self.args, self.env = name, args, env
        self.log_path = log_dir / f"{name}.log"
        self.proc = None

    def start(self):
        self.log = self.log_path.open("ab")
        self.proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def terminate(self):
        """Ask it to stop (SIGTERM to its group) without waiting: several stop side by side, then `stop()` waits."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        self.proc = None
        self.log.close()

    def output(self):
        return self.log_path.read_text(errors="replace")


def wait_for(what, check, within=30.0, every=0.1):
    """Call `check` until it returns something true, and return that; fail naming `what` after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        try:
            result = check()
        except requests.RequestException:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {within:.0f} s for {what}")
        time.sleep(every)


class Mailbox(SmtpServer):
    """An SMTP server on 127.0.0.1 (tests/mail.py) standing in for the trust's mail relay; keeps every message."""

    def __init__(self):
        super().__init__()
        self.messages: list[email.message.Message] = []

    def keep(self, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))

    def to(self, address, containing=""):
        with self.lock:
            found = []
            for m in self.messages:
                if address in m.get("To", ""):
                    body = m.get_payload(decode=True) if not m.is_multipart() else \
                        m.get_payload(0).get_payload(decode=True)
                    text = m.get("Subject", "") + "\n" + (body or b"").decode(errors="replace")
                    if containing in text:
                        found.append(text)
            return found

    def link_for(self, address, within=30.0):
        """The one-time "choose your password" link emailed to `address`."""
        def find():
            for text in self.to(address, "/account/welcome/"):
                return re.search(r"https://\S+/account/welcome/\S+/", text).group(0)
        return wait_for(f"the password link emailed to {address}", find, within=within)


class Caddy(Process):
    """deploy/Caddyfile, bound to 127.0.0.1, with Caddy's internal certificate authority, no admin endpoint and
    its data (certificates, the root) in the test's own folder."""

    def __init__(self, name, folder: Path, data: Path | None = None):
        """`data`: Caddy's data folder (its certificate authority); another Caddy's, to keep the same root."""
        folder.mkdir(parents=True, exist_ok=True)
        data = data or folder / "data"
        self.port, http_port = free_port(), free_port()
        text = (DEPLOY / "Caddyfile").read_text()
        # One line added: listen on 127.0.0.1 only (a server listens on every address).
        config = re.sub(r"^\{\$HARBOUR_DOMAIN\} \{$", "{$HARBOUR_DOMAIN} {\n\tbind 127.0.0.1", text, flags=re.M)
        assert config != text, "deploy/Caddyfile's site block was not found"
        (folder / "Caddyfile").write_text(config)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder),
               "XDG_DATA_HOME": str(data), "XDG_CONFIG_HOME": str(folder / "config"),
               "HARBOUR_DOMAIN": f"127.0.0.1:{self.port}", "HARBOUR_TLS": "internal",
               "HARBOUR_UPSTREAMS": "",
               "HARBOUR_CADDY_ADMIN": "off", "HARBOUR_HTTP_PORT": str(http_port),
               "HARBOUR_HTTPS_PORT": str(self.port)}
        super().__init__(name, [shutil.which("caddy") or "caddy", "run", "--config", str(folder / "Caddyfile"),
                                "--adapter", "caddyfile"], env, folder)
        self.data = data
        self.root_cert = data / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        self.base = f"https://127.0.0.1:{self.port}"

    def start(self, upstreams=None):
        if upstreams is not None:
            self.env["HARBOUR_UPSTREAMS"] = " ".join(f"127.0.0.1:{p}" for p in upstreams)
        super().start()

        def answering():  # over TLS, its certificate issued by its internal authority, a web server behind it
            if not self.running():
                raise AssertionError("Caddy did not start:\n" + self.output()[-3000:])
            if not self.root_cert.exists():
                return False
            return requests.get(self.base + "/healthz/web", verify=str(self.root_cert), timeout=5).status_code == 200
        wait_for(f"{self.name} to answer over HTTPS", answering, within=30)
        return self


class Browser:
    """A person's HTTPS session through Caddy (requests, trusting Caddy's root), posting forms as a browser does:
    with the CSRF token from its cookie and a Referer of the same origin."""

    def __init__(self, base, root_cert):
        self.base = base
        self.session = requests.Session()
        # Given with each request: requests lets REQUESTS_CA_BUNDLE in the environment override a session's own.
        self.verify = str(root_cert)

    def get(self, path, **kwargs):
        url = path if path.startswith("http") else self.base + path
        return self.session.get(url, timeout=30, verify=self.verify, **kwargs)

    def post(self, path, data=None, files=None, follow=False):
        url = path if path.startswith("http") else self.base + path
        if "csrftoken" not in self.session.cookies:
            self.get(path)
        data = {"csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""), **(data or {})}
        return self.session.post(url, data=data, files=files, timeout=60, allow_redirects=follow,
                                 headers={"Referer": url}, verify=self.verify)


def totp_now(key_base32: str, step_after: int | None = None) -> tuple[str, int]:
    """The authenticator app's code for `key_base32` now (or for the first time step after `step_after`), and
    its time step."""
    from base64 import b32decode

    from django_otp.oath import totp

    key = b32decode(key_base32 + "=" * (-len(key_base32) % 8))
    step = int(time.time()) // 30
    if step_after is not None and step <= step_after:
        time.sleep((step_after + 1) * 30 - time.time() + 0.2)
        step = int(time.time()) // 30
    return f"{totp(key, step=30, t0=0, digits=6):06d}", step


def new_secrets():
    return {"SECRET_KEY": secrets.token_urlsafe(50), "HARBOUR_AUDIT_KEY": secrets.token_hex(32),
            "HARBOUR_TRANSFER_KEY": secrets.token_hex(32), "HARBOUR_BACKUP_KEY": secrets.token_hex(32)}

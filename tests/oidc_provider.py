"""A real OpenID Connect provider for the sign-in tests: panva/oidc-provider (OpenID Certified), pinned in
tests/oidc/package-lock.json and run by Node from tests/oidc/server.mjs on 127.0.0.1. It is installed from the lock
file on first use (`ensure_provider`, like the HTML checker) and started once per test module (`running`).

The tests make the provider's signing key themselves (`Provider.key`), so that a test can also sign an ID token with
it on purpose: a token for another audience, an expired one, one from the wrong issuer (see the tests' docstrings).
"""

import json
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc"
SERVER = PROVIDER_DIR / "server.mjs"
INSTALLED = PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID = "harbour-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"  # noqa: S105 - the tests' own provider on 127.0.0.1


def ensure_provider():
    """Install oidc-provider from the lock file if it is missing (npm ci, offline after the first time)."""
    if not INSTALLED.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed once to install the tests' OpenID provider: apt-get install npm")
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],  # nosec B603 - fixed arguments
                       cwd=PROVIDER_DIR, check=True, capture_output=True, timeout=300)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    key: RSAKey
    redirect_uris: list
    accounts: dict = field(default_factory=dict)

    def sign(self, claims, key=None):
        """An ID token signed with the provider's own key (or `key`), as the provider would sign it."""
        key = key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


@contextmanager
def running(*, redirect_uris, accounts):
    """Start the provider; `accounts` maps the email address typed at its sign-in page to {"email", "name"}."""
    ensure_provider()
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is needed for the tests' OpenID provider: apt-get install nodejs")
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True, auto_kid=True)
    config = {
        "port": port, "issuer": issuer, "accounts": accounts, "jwks": {"keys": [key.as_dict(private=True)]},
        "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris}],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(config, f)
    process = subprocess.Popen([node, str(SERVER), f.name], stdout=subprocess.PIPE, stderr=subprocess.PIPE,  # nosec B603 - fixed arguments
                               text=True)
    try:
        line = process.stdout.readline()
        if not line.startswith("READY"):
            raise RuntimeError(f"The OpenID provider did not start: {line}{process.stderr.read()}")
        yield Provider(issuer=issuer, key=key, redirect_uris=redirect_uris, accounts=accounts)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        Path(f.name).unlink(missing_ok=True)


def sign_in_at_provider(authorize_url, login, *, mfa=False, session=None):
    """What a person does at the provider's page, over HTTP: follow the authorisation request, type their address,
    say whether they used a second factor. Returns the URL the provider sends them back to (Harbour's)."""
    import requests

    parts = urlsplit(authorize_url)
    issuer = f"{parts.scheme}://{parts.netloc}"
    browser = session or requests.Session()
    url = authorize_url
    for _ in range(10):
        if "/interaction/" in url:
            browser.get(url, timeout=10)
            form = {"login": login, "password": "anything", **({"mfa": "1"} if mfa else {})}
            response = browser.post(url + "/login", data=form, allow_redirects=False, timeout=10)
        else:
            response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code not in (302, 303):
            raise RuntimeError(f"The provider answered {response.status_code}: {response.text[:300]}")
        url = urljoin(url, response.headers["location"])
        if not url.startswith(issuer):
            return url
    raise RuntimeError("The provider's sign-in did not finish")

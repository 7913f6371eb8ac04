import ipaddress
import os
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_is_not_for_production(app_configs, **kwargs):
    """Production always requires a real second factor: demo mode shows codes on screen."""
    if settings.HARBOUR_DEMO_MODE:
        return [
            Error(
                "HARBOUR_DEMO_MODE is on: it shows demo accounts' second-factor codes on screen.",
                hint="Unset HARBOUR_DEMO_MODE on any server that holds real records.",
                id="harbour.E001",
            )
        ]
    return []


def is_loopback(host):
    """Whether `host` (a name or an address, with or without [ ]) can only mean this machine."""
    host = (host or "").strip().lstrip(".").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True  # RFC 6761: localhost names resolve to loopback only
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_of(address):
    """The host part of "host:port", "[v6]:port", "host" or "port"."""
    if address.startswith("["):
        return address[1:].split("]", 1)[0]
    if address.count(":") > 1:
        return address  # a bare IPv6 address
    return address.rpartition(":")[0] if ":" in address else address


def server_addresses(argv=None):
    """The addresses the server being started will listen on, where that can be known: `manage.py runserver`
    (its argument, or Django's default 127.0.0.1) and gunicorn (its own reading of its command line,
    GUNICORN_CMD_ARGS and gunicorn.conf.py; with no bind it takes 0.0.0.0:$PORT when PORT is set). A Unix socket
    or an inherited descriptor counts as not loopback: something else, such as a proxy, is in front. Otherwise
    (`manage.py check`, migrate, another server) an empty list: only the settings can tell."""
    argv = sys.argv if argv is None else argv
    program = argv[0] if argv else ""
    if "runserver" in argv[1:3]:
        from django.core.management.commands.runserver import naiveip_re

        rest = argv[argv.index("runserver") + 1:]
        given = [a for a in rest if not a.startswith("-")]
        default = "::1" if {"-6", "--ipv6"} & set(rest) else "127.0.0.1"
        if not given:
            return [default]
        match = naiveip_re.match(given[0])
        if match is None:
            return [given[0]]
        addr = match["addr"] or default
        return ["0.0.0.0" if addr == "0" else addr.strip("[]")]  # nosec B104 - a name for "everywhere", compared
    if "gunicorn" in os.path.basename(program) or program.endswith(os.path.join("gunicorn", "__main__.py")):
        return [_host_of(b) for b in _gunicorn_binds()]
    return []


def _gunicorn_binds():
    from gunicorn.app.wsgiapp import WSGIApplication

    try:
        cfg = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg
    except (Exception, SystemExit):  # gunicorn itself refuses its configuration before it starts anything
        return ["unknown"]
    return [b if not b.startswith(("unix:", "fd://")) else "unix socket" for b in cfg.bind]


@register(Tags.security)
def demo_mode_only_on_this_machine(app_configs, **kwargs):
    """Demo mode shows the demo trust's second-factor codes on screen: it runs only on a laptop, served over
    plain HTTP to this machine alone. Checked at every start (runserver, migrate, seed_demo, check) and by
    harbour/wsgi.py when gunicorn loads Harbour, which runs no system checks of its own."""
    if not settings.HARBOUR_DEMO_MODE:
        return []
    problems = []
    if settings.HARBOUR_HTTPS or settings.SECURE_SSL_REDIRECT or settings.SESSION_COOKIE_SECURE:
        problems.append("HTTPS is on (HARBOUR_HTTPS): a laptop demo is served over plain HTTP")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) or getattr(settings, "AXES_IPWARE_PROXY_COUNT", None):
        problems.append("it is set up to run behind a proxy (HARBOUR_BEHIND_PROXY, HARBOUR_PROXY_COUNT)")
    hosts = [h for h in settings.ALLOWED_HOSTS if not is_loopback(h)]
    if hosts:
        problems.append(f"ALLOWED_HOSTS names {', '.join(hosts)}, not only this machine")
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "http" or not is_loopback(site.hostname):
        problems.append(f"HARBOUR_SITE_URL is {settings.SITE_URL}, not http:// on this machine")
    origins = [o for o in settings.CSRF_TRUSTED_ORIGINS if not is_loopback(urlsplit(o).hostname)]
    if origins:
        problems.append(f"CSRF_TRUSTED_ORIGINS names {', '.join(origins)}")
    listening = [a for a in server_addresses() if not is_loopback(a)]
    if listening:
        problems.append(f"the server would listen on {', '.join(listening)}, not only on 127.0.0.1 or ::1")
    return [Error(f"HARBOUR_DEMO_MODE is on but {problem}. Demo mode shows second-factor codes on screen, so it "
                  "runs only on this machine.",
                  hint="Unset HARBOUR_DEMO_MODE on any server; for a demo, use `make run` (127.0.0.1, plain HTTP).",
                  id="harbour.E004") for problem in problems]


def refuse_unsafe_demo_mode():
    """For WSGI servers, which run no system checks: stop here rather than serve demo mode to a network."""
    from django.core.exceptions import ImproperlyConfigured

    errors = demo_mode_only_on_this_machine(None)
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))


@register(Tags.security, deploy=True)
def https_is_on(app_configs, **kwargs):
    if not settings.HARBOUR_HTTPS:
        return [Error("HARBOUR_HTTPS is off: cookies would travel unencrypted.", id="harbour.E002")]
    return []


@register()
def procedures_are_valid(app_configs, **kwargs):
    """Procedure definitions are validated at start-up: a broken file stops the server."""
    from procedures.schema import ProcedureDefinitionError, load_all

    try:
        load_all()
    except ProcedureDefinitionError as error:
        return [Error(f"A procedure definition is invalid: {error}", id="harbour.E003")]
    return []


@register(Tags.security, deploy=True)
def school_account_issuers_use_https(app_configs, **kwargs):
    """Tests let a school account's provider be plain http on this machine (accounts/oidc.py); a server never does."""
    if settings.HARBOUR_OIDC_ALLOW_LOOPBACK_HTTP:
        return [Error("HARBOUR_OIDC_ALLOW_LOOPBACK_HTTP is on: it is for the tests' own OpenID provider.",
                      hint="Unset it: Microsoft and Google sign-in use https.", id="harbour.E022")]
    return []

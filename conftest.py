
import pytest
from django.db.backends.base.operations import BaseDatabaseOperations

from audit.chain import MAINTENANCE_ROLE, allow_purge

# Between transactional tests Django empties every table (`flush`), the audit trail included. The append-only
# triggers refuse that; only the flush's own statements pass them, inside allow_purge: on PostgreSQL as the
# maintenance role, which gets TRUNCATE on the tables for it (the test runner connects as a superuser).
_original_flush = BaseDatabaseOperations.execute_sql_flush


def _execute_sql_flush_allowing_audit_purge(self, sql_list):
    if self.connection.vendor == "postgresql":
        with self.connection.cursor() as cursor:
            cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {MAINTENANCE_ROLE}")
    with allow_purge(self.connection):
        return _original_flush(self, sql_list)


BaseDatabaseOperations.execute_sql_flush = _execute_sql_flush_allowing_audit_purge


# The named people of tests/people.py (three schools, eleven people with their memberships and devices, two pupils)
# are built once per test module and shared by its tests, as Django's TestCase.setUpTestData shares a class's data:
# the module's world is built inside a transaction that is rolled back when the module ends, each test's own changes
# are rolled back after it (a savepoint inside that transaction, as with any test), and each test reads the world's
# rows afresh into instances of its own. So every test still starts from the world as built, at about a tenth of the
# cost. A module with a test that commits (a browser journey, a live server, `transaction=True`) builds the world
# for each test as before: a transaction held open across its tests would hold its rows from the server's threads.
# In a shared module the tests that do not ask for the world run first, before it is built, so that none of them
# finds it in the database (`pytest_collection_modifyitems` below).
_SHARED_WORLD_MODULES = set()
_COMMITTING_FIXTURES = {"transactional_db", "live_server", "django_db_serialized_rollback",
                        "django_db_reset_sequences"}


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    """The ids of this module's shared world, built in a transaction held for the module; None where the module's
    tests build their own."""
    if str(request.node.path) not in _SHARED_WORLD_MODULES:
        yield None
        return
    from django.db import transaction

    from tests.people import build_world, world_ids

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = world_ids(build_world())
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db):
    from tests.people import build_world, world_again

    return build_world() if _module_world is None else world_again(_module_world)


def _commits(item):
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(transactional) or bool(_COMMITTING_FIXTURES & set(getattr(item, "fixturenames", ())))


# Fixtures a test may ask for before `world` that put nothing in the database: the world being there first changes
# nothing for them. A test that asks for another fixture first (one that makes a trust through a command, say)
# built that fixture's rows before the world's, so its module keeps building the world for each test.
_INERT_FIXTURES = {"client", "settings", "db", "rf", "caplog", "monkeypatch", "tmp_path", "capsys", "time_machine",
                   "django_assert_num_queries", "django_assert_max_num_queries", "django_capture_on_commit_callbacks",
                   "smtp", "mailoutbox"}


def _asks_for_something_first(item):
    names = list(getattr(getattr(item, "_fixtureinfo", None), "argnames", ()))
    return "world" in names and any(name not in _INERT_FIXTURES for name in names[:names.index("world")])


def _share_worlds(items):
    """Choose the modules whose tests share one world (none of their tests commits, none walks the access matrix's
    world, none asks for a fixture that writes before the world), and within each let the tests that do not ask for
    the world go first (the same places, in another order)."""
    by_module = {}
    for position, item in enumerate(items):
        by_module.setdefault(str(item.path), []).append(position)
    _SHARED_WORLD_MODULES.clear()
    for module, positions in by_module.items():
        tests = [items[p] for p in positions]
        names = [set(getattr(item, "fixturenames", ())) for item in tests]
        if not any("world" in n for n in names) or any(_commits(t) for t in tests) or any(
                "matrix_world" in n for n in names) or any(_asks_for_something_first(t) for t in tests):
            continue
        _SHARED_WORLD_MODULES.add(module)
        ordered = [t for t, n in zip(tests, names, strict=True) if "world" not in n] + [
            t for t, n in zip(tests, names, strict=True) if "world" in n]
        for position, item in zip(positions, ordered, strict=True):
            items[position] = item


@pytest.fixture(scope="session")
def smtp_server():
    """One SMTP server for the whole run (tests/mail.py): it keeps nothing between tests that `smtp` does not clear."""
    from tests.mail import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(settings, smtp_server):
    """Django's mail goes through a real SMTP server for this test: the list of what it received, as (recipients,
    the message's text), empty when the test starts."""
    smtp_server.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    return smtp_server.received


def pytest_terminal_summary(terminalreporter):
    """Print each test family's figure (crash durability, access matrix…) after the run."""
    from tests.figures import FIGURES

    if FIGURES:
        terminalreporter.section("figures")
        for family, text in FIGURES:
            terminalreporter.write_line(f"{family}: {text}")


# `make test` runs the suite twice, on SQLite and on PostgreSQL, side by side (scripts/test.sh). A test that
# touches no database gives the same answer in both runs, so it runs in one of them only, chosen by its file; so
# does a browser journey, on the database of the run it falls to (tests/runs.py). A test that must run in one run
# says which: `sqlite_run` (SQLite files, a server started on its own database) or `postgresql` (it reaches the
# PostgreSQL server itself: a backup of a new database, the production stack).
_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                      "live_server"}


def uses_database(item):
    return item.get_closest_marker("django_db") is not None or bool(_DATABASE_FIXTURES & set(item.fixturenames))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    _share_out(config, items)
    _share_worlds(items)


def _share_out(config, items):
    from tests.runs import SHARE, ours

    if not SHARE:
        return

    def here(item):
        if item.get_closest_marker("browser"):  # (the prefix shares the journeys' time out about evenly)
            return ours("page " + str(item.path.relative_to(config.rootpath)))
        if uses_database(item) or item.get_closest_marker("sqlite_run") or item.get_closest_marker("postgresql"):
            return True  # the markers' own skipif leaves them to their run
        return ours(str(item.path.relative_to(config.rootpath)))

    elsewhere = [item for item in items if not here(item)]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if here(item)]


# The live server answers each request in a thread of its own; on in-memory SQLite those threads share the test's one
# connection (Django cannot do otherwise: the database lives in that connection). Two requests at once, as a page's
# fragments and its autosave can be, then interleave their transactions on it and one fails with "database is
# locked" (seen under load: a report page's pupil fragment beside an autosave). So there, and only there, the
# application answers one request at a time (connections are still threaded, so a keep-alive one blocks nothing).
def _serialise_shared_connection():
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATimeOnASharedConnection(ThreadedWSGIServer):
        def set_app(self, application):
            if not self.connections_override:
                return super().set_app(application)
            lock = threading.Lock()

            def one_at_a_time(environ, start_response):
                with lock:
                    response = application(environ, start_response)
                    # A streamed body is read here too, and the response closed (Django's request_finished), while
                    # no other request can touch the connection.
                    try:
                        return [b"".join(response)]
                    finally:
                        if hasattr(response, "close"):
                            response.close()

            return super().set_app(one_at_a_time)

    LiveServerThread.server_class = OneRequestAtATimeOnASharedConnection


_serialise_shared_connection()

"""The bench's PostgreSQL (issue 24.3): the server `make test` installs, started as scripts/test.sh starts it
(initdb as the postgres user when run as root, trust authentication on 127.0.0.1, a free port, a socket in the data
directory), except that its data directory is kept between runs so that a data set is built once, and that it keeps
fsync on, as production does (scripts/test.sh turns it off for speed).

The data directory is $HARBOUR_BENCH_PGDATA or /var/tmp/harbour-bench-pg (outside the checkout, so the postgres user
can reach it when the bench runs as root). Stopped when the bench ends, even on failure.
"""

import glob
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

# Settings for a 2-core machine with a few GB of memory; docs/deploy.md's production PostgreSQL uses the same kind.
SETTINGS = {"shared_buffers": "256MB", "effective_cache_size": "1GB", "work_mem": "16MB", "max_connections": "100",
            "random_page_cost": "1.1", "jit": "off"}


def binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in Path(p).parent.name.split(".")
                                                                          if x.isdigit()])
    if not found:
        raise SystemExit("PostgreSQL is not installed: run `make test` once (it installs it), or apt-get install "
                         "postgresql")
    return Path(found[-1])


def _as_postgres(args):
    if os.getuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def data_dir():
    return Path(os.environ.get("HARBOUR_BENCH_PGDATA", "/var/tmp/harbour-bench-pg"))


@contextmanager
def server(port):
    """Start the bench's PostgreSQL on 127.0.0.1:`port` (initdb the first time); yield its version string."""
    pgbin, root = binaries(), data_dir()
    data = root / "data"
    if not (data / "PG_VERSION").exists():
        root.mkdir(parents=True, exist_ok=True)
        root.chmod(0o755)
        if os.getuid() == 0:
            shutil.chown(root, "postgres")
        subprocess.run(_as_postgres([str(pgbin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E",
                                     "UTF8"]), check=True, capture_output=True)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 " + " ".join(
        f"-c {k}={v}" for k, v in SETTINGS.items())
    log = root / "log"
    started = subprocess.run(_as_postgres([str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o",
                                           options, "start"]), capture_output=True, text=True)
    if started.returncode != 0:
        raise SystemExit(f"PostgreSQL did not start:\n{started.stdout}{started.stderr}\n"
                         f"{log.read_text()[-2000:] if log.exists() else ''}")
    try:
        version = subprocess.run([str(pgbin / "postgres"), "--version"], capture_output=True, text=True).stdout.strip()
        yield version
    finally:
        subprocess.run(_as_postgres([str(pgbin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)


def url(port, name):
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def ensure_database(port, name):
    """Create database `name` if it does not exist; True if it was created."""
    import psycopg

    with psycopg.connect(url(port, "postgres"), autocommit=True) as con:
        if con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        con.execute(f'CREATE DATABASE "{name}"')  # nosec B608 - the name is the bench's own constant
        return True


def drop_database(port, name):
    import psycopg

    with psycopg.connect(url(port, "postgres"), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')  # nosec B608 - the name is the bench's own constant


def scalar(port, name, sql):
    import psycopg

    with psycopg.connect(url(port, name)) as con:
        return con.execute(sql).fetchone()[0]


def analyze(port, name):
    import psycopg

    with psycopg.connect(url(port, name), autocommit=True) as con:
        con.execute("ANALYZE")

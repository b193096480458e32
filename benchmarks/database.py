"""The benchmark database: one the builder made itself, and marked as its own.

The builder (build_data.py, and class_pages.py for its file) empties and fills only
a database it created: a SQLite file or a PostgreSQL database whose name contains
"bench" (never "test", the test suite's), created when missing and marked there and
then with a table, bench_marker, that no model owns (so manage.py flush leaves it).
A database it finds already there without that table (a developer's, the test
suite's, anyone's) is refused before anything is written to it: the marker is read
without writing (a SQLite file read-only, since Django's connection would switch it
to WAL), and the scripts exit with the reason, having changed nothing.
"""

import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from django_setup import ROOT, production_env, setup

MARKER = "bench_marker"
CREATED_BY = "benchmarks/database.py"


class Refused(Exception):
    """A database the benchmark scripts must not touch, or a build they will not make."""


@dataclass
class Target:
    url: str
    vendor: str  # "sqlite", or the URL's scheme: "postgres", "postgresql"
    name: str  # the SQLite file's absolute path, or the database's name

    def __str__(self):
        return f"{self.vendor} {self.name}"


def locate(url):
    """The database of a URL, read as dj-database-url reads it; a relative SQLite path
    is made absolute from the project root, whatever the current folder."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path[1:])  # sqlite:////absolute, sqlite:///relative
        path = path if path.is_absolute() else ROOT / path
        return Target(f"sqlite:///{path}", "sqlite", str(path))
    return Target(url, parts.scheme, parts.path.lstrip("/"))


def check_name(target, allow_any=False):
    name = Path(target.name).name if target.vendor == "sqlite" else target.name
    if name == "test":
        raise Refused("the test suite uses the database named 'test'.")
    if not allow_any and "bench" not in name:
        raise Refused("a benchmark database's name contains 'bench'.")
    if target.vendor != "sqlite" and not target.vendor.startswith("postgres"):
        raise Refused("the benchmarks run on SQLite or PostgreSQL.")


def _admin(target):
    import psycopg

    admin = urlsplit(target.url)._replace(path="/postgres").geturl()
    return psycopg.connect(admin, autocommit=True)


def exists(target):
    if target.vendor == "sqlite":
        return Path(target.name).exists()
    with _admin(target) as conn:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        return conn.execute(query, [target.name]).fetchone() is not None


def create(target):
    """Create the database and mark it at once, before Django ever opens it."""
    print(f"Creating {target}", file=sys.stderr, flush=True)
    if target.vendor == "sqlite":
        path = Path(target.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):  # left by an earlier file of that name
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        with closing(sqlite3.connect(path)) as conn:
            mark(conn.cursor(), "?")
            conn.commit()
    else:
        import psycopg

        with _admin(target) as conn:
            conn.execute(f'CREATE DATABASE "{target.name}"')
        with psycopg.connect(target.url) as conn:  # commits on leaving
            mark(conn.cursor())


def mark(cursor, placeholder="%s"):
    """Write the marker with a DB-API cursor: sqlite3's (placeholder "?"), psycopg's or
    Django's. Only in a database the builder has just created (and the tests')."""
    cursor.execute(
        f"CREATE TABLE {MARKER} (created_by varchar(100) NOT NULL, created_at varchar(40) NOT NULL)"
    )
    cursor.execute(
        f"INSERT INTO {MARKER} (created_by, created_at) VALUES ({placeholder}, {placeholder})",
        [CREATED_BY, datetime.now(UTC).isoformat(timespec="seconds")],
    )


def marked(target):
    """Whether an existing database holds the marker, read without writing to it: one
    that cannot be read counts as unmarked."""
    try:
        if target.vendor == "sqlite":
            conn = sqlite3.connect(f"file:{quote(target.name)}?mode=ro", uri=True)
            query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
        else:
            import psycopg

            conn = psycopg.connect(target.url)
            query = "SELECT count(*) FROM pg_class WHERE oid = to_regclass(%s)"
    except Exception:
        return False
    try:
        return conn.execute(query, [MARKER]).fetchone()[0] > 0
    except Exception:
        return False
    finally:
        conn.close()


def refusal(which):
    return Refused(
        f"{which} has no {MARKER} table, so the benchmark builder did not create it, and it "
        "empties and fills only databases it created. Nothing was changed. Remove it yourself, "
        "or point DATABASE_URL at a database that does not exist yet, with 'bench' in its "
        "name: the builder creates it."
    )


def open_database(url, *, allow_any=False):
    """Set Django up in this process against the benchmark database at url, creating and
    marking it when it is missing; exit, having changed nothing, when it is not one the
    builder created. Returns the Target."""
    target = locate(url)
    try:
        check_name(target, allow_any)
        if not exists(target):
            create(target)
        elif not marked(target):
            raise refusal("it")
        setup(production_env(target.url))
        require_ours()
    except Refused as error:
        sys.exit(f"Refusing {target}: {error}")
    return target


# ------------------------------------------------------------------ through Django


def is_ours():
    from django.db import connection

    with connection.cursor() as cursor:
        return MARKER in connection.introspection.table_names(cursor)


def require_ours():
    """Raise Refused unless the database of Django's connection holds the marker."""
    from django.db import connection

    if not is_ours():
        raise refusal(f"the database {connection.vendor} {connection.settings_dict['NAME']}")


def empty():
    """Empty every table of the apps (manage.py flush, which leaves the marker alone, as
    no model owns it); a SQLite file is compacted too, as small as a new one."""
    from django.core.management import call_command
    from django.db import connection

    require_ours()
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")

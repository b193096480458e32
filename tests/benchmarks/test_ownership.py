"""The benchmark builder empties and fills only databases it created itself, and
refuses any other before it writes a thing: the test database, a SQLite file it did
not make, a name not for benchmarks."""

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import build_data
import data
import database
import pytest
from django.contrib.auth.models import User
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def contents():
    """Every table of the database and its number of rows."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: build_data.fill(students=2, classes=1, runners=0, reset=True, verbosity=0),
        lambda: build_data.fill(students=2, classes=1, runners=0, verbosity=0),
        lambda: data.build(students=2),
        database.empty,
    ],
    ids=["fill with reset", "fill", "build", "empty"],
)
def test_the_test_database_is_refused_and_left_as_it_was(student, attempt):
    before = contents()

    with pytest.raises(database.Refused, match="bench_marker.*Nothing was changed"):
        attempt()

    assert contents() == before
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    assert database.MARKER not in before


def run_builder(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "build_data.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_sqlite_file_it_did_not_create_is_refused_untouched(tmp_path):
    path = tmp_path / "bench-someone-elses.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body text)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    done = run_builder(
        "--reset", "--students", "2", "--classes", "1", "--database", f"sqlite:///{path}"
    )

    assert done.returncode != 0
    assert "Refusing sqlite" in done.stderr and "no bench_marker table" in done.stderr
    assert "Nothing was changed" in done.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no -wal, no -shm


def test_it_creates_and_marks_its_own_database_and_builds_there_again_only_with_reset(tmp_path):
    path = tmp_path / "bench-own.sqlite3"
    url = f"sqlite:///{path}"
    sizes = ["--students", "2", "--classes", "1", "--runners", "0"]

    first = run_builder(*sizes, "--database", url)
    again = run_builder(*sizes, "--database", url)

    assert first.returncode == 0, first.stderr
    assert f"Creating sqlite {path}" in first.stderr
    assert "Built 2 students in 1 classes" in first.stdout
    with sqlite3.connect(path) as conn:
        [(created_by,)] = conn.execute(f"SELECT created_by FROM {database.MARKER}").fetchall()
        students = conn.execute(
            "SELECT count(*) FROM auth_user WHERE username LIKE 'bench-student-%'"
        ).fetchone()
    conn.close()
    assert created_by == database.CREATED_BY and students == (2,)
    assert again.returncode != 0
    assert "already holds benchmark data: use --reset" in again.stderr


@pytest.mark.parametrize(
    "url, allow_any, refused",
    [
        ("postgres://postgres@127.0.0.1:5432/test", True, "the test suite uses"),
        ("postgres://postgres@127.0.0.1:5432/learning", False, "contains 'bench'"),
        ("sqlite:///db.sqlite3", False, "contains 'bench'"),
        ("mysql://root@127.0.0.1/bench", False, "SQLite or PostgreSQL"),
        ("postgres://postgres@127.0.0.1:5432/learning", True, None),
        ("postgres://postgres@127.0.0.1:5432/bench_2", False, None),
        ("sqlite:///benchmarks/results/bench.sqlite3", False, None),
    ],
)
def test_names_not_for_benchmarks_are_refused(url, allow_any, refused):
    target = database.locate(url)

    if refused:
        with pytest.raises(database.Refused, match=refused):
            database.check_name(target, allow_any)
    else:
        database.check_name(target, allow_any)


def test_a_relative_sqlite_path_is_read_from_the_project_root():
    target = database.locate("sqlite:///benchmarks/results/bench.sqlite3")

    assert target.name == str(ROOT / "benchmarks" / "results" / "bench.sqlite3")
    assert target.url == f"sqlite:///{target.name}"

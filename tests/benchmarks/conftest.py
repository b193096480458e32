"""The benchmark scripts import their siblings by name, as `python benchmarks/x.py`
does (sys.path[0] is their folder): so do these tests."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


@pytest.fixture
def bench_database(db):
    """The test database, marked as the builder's own for the test: with the test's
    transaction the mark goes; a test that commits (transaction=True) has it dropped."""
    import database
    from django.db import connection

    with connection.cursor() as cursor:
        database.mark(cursor)
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {database.MARKER}")

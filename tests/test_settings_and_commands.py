"""Start-up settings and the make targets a newcomer runs first."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def run(args, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "DJANGO_SECRET_KEY"}}
    env.update(env_changes)
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("debug", [None, "0"], ids=["unset", "zero"])
def test_debug_off_without_secret_key_is_a_one_line_startup_error(debug):
    changes = {} if debug is None else {"DJANGO_DEBUG": debug}

    result = run([sys.executable, "manage.py", "check"], **changes)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DJANGO_SECRET_KEY" in lines[0]


def test_debug_off_with_a_secret_key_starts():
    result = run(
        [sys.executable, "manage.py", "check"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-secret-for-this-test-only",
    )

    assert result.returncode == 0, result.stderr


def make_dry_run(target):
    # -B prints every step, as on a fresh clone, even where .venv is already set up.
    result = run(["make", "-n", "-B", target])
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def position(lines, fragment):
    return next(i for i, line in enumerate(lines) if fragment in line)


def test_make_run_installs_migrates_seeds_then_serves():
    lines = make_dry_run("run")

    steps = [
        position(lines, "python3 -m venv .venv"),
        position(lines, "pip install --quiet -e ."),
        position(lines, "manage.py migrate"),
        position(lines, "manage.py load_seed_course"),
        position(lines, "manage.py seed_demo"),
        position(lines, "manage.py runserver 127.0.0.1:8000"),
    ]
    assert steps == sorted(steps)


def test_make_test_installs_dev_extras_checks_migrations_and_runs_pytest():
    lines = make_dry_run("test")

    steps = [
        position(lines, "pip install --quiet -e '.[dev]'"),
        position(lines, "manage.py makemigrations --check --dry-run"),
        position(lines, ".venv/bin/pytest"),
    ]
    assert steps == sorted(steps)


def test_make_lint_runs_ruff():
    lines = make_dry_run("lint")

    assert any("ruff check" in line for line in lines)
    assert any("ruff format --check" in line for line in lines)


def test_make_serve_uses_gunicorn_after_collectstatic():
    lines = make_dry_run("serve")

    assert position(lines, "collectstatic") < position(lines, "gunicorn config.wsgi")

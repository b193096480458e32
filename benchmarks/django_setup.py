"""Django for the benchmark scripts: the production settings (DEBUG off, a secret key
made for the run, 127.0.0.1 the only host) against a benchmark database.

The scripts run as `python benchmarks/<script>.py`, so their siblings import by name
(sys.path[0] is this folder); importing this module puts the project root on
sys.path too, for config and the apps.
"""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
RESULTS = BENCH / "results"
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = f"sqlite:///{RESULTS / 'bench.sqlite3'}"
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))


def log(message):
    print(message, file=sys.stderr, flush=True)


def database_url():
    """DATABASE_URL, else the harness's own SQLite file."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def production_env(url):
    """The environment variables of the production settings, against the database at url."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": url,
    }


def setup(env):
    """Set Django up in this process with env (from production_env), which also goes to
    os.environ, so that the processes this one starts get the same settings."""
    os.environ.update(env)
    import django

    django.setup()

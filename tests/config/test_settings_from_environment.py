"""Settings read from the environment: a typo stops start-up with one line naming the
variable; the proxy and Redis switches set what they promise; production settings pass
`check --deploy` with no warning.

Start-up is checked in a fresh process: settings are read once, at import."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.settings import SettingError, env_bool, env_int

BASE_DIR = Path(settings.BASE_DIR)
# Variables of this module's tests; the rest of the environment (PATH, DATABASE_URL) stays.
OURS = ("DJANGO_", "REDIS_URL", "EMAIL_")


def run(args, **variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(variables)
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)


def settings_of(names, **variables):
    """The named settings as a fresh process reads them from `variables`."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    result = run([sys.executable, "-c", code], DJANGO_DEBUG="1", **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def one_line_error(result):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# ---------------------------------------------------------------- typos stop start-up

YES_NO = "write 1/0, true/false, yes/no or on/off"


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("DJANGO_DEBUG", "ture", YES_NO),
        ("DJANGO_BEHIND_PROXY", "maybe", YES_NO),
        ("EMAIL_USE_TLS", "enabled", YES_NO),
        ("EMAIL_PORT", "twenty-five", "is not a whole number"),
        ("DJANGO_CONN_MAX_AGE", "60s", "is not a whole number"),
        ("DJANGO_SESSION_IDLE_SECONDS", "2h", "is not a whole number"),
        ("DJANGO_LOGIN_FAILURE_LIMIT", "0", "must be at least 1"),
        ("DJANGO_THROTTLE_SIGNUP", "60 an hour", "COUNT/SECONDS"),
        ("DJANGO_TRUSTED_PROXIES", "10.0.0.300", "not an address or network"),
        ("REDIS_URL", "127.0.0.1:6379", "redis://HOST:PORT/DB"),
        ("DJANGO_LOG_LEVEL", "loud", "DEBUG, INFO, WARNING, ERROR or CRITICAL"),
    ],
)
def test_a_mistyped_value_stops_start_up_with_one_line_naming_it(variable, value, says):
    variables = {"DJANGO_DEBUG": "1", variable: value}

    result = run([sys.executable, "manage.py", "check"], **variables)

    line = one_line_error(result)
    assert line.startswith("Error: ")
    assert variable in line
    assert says in line


def test_a_mistyped_redis_url_is_not_echoed_with_its_password():
    result = run(
        [sys.executable, "manage.py", "check"], DJANGO_DEBUG="1", REDIS_URL="redis//:s3cret@db"
    )

    line = one_line_error(result)
    assert "REDIS_URL" in line
    assert "s3cret" not in line


def test_a_mistyped_value_stops_a_bare_django_setup_too():
    code = "import django; django.setup()"

    result = run([sys.executable, "-c", code], DJANGO_DEBUG="ture")

    assert YES_NO in one_line_error(result)


def test_a_proxy_count_with_no_proxy_trusted_is_refused():
    result = run(
        [sys.executable, "manage.py", "check"], DJANGO_DEBUG="1", DJANGO_TRUSTED_PROXY_COUNT="2"
    )

    line = one_line_error(result)
    assert "DJANGO_TRUSTED_PROXY_COUNT" in line
    assert "DJANGO_BEHIND_PROXY=1 or DJANGO_TRUSTED_PROXIES" in line


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("TRUE", True), (" Yes ", True), ("on", True)]
    + [("0", False), ("False", False), ("no", False), ("OFF", False)],
)
def test_yes_no_values_are_read_whatever_their_case(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_SWITCH", value)

    assert env_bool("SOME_SWITCH", default=not expected) is expected


@pytest.mark.parametrize("value", [None, "", "  "])
def test_an_absent_or_empty_value_is_the_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("SOME_SETTING", raising=False)
    else:
        monkeypatch.setenv("SOME_SETTING", value)

    assert env_bool("SOME_SETTING", default=True) is True
    assert env_int("SOME_SETTING", 7) == 7


def test_a_bad_setting_is_what_django_calls_improperly_configured(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SOME_SWITCH", "ture")

    with pytest.raises(ImproperlyConfigured) as raised:
        env_bool("SOME_SWITCH")
    assert isinstance(raised.value, SettingError)


# ---------------------------------------------------------------- proxy and Redis switches


def test_without_a_proxy_no_proxy_header_is_believed():
    found = settings_of(["SECURE_PROXY_SSL_HEADER", "BEHIND_PROXY", "TRUSTED_PROXIES"])

    assert found == {"SECURE_PROXY_SSL_HEADER": None, "BEHIND_PROXY": False, "TRUSTED_PROXIES": []}


def test_behind_a_proxy_https_is_read_from_x_forwarded_proto():
    found = settings_of(
        ["SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "TRUSTED_PROXY_COUNT"],
        DJANGO_BEHIND_PROXY="1",
    )

    assert found == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "USE_X_FORWARDED_HOST": False,
        "TRUSTED_PROXY_COUNT": 1,
    }


def test_trusted_proxies_and_their_count_are_read():
    found = settings_of(
        ["TRUSTED_PROXIES", "TRUSTED_PROXY_COUNT"],
        DJANGO_TRUSTED_PROXIES="10.0.0.0/24, 192.0.2.1",
        DJANGO_TRUSTED_PROXY_COUNT="2",
    )

    assert found == {"TRUSTED_PROXIES": ["10.0.0.0/24", "192.0.2.1"], "TRUSTED_PROXY_COUNT": 2}


def test_a_fresh_clone_caches_in_local_memory_with_database_sessions():
    found = settings_of(["CACHES", "SESSION_ENGINE"])

    assert found["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_with_redis_the_cache_is_redis_and_sessions_are_cached_db():
    found = settings_of(
        ["CACHES", "SESSION_ENGINE", "AXES_HANDLER"], REDIS_URL="redis://10.0.0.9:6379/2"
    )

    assert found["CACHES"]["default"] == {
        "BACKEND": "config.cache.ForgivingRedisCache",
        "LOCATION": "redis://10.0.0.9:6379/2",
    }
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    # Lock-outs stay rows in the shared database (config/settings.py says why).
    assert found["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"


# ---------------------------------------------------------------- the deploy check


def production(**more):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "learn.example.org",
        "DJANGO_BEHIND_PROXY": "1",
        **more,
    }


@pytest.mark.parametrize("redis", [False, True], ids=["local-memory", "redis"])
def test_production_settings_pass_the_deploy_check_with_no_warning(redis):
    extra = {"REDIS_URL": "redis://127.0.0.1:6379/15"} if redis else {}

    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **production(**extra),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_still_catches_what_it_is_for():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **production(DJANGO_SECURE_COOKIES="0"),
    )

    assert result.returncode != 0
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE

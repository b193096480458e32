"""Response headers: Permissions-Policy on every answer; HSTS preload only when the
operator asks for it."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.security.servers import ROOT

POLICY = ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/healthz", 200), ("/no-such-page/", 404), ("/accounts/login/", 200)],
)
def test_every_answer_turns_off_the_browser_features_no_page_uses(client, db, path, status):
    response = client.get(path)

    assert response.status_code == status
    policy = [part.strip() for part in response["Permissions-Policy"].split(",")]
    assert set(POLICY) <= set(policy)


def test_a_refusal_before_any_view_has_the_policy_too(client, db):
    too_large = client.generic(
        "POST", "/accounts/login/", b"x", CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1)
    )

    assert too_large.status_code == 413
    assert "camera=()" in too_large["Permissions-Policy"]


HSTS_OF_A_SECURE_REQUEST = """
import django
django.setup()
from django.test import Client
response = Client().get("/healthz", secure=True)
print(response.status_code, response.headers.get("Strict-Transport-Security"))
"""


def hsts_header(tmp_path, **env_changes):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-secret-for-this-test-only",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env_changes,
    )
    result = subprocess.run(
        [sys.executable, "-c", HSTS_OF_A_SECURE_REQUEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, header = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "200"
    return header


def test_hsts_is_sent_without_preload_by_default(tmp_path):
    header = hsts_header(tmp_path)

    assert "max-age=31536000" in header
    assert "includeSubDomains" in header
    assert "preload" not in header


def test_hsts_preload_is_the_operators_choice(tmp_path):
    header = hsts_header(tmp_path, DJANGO_HSTS_PRELOAD="1")

    assert header.endswith("; preload")

"""Security events are logged one line each, with the user and path, never a password,
and user input cannot forge a line."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.security.conftest import client_as, paper

SECRET = "Sup3r-secret-passw0rd!"


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.WARNING, logger="security")

    def lines(event=None):
        found = [r.getMessage() for r in caplog.records if r.name == "security"]
        return [line for line in found if event is None or line.startswith(f"event={event} ")]

    return lines


def test_rejected_tampering_is_logged(world, security_log):
    (q1, _), *_ = paper(world.attempt)
    client = client_as(world, "student")

    client.post(reverse("quizzes:save", args=[world.attempt.pk]), {f"q{q1}": "999999"})

    [line] = security_log("answer_rejected")
    assert 'user="alice"' in line
    assert f'path="/attempts/{world.attempt.pk}/save/"' in line
    assert f'attempt="{world.attempt.pk}"' in line
    assert f'reason="That choice does not belong to question {q1}."' in line


def test_rejected_submit_is_logged(world, security_log):
    client = client_as(world, "student")

    client.post(reverse("quizzes:submit", args=[world.attempt.pk]), {"shown": "x"})

    [line] = security_log("answer_rejected")
    assert 'reason="That is not a valid question id."' in line


def test_access_denied_is_logged(world, security_log):
    client = client_as(world, "student")

    response = client.get(reverse("teaching:teach"))

    assert response.status_code == 403
    [line] = security_log("access_denied")
    assert line == 'event=access_denied user="alice" path="/teach/" method=GET'


def test_a_failed_login_is_logged_without_the_password(world, security_log, caplog):
    Client().post(reverse("login"), {"username": "alice", "password": SECRET})

    [line] = security_log("login_failed")
    assert line == 'event=login_failed user="alice" path="/accounts/login/" method=POST'
    assert SECRET not in caplog.text


def test_a_lock_out_is_logged_once_with_the_address(world, security_log, caplog):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": SECRET})

    [line] = security_log("locked_out")
    assert line == (
        'event=locked_out user="alice" path="/accounts/login/" method=POST ip="203.0.113.9"'
    )
    assert len(security_log("login_failed")) == settings.AXES_FAILURE_LIMIT
    assert SECRET not in caplog.text


def test_a_bad_request_is_logged(world, security_log):
    client = client_as(world, "student")
    body = "&".join(f"f{n}=1" for n in range(1001))

    client.generic(
        "POST",
        reverse("quizzes:save", args=[world.attempt.pk]),
        body,
        "application/x-www-form-urlencoded",
    )

    [line] = security_log("bad_request")
    assert 'user="alice"' in line and 'reason="TooManyFieldsSent"' in line


@pytest.mark.parametrize(
    "username",
    [
        'mallory\nevent=login_ok user="ada" path="/admin/"',
        'mallory\revent=login_ok user="ada"',
        'mallory" user="ada',
        "mallory\u2028event=login_ok",
        "mallory\x1b[2Kevent=login_ok",
    ],
)
def test_a_username_cannot_forge_a_log_line(world, security_log, username):
    Client().post(reverse("login"), {"username": username, "password": SECRET})

    lines = security_log()
    assert len(lines) == 1
    [line] = lines
    assert line.isprintable()  # no newline, carriage return or escape code left
    assert line.startswith("event=login_failed user=")
    assert line.endswith(' path="/accounts/login/" method=POST')
    assert 'user="ada"' not in line.replace('\\"', "")


def test_a_path_cannot_forge_a_log_line(world, security_log):
    client = client_as(world, "student")

    client.get("/teach/%0Aevent=login_ok%20user=%22ada%22")  # a 404, not logged
    client.get("/teach/?x=%0Aevent=login_ok")

    [line] = security_log("access_denied")
    assert line.isprintable()

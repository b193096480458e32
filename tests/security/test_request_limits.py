"""A request body over the limit is refused with 413 before a byte of it is read."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from tests.pages import visible_text
from tests.security import servers

TOO_LARGE = "This request is too large: the limit is 3 MB, so nothing was saved."
MULTIPART = "multipart/form-data; boundary=xyz"
CSRF_COOKIE = "k" * 32


def declared(client, path, length, **extra):
    """A POST that says it carries `length` bytes (and carries a few)."""
    return client.generic(
        "POST", path, b"--xyz\r\n", MULTIPART, CONTENT_LENGTH=str(length), **extra
    )


def test_the_limit_is_3_mb_by_default():
    assert settings.MAX_REQUEST_BYTES == 3 * 1024 * 1024


def test_a_huge_post_to_the_login_page_gets_the_413_page(client, db):
    response = declared(client, reverse("login"), 200 * 1024 * 1024)

    assert response.status_code == 413
    page = visible_text(response)
    assert TOO_LARGE in page
    assert "Make the file or text smaller and try again." in page
    assert "Back to the courses" in page


def test_a_background_save_too_large_is_told_so_in_json(student_client):
    response = declared(
        student_client,
        "/attempts/1/save/",
        settings.MAX_REQUEST_BYTES + 1,
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 413
    assert response.json() == {
        "saved": False,
        "error": TOO_LARGE + " Make the file or text smaller and try again.",
    }


def test_a_refused_signup_makes_no_account(client, db):
    body = b"username=newbie&password1=treaty-lantern-47&password2=treaty-lantern-47"
    response = client.generic(
        "POST",
        reverse("signup"),
        body,
        "application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
    )

    assert response.status_code == 413
    assert not User.objects.filter(username="newbie").exists()


def test_a_body_within_the_limit_is_read_as_usual(client, student):
    # An explainer-sized file (1 MB) along the form: the log-in form answers as always.
    upload = b"x" * (1024 * 1024)
    body = (
        b'--xyz\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n'
        b'--xyz\r\nContent-Disposition: form-data; name="password"\r\n\r\npw-for-tests-1\r\n'
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="e.txt"\r\n\r\n'
        + upload
        + b"\r\n--xyz--\r\n"
    )

    response = client.generic("POST", reverse("login"), body, MULTIPART)

    assert response.status_code == 302


def test_the_limit_comes_from_the_environment(settings, client, db):
    settings.MAX_REQUEST_BYTES = 512 * 1024

    response = declared(client, reverse("login"), 600 * 1024)

    assert response.status_code == 413
    assert "the limit is 0.5 MB" in visible_text(response)


def test_a_chunked_body_is_refused_with_411(client, db):
    response = client.generic("POST", reverse("login"), b"", HTTP_TRANSFER_ENCODING="chunked")

    assert response.status_code == 411
    assert "This request did not say how large it is, so nothing was saved." in visible_text(
        response
    )


# ---------------------------------------------------------------- a real server, a real socket


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("limits")
    env = servers.production_env(f"sqlite:///{tmp / 'db.sqlite3'}")
    server = servers.gunicorn(env, tmp / "gunicorn.log")
    yield server
    server.stop()


def test_a_real_server_refuses_a_200_mb_post_without_reading_it(server):
    # Headers that announce 200 MB, then a few bytes and nothing more: a server that
    # tried to read the body would wait here until the client gave up. The CSRF cookie
    # of a browser that saw the page: without one Django refuses the form unread.
    head = (
        "POST /accounts/login/ HTTP/1.1\r\n"
        f"Host: {servers.HOST}\r\n"
        f"Cookie: csrftoken={CSRF_COOKIE}\r\n"
        f"Content-Type: {MULTIPART}\r\n"
        f"Content-Length: {200 * 1024 * 1024}\r\n\r\n"
    )
    started = time.monotonic()

    status, headers, body = servers.raw(server.port, head.encode() + b"--xyz\r\n", timeout=5)

    elapsed = time.monotonic() - started
    assert status == 413
    assert TOO_LARGE in visible_text(body)
    assert elapsed < 2, f"413 after {elapsed:.2f}s"


def test_a_real_server_answers_a_chunked_upload_with_411(server):
    head = (
        "POST /accounts/login/ HTTP/1.1\r\n"
        f"Host: {servers.HOST}\r\n"
        f"Cookie: csrftoken={CSRF_COOKIE}\r\n"
        f"Content-Type: {MULTIPART}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
        "7\r\n--xyz\r\n\r\n"
    )

    status, _, body = servers.raw(server.port, head.encode(), timeout=5)

    assert status == 411
    assert b"did not say how large it is" in body

"""Several app servers on one Redis: a session begun on one continues on another, a
log-out on one ends it on all, and the throttles count across all of them.

A second server is this process with its cache connections dropped (another_server):
what it reads comes from Redis or the database, never from memory it kept. The
two-instance run behind nginx is tested with the cluster script."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts import throttles
from config.cache import ForgivingRedisCache
from tests.config.conftest import another_server

pytestmark = pytest.mark.usefixtures("shared_state")

PASSWORD = "pw-for-tests-1"
SCHOOL = "198.51.100.10"
ELSEWHERE = "203.0.113.50"


def log_in(client, username="alice", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in_as(client):
    """Who the profile page serves, or None when it sends the client to log in."""
    response = client.get(reverse("profile"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
        return None
    assert response.status_code == 200
    return response.wsgi_request.user.username


def with_session_of(client):
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return other


def session_cache_key(shared_state, client):
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{shared_state}:1:django.contrib.sessions.cached_db{key}"


def test_a_session_begun_on_one_server_continues_on_another(student, shared_state, redis_server):
    browser = Client()
    assert log_in(browser).status_code == 302
    assert redis_server.exists(session_cache_key(shared_state, browser))

    Session.objects.all().delete()  # only Redis knows the session now
    another_server(settings)

    assert signed_in_as(with_session_of(browser)) == "alice"


def test_a_session_is_written_through_to_the_database(student, settings):
    browser = Client()
    assert log_in(browser).status_code == 302
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value

    # What a Redis that lost its data (a restart) falls back to.
    assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(student.pk)


def test_logging_out_on_one_server_ends_the_session_on_every_server(student, settings):
    browser = Client()
    assert log_in(browser).status_code == 302
    kept_cookie = with_session_of(browser)  # what a thief, or a second tab, would hold

    another_server(settings)
    assert browser.post(reverse("logout")).status_code == 302

    another_server(settings)
    assert signed_in_as(kept_cookie) is None


def test_throttle_counts_made_on_one_server_hold_on_another(db, settings, redis_server):
    limit = settings.THROTTLES["login_failed"][0]
    for _ in range(limit):
        throttles.hit("login_failed", SCHOOL)

    another_server(settings)

    assert log_in(Client(REMOTE_ADDR=SCHOOL), "someone", "wrong").status_code == 429
    assert log_in(Client(REMOTE_ADDR=ELSEWHERE), "someone", "wrong").status_code == 200


def test_two_cache_clients_see_the_same_counts(redis_url, shared_state):
    first = ForgivingRedisCache(redis_url, {"KEY_PREFIX": shared_state})
    second = ForgivingRedisCache(redis_url, {"KEY_PREFIX": shared_state})
    first.add("count", 0)

    first.incr("count")
    second.incr("count")
    first.incr("count", 3)

    assert first.get("count") == second.get("count") == 5


def test_a_missing_counter_still_says_so_when_redis_answers(redis_url, shared_state):
    # The throttles rely on it (accounts.throttles.hit): only a failure is forgiven.
    cache = ForgivingRedisCache(redis_url, {"KEY_PREFIX": shared_state})

    with pytest.raises(ValueError):
        cache.incr("never-set")


def test_a_lock_out_on_one_server_holds_on_another(student, settings):
    stranger = Client(REMOTE_ADDR=ELSEWHERE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(stranger, "alice", "wrong-password")

    another_server(settings)

    assert log_in(Client(REMOTE_ADDR=ELSEWHERE)).status_code == 429
    assert log_in(Client(REMOTE_ADDR=SCHOOL)).status_code == 302

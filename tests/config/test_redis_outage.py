"""Redis down: every page still renders, log-in works from the database sessions, the
throttles count nothing (they fail open) while the lock-out in the database still
holds, a Redis that hangs costs a request a fraction of a second, and nothing stale
comes back from Redis once it returns."""

import logging
import socket
import time

import pytest
import redis
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts import throttles
from config.cache import ForgivingRedisCache, ForgivingRedisClient
from tests.config.conftest import DOWN_URL, redis_cache
from tests.factories import make_quiz

PASSWORD = "pw-for-tests-1"
SCHOOL = "198.51.100.10"


def log_in(client, username="alice", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def student_pages(quiz):
    lesson = quiz.lesson
    return [
        reverse("home"),
        lesson.course.get_absolute_url(),
        lesson.get_absolute_url(),
        f"{lesson.get_absolute_url()}quiz/",
        "/progress/",
        "/review/",
        reverse("profile"),
    ]


@pytest.fixture
def quiz(db):
    quiz = make_quiz(questions=2)
    quiz.lesson.course.published = True
    quiz.lesson.course.save()
    return quiz


# ---------------------------------------------------------------- pages and log-in


def test_pages_render_for_anonymous_visitors(redis_down, quiz):
    client = Client()
    for page in student_pages(quiz)[:3]:
        assert client.get(page).status_code == 200, page


def test_a_student_logs_in_and_every_page_renders(redis_down, quiz, student, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        response = log_in(client)
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == str(student.pk)
        for page in student_pages(quiz):
            assert client.get(page).status_code == 200, page
        assert client.post(reverse("logout")).status_code == 302
        assert client.get(reverse("profile")).status_code == 302  # logged out for good

    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1  # one line for the outage, not one per cache call
    assert "serving without the cache" in warnings[0].getMessage()


def test_a_session_begun_before_the_outage_continues_through_it(
    settings, shared_state, student, quiz
):
    client = Client()
    assert log_in(client).status_code == 302

    settings.CACHES = redis_cache(DOWN_URL, shared_state)  # Redis goes away

    assert client.get("/progress/").status_code == 200
    assert client.get("/progress/").wsgi_request.user == student


# ---------------------------------------------------------------- throttles and lock-out


def test_throttles_fail_open_and_never_500(redis_down, db):
    limit = settings.THROTTLES["login_failed"][0]
    client = Client(REMOTE_ADDR=SCHOOL)

    statuses = {log_in(client, f"user{n}", "wrong").status_code for n in range(limit + 2)}

    assert statuses == {200}
    assert throttles.retry_after("login_failed", SCHOOL) is None
    signup = client.post(
        reverse("signup"),
        {"username": "newbie", "password1": "treaty-lantern-47", "password2": "treaty-lantern-47"},
    )
    assert signup.status_code == 302


def test_the_lock_out_still_holds_while_redis_is_down(redis_down, student):
    guesser = Client(REMOTE_ADDR=SCHOOL)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(guesser, "alice", "wrong-password")

    assert log_in(guesser).status_code == 429  # even the right password


# ---------------------------------------------------------------- the cache itself


def test_every_call_answers_as_a_miss(redis_down):
    cache = ForgivingRedisCache(DOWN_URL, {})

    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("key", "computed") == "computed"
    assert cache.add("key", 1) is False
    assert cache.set("key", 1) is None
    assert cache.set_many({"a": 1}) == []
    assert cache.incr("key") == 1
    assert cache.has_key("key") is False
    assert cache.touch("key") is False
    assert cache.delete("key") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.clear() is False


def test_a_redis_that_hangs_costs_a_page_a_fraction_of_a_second(settings, quiz):
    # Accepts connections (the kernel does, into the backlog) and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        settings.CACHES = redis_cache(f"redis://127.0.0.1:{port}/0", "hangs")
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

        started = time.monotonic()
        response = Client().get(quiz.lesson.get_absolute_url())
        elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < 1.5  # one 0.25 s timeout, then Redis is left alone for a while


# ---------------------------------------------------------------- Redis comes back


@pytest.fixture
def outage(monkeypatch):
    """Turn Redis off and on for this process: every command fails while it is off."""

    class Switch:
        def off(self):
            monkeypatch.setattr(redis.Redis, "execute_command", self._fail)

        def on(self):
            monkeypatch.undo()
            # Try Redis again at once instead of after RETRY_SECONDS.
            monkeypatch.setattr(ForgivingRedisClient, "RETRY_SECONDS", 0)

        @staticmethod
        def _fail(*args, **kwargs):
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    yield Switch()
    monkeypatch.undo()  # before the keys of the test are deleted


def test_a_key_deleted_during_the_outage_does_not_come_back(redis_url, shared_state, outage):
    cache = ForgivingRedisCache(redis_url, {"KEY_PREFIX": shared_state})
    cache.set("due-count", 3)

    outage.off()
    assert cache.delete("due-count") is False  # Redis still holds the 3
    outage.on()

    assert cache.get("due-count") is None


def test_a_log_out_during_the_outage_stays_a_log_out(settings, shared_state, student, outage):
    browser = Client()
    assert log_in(browser).status_code == 302
    kept_cookie = Client()
    kept_cookie.cookies[settings.SESSION_COOKIE_NAME] = browser.cookies[
        settings.SESSION_COOKIE_NAME
    ].value

    outage.off()
    assert browser.post(reverse("logout")).status_code == 302  # the database row goes
    outage.on()

    assert kept_cookie.get(reverse("profile")).status_code == 302  # to the log-in page


def test_many_failed_writes_empty_the_cache_when_redis_is_back(
    redis_url, shared_state, outage, monkeypatch
):
    monkeypatch.setattr(ForgivingRedisClient, "MAX_STALE_KEYS", 3)
    cache = ForgivingRedisCache(redis_url, {"KEY_PREFIX": shared_state})
    cache.set_many({"a": 1, "b": 2, "untouched": 3})

    outage.off()
    for key in ["a", "b", "c", "d"]:
        cache.delete(key)
    outage.on()

    assert cache.get_many(["a", "b", "untouched"]) == {}


def test_the_warning_comes_again_for_the_next_outage(redis_url, shared_state, outage, caplog):
    cache = ForgivingRedisCache(redis_url, {"KEY_PREFIX": shared_state})
    with caplog.at_level(logging.INFO, logger="config.cache"):
        outage.off()
        cache.get("a")
        cache.get("b")
        outage.on()
        cache.get("c")
        outage.off()
        cache.get("d")

    assert [r.getMessage()[:12] for r in caplog.records if r.name == "config.cache"] == [
        "Redis failed",
        "Redis answer",
        "Redis failed",
    ]

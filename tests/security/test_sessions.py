"""Sessions: expiry in the middle of a quiz, stale tabs, logout then Back, and the
login lock-out."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt
from tests.security.conftest import JSON, paper, saved_answers, snapshot

PASSWORD = "pw-for-tests-1"
SIGNED_OUT = "You are no longer logged in: log in again, then save. Answers saved before are kept."


def log_in(client, username="alice", password=PASSWORD, next_url=None, **extra):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, **extra)


@pytest.fixture
def browser(world):
    """A real log-in (not force_login), as a student's browser does it."""
    client = Client()
    assert log_in(client).status_code == 302
    return client


def session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def attempt_url(world, name="quizzes:attempt"):
    return reverse(name, args=[world.attempt.pk])


# ---------------------------------------------------------------- expiry mid-quiz


def end_session_on_the_server(how):
    if how == "row deleted":
        Session.objects.all().delete()
    else:
        Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


@pytest.mark.parametrize("how", ["row deleted", "expired"])
def test_background_save_after_the_session_ended_says_so_and_keeps_earlier_answers(
    world, browser, how
):
    (q1, c1), (q2, c2), _ = paper(world.attempt)
    browser.post(attempt_url(world, "quizzes:save"), {"shown": q1, f"q{q1}": c1[1]}, headers=JSON)
    end_session_on_the_server(how)
    before = snapshot()

    response = browser.post(
        attempt_url(world, "quizzes:save"), {"shown": q2, f"q{q2}": c2[0]}, headers=JSON
    )

    assert response.status_code == 403
    assert response.json() == {"saved": False, "error": SIGNED_OUT}
    assert snapshot() == before
    assert saved_answers(world.attempt) == {q1: [c1[1]]}


@pytest.mark.parametrize("action", ["quizzes:save", "quizzes:submit"])
def test_a_button_after_the_session_ended_goes_to_login_and_back_to_the_attempt(
    world, browser, action
):
    (q1, c1), (q2, c2), _ = paper(world.attempt)
    browser.post(attempt_url(world, "quizzes:save"), {"shown": q1, f"q{q1}": c1[1]})
    end_session_on_the_server("row deleted")

    response = browser.post(
        attempt_url(world, action), {"shown": [q1, q2], f"q{q2}": c2[0], "confirm": "yes"}
    )

    # Back to the attempt page after logging in, not to the POST-only address (a 405).
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={attempt_url(world)}"
    assert Attempt.objects.get(pk=world.attempt.pk).submitted_at is None

    again = log_in(browser, next_url=attempt_url(world))
    assert again["Location"] == attempt_url(world)
    page = browser.get(attempt_url(world)).content.decode()
    # Nothing lost: the answer saved before the session ended is still chosen.
    assert f'value="{c1[1]}" id="c{c1[1]}" checked' in page
    assert saved_answers(world.attempt) == {q1: [c1[1]]}


def test_autosave_keeps_a_working_student_logged_in(world, browser):
    (q1, c1), *_ = paper(world.attempt)
    key = session_key(browser)
    soon = timezone.now() + timedelta(minutes=1)
    # Nearly idle for the whole limit: the session would end in a minute.
    Session.objects.filter(session_key=key).update(expire_date=soon)
    session = browser.session
    session["renewed_at"] = 0
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=soon)

    browser.post(attempt_url(world, "quizzes:save"), {"shown": q1, f"q{q1}": c1[0]}, headers=JSON)

    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


# ---------------------------------------------------------------- stale tabs


def test_a_session_cookie_is_dead_after_logout(world, browser):
    (q1, c1), *_ = paper(world.attempt)
    stale = Client()  # another tab or device still holding the old cookie
    stale.cookies[settings.SESSION_COOKIE_NAME] = session_key(browser)
    assert stale.get(attempt_url(world)).status_code == 200

    browser.post(reverse("logout"))
    before = snapshot()

    saved = stale.post(
        attempt_url(world, "quizzes:save"), {"shown": q1, f"q{q1}": c1[0]}, headers=JSON
    )
    page = stale.get(attempt_url(world))

    assert saved.status_code == 403 and saved.json()["error"] == SIGNED_OUT
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    assert snapshot() == before


def test_logging_in_again_gives_a_new_session_and_the_old_one_stays_dead(world, browser):
    old = session_key(browser)
    browser.post(reverse("logout"))
    log_in(browser)

    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = old

    assert session_key(browser) != old
    assert stale.get(attempt_url(world)).status_code == 302
    assert browser.get(attempt_url(world)).status_code == 200


def test_a_stale_tab_of_one_student_cannot_write_into_the_next_students_session(world, browser):
    (q1, c1), *_ = paper(world.attempt)
    browser.post(reverse("logout"))
    log_in(browser, "bob")  # another student on the same computer
    before = snapshot()

    # alice's attempt page, still open, autosaves: bob's session must not reach her attempt.
    response = browser.post(
        attempt_url(world, "quizzes:save"), {"shown": q1, f"q{q1}": c1[0]}, headers=JSON
    )

    assert response.status_code == 404
    assert snapshot() == before


def test_logging_in_on_a_second_device_keeps_the_first_working(world, browser):
    (q1, c1), (q2, c2), _ = paper(world.attempt)
    second = Client()
    log_in(second)

    first = browser.post(
        attempt_url(world, "quizzes:save"), {"shown": q1, f"q{q1}": c1[0]}, headers=JSON
    )
    other = second.post(
        attempt_url(world, "quizzes:save"), {"shown": q2, f"q{q2}": c2[0]}, headers=JSON
    )

    assert first.json()["saved"] and other.json()["saved"]
    assert saved_answers(world.attempt) == {q1: [c1[0]], q2: [c2[0]]}


# ---------------------------------------------------------------- logout, then Back


@pytest.mark.parametrize("page", ["quizzes:attempt", "quizzes:result"])
def test_logout_then_back_shows_nothing(world, browser, page):
    pk = world.attempt.pk if page == "quizzes:attempt" else world.graded.pk
    url = reverse(page, args=[pk])
    seen = browser.get(url)
    assert seen.status_code == 200
    # Back would show the browser's copy: there must be none.
    assert "no-store" in seen["Cache-Control"] and "private" in seen["Cache-Control"]

    browser.post(reverse("logout"))
    back = browser.get(url)

    assert back.status_code == 302
    assert back["Location"] == f"{reverse('login')}?next={url}"


# ---------------------------------------------------------------- session keys


def test_login_rotates_the_session_key(world):
    client = Client()
    session = client.session  # an anonymous session, as a visitor's would be
    session["seen"] = True
    session.save()
    before = session.session_key

    log_in(client)

    after = session_key(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.get(session_key=after).get_decoded()[SESSION_KEY] == str(
        world.student.pk
    )


def test_logout_ends_the_session_on_the_server(world, browser):
    key = session_key(browser)
    assert Session.objects.filter(session_key=key).exists()

    response = browser.post(reverse("logout"))

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert browser.cookies[settings.SESSION_COOKIE_NAME].value == ""


# ---------------------------------------------------------------- lock-out

LIMIT = settings.AXES_FAILURE_LIMIT


def failures(client, username, count, **extra):
    return [log_in(client, username, "wrong-password", **extra) for _ in range(count)]


def comparable(response, username):
    """The page with the echoed username and the CSRF token taken out."""
    html = response.content.decode().replace(username, "USERNAME")
    return response.status_code, re.sub(r'value="[^"]{40,}"', 'value="TOKEN"', html)


def test_unknown_user_and_wrong_password_get_the_same_answer(world):
    wrong_password = log_in(Client(), "alice", "wrong-password")
    unknown_user = log_in(Client(), "nobody", "wrong-password")

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert comparable(wrong_password, "alice") == comparable(unknown_user, "nobody")
    assert "Please enter a correct username and password." in wrong_password.content.decode()


def test_repeated_failures_lock_the_account_from_that_address(world):
    client = Client()

    responses = failures(client, "alice", LIMIT)
    locked = log_in(client)  # even the right password

    assert [r.status_code for r in responses[:-1]] == [200] * (LIMIT - 1)
    for response in (responses[-1], locked):
        assert response.status_code == 429
        page = response.content.decode()
        assert "Too many failed log-ins" in page
        assert "paused for 15 minutes" in page
    assert SESSION_KEY not in client.session


def test_an_unknown_user_is_locked_out_the_same_way(world):
    known = failures(Client(), "alice", LIMIT)[-1]
    unknown = failures(Client(), "nobody", LIMIT)[-1]

    assert known.status_code == unknown.status_code == 429
    assert comparable(known, "alice") == comparable(unknown, "nobody")


def test_the_lock_lifts_after_the_cool_off(world):
    client = Client()
    failures(client, "alice", LIMIT)
    assert log_in(client).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    response = log_in(client)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.student.pk)


def test_a_lock_from_one_address_does_not_block_the_student_elsewhere(world):
    stranger = Client(REMOTE_ADDR="203.0.113.7")
    failures(stranger, "alice", LIMIT)
    assert log_in(stranger).status_code == 429

    student = Client(REMOTE_ADDR="198.51.100.20")
    response = log_in(student)

    assert response.status_code == 302
    assert student.session[SESSION_KEY] == str(world.student.pk)


def test_a_lock_on_one_username_does_not_block_others_at_that_address(world):
    client = Client()
    failures(client, "alice", LIMIT)

    response = log_in(client, "bob")

    assert response.status_code == 302


def test_a_form_from_an_out_of_date_page_gets_a_friendly_403(student):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    page = client.post("/classes/join/", {"code": "ABC"})
    background = client.post("/classes/join/", {"code": "ABC"}, HTTP_ACCEPT="application/json")

    assert page.status_code == 403
    assert b"This page was out of date" in page.content
    assert b"Back to the courses" in page.content
    assert background.status_code == 403
    assert background.json()["saved"] is False

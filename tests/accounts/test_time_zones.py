"""Every date a person sees is in their time zone, read from the session (no query)."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Profile
from accounts.profiles import TIME_ZONE_KEY
from quizzes.models import Attempt
from tests.factories import make_quiz
from tests.pages import visible_text
from tests.teaching_data import take_quiz

SUBMITTED = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)


@pytest.fixture
def quiz(student):
    """A quiz `student` has taken once, submitted at SUBMITTED."""
    quiz = make_quiz(questions=2)
    attempt = take_quiz(student, quiz, right=2)
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=SUBMITTED)
    return quiz


def submitted_as_shown(client, quiz):
    text = visible_text(client.get(quiz.get_absolute_url()), status=200)
    for shown in ("15 Jan 2026, 23:30", "16 Jan 2026, 08:30", "15 Jan 2026, 18:30"):
        if shown in text:
            return shown
    raise AssertionError("no submission time on the quiz page")


def log_in(client):
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests-1"})
    assert response.status_code == 302


def test_without_a_choice_dates_are_in_the_site_zone(student_client, quiz):
    assert submitted_as_shown(student_client, quiz) == "15 Jan 2026, 23:30"  # UTC


def test_the_zone_chosen_on_the_profile_page_is_used_at_once(student_client, quiz):
    student_client.post(reverse("profile"), {"time_zone": "Asia/Tokyo"})

    assert submitted_as_shown(student_client, quiz) == "16 Jan 2026, 08:30"


def test_the_saved_zone_is_used_from_the_next_log_in(client, student, quiz):
    Profile.objects.create(user=student, time_zone="America/New_York")

    log_in(client)

    assert submitted_as_shown(client, quiz) == "15 Jan 2026, 18:30"


def test_one_persons_zone_never_reaches_the_next_request(student_client, other_student, quiz):
    student_client.post(reverse("profile"), {"time_zone": "Asia/Tokyo"})
    assert submitted_as_shown(student_client, quiz) == "16 Jan 2026, 08:30"
    other = Client()
    other.force_login(other_student)

    page = other.get(reverse("profile"))

    assert "Dates are now shown in UTC" in visible_text(page, status=200)


def test_a_zone_no_longer_known_falls_back_to_the_site_zone(student_client, quiz):
    session = student_client.session
    session[TIME_ZONE_KEY] = "Atlantis/Capital"
    session.save()

    assert submitted_as_shown(student_client, quiz) == "15 Jan 2026, 23:30"


def test_logging_out_forgets_the_zone(client, student, quiz):
    Profile.objects.create(user=student, time_zone="Asia/Tokyo")
    log_in(client)
    client.post(reverse("logout"))

    assert TIME_ZONE_KEY not in client.session


def test_pages_read_the_zone_without_a_query(client, student, quiz):
    Profile.objects.create(user=student, time_zone="Asia/Tokyo")
    log_in(client)

    with CaptureQueriesContext(connection) as queries:
        assert submitted_as_shown(client, quiz) == "16 Jan 2026, 08:30"
        client.get(reverse("home"))

    assert not [q for q in queries.captured_queries if "accounts_profile" in q["sql"]]


def test_healthz_in_an_outage_still_answers_in_its_own_words(student_client, monkeypatch):
    """Reading the zone from the session must not turn /healthz's plain "database
    unavailable" into an error page for a monitor that sends a session cookie."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as outage:
        outage.setattr(SessionStore, "load", unreachable)
        outage.setattr(connection, "cursor", unreachable)
        response = student_client.get("/healthz")

    assert (response.status_code, response.content) == (503, b"database unavailable")

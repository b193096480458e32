"""Time limits are kept by the server's clock: before, at, inside and after the deadline,
and whatever time the client claims."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.grading import AttemptClosed, save_answers
from quizzes.models import Attempt, Choice
from tests.factories import make_quiz
from tests.security.conftest import JSON, paper, saved_answers, snapshot

# What a client might send to move the clock: none of it is read.
FORGED_FIELDS = {
    "deadline": "2999-01-01T00:00:00Z",
    "now": "2000-01-01T00:00:00Z",
    "time": "0",
    "timestamp": "946684800",
    "seconds_left": "99999",
    "started_at": "2999-01-01T00:00:00Z",
    "submitted_at": "2000-01-01T00:00:00Z",
    "time_limit_minutes": "9999",
}
FORGED_HEADERS = {
    "date": "Sat, 01 Jan 2000 00:00:00 GMT",
    "if-modified-since": "Sat, 01 Jan 2000 00:00:00 GMT",
    "x-request-time": "946684800",
    "x-client-time": "2000-01-01T00:00:00Z",
}


@pytest.fixture
def quiz(db):
    return make_quiz(questions=2, time_limit_minutes=10, pass_mark=50)


@pytest.fixture
def client(client, student):
    client.force_login(student)
    return client


def move_deadline(attempt, delta):
    """Put the deadline `delta` from now (negative: already past)."""
    deadline = timezone.now() + delta
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    attempt.refresh_from_db()
    return deadline


def right(question_id):
    return list(
        Choice.objects.filter(question_id=question_id, is_correct=True).values_list("pk", flat=True)
    )


def wrong(question_id):
    return [Choice.objects.filter(question_id=question_id, is_correct=False).first().pk]


def save(client, attempt, answers, *, headers=None, extra=None):
    data = {"shown": list(answers), **{f"q{q}": c for q, c in answers.items()}, **(extra or {})}
    return client.post(
        reverse("quizzes:save", args=[attempt.pk]), data, headers={**JSON, **(headers or {})}
    )


def submit(client, attempt, answers, *, headers=None, extra=None):
    data = {"shown": list(answers), **{f"q{q}": c for q, c in answers.items()}}
    data.update({"confirm": "yes", **(extra or {})})
    return client.post(
        reverse("quizzes:submit", args=[attempt.pk]), data, headers=headers or {}, follow=True
    )


# ---------------------------------------------------------------- before, inside, at, after


@pytest.mark.parametrize(
    "left", [timedelta(minutes=9), timedelta(seconds=5)], ids=["before", "inside the last seconds"]
)
def test_save_before_the_deadline_is_kept(client, attempt, left):
    q1, _ = (q for q, _ in paper(attempt))
    move_deadline(attempt, left)

    response = save(client, attempt, {q1: right(q1)})

    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert saved_answers(attempt) == {q1: right(q1)}


def test_save_exactly_at_the_deadline_is_refused_and_a_moment_before_is_kept(attempt):
    q1, _ = (q for q, _ in paper(attempt))
    deadline = attempt.deadline

    save_answers(attempt=attempt, answers={q1: wrong(q1)}, now=deadline - timedelta(microseconds=1))
    with pytest.raises(AttemptClosed, match="Time is up"):
        save_answers(attempt=attempt, answers={q1: right(q1)}, now=deadline)

    assert saved_answers(attempt) == {q1: wrong(q1)}


@pytest.mark.parametrize(
    "past",
    [timedelta(0), timedelta(seconds=-1), timedelta(days=-1)],
    ids=["at", "just after", "a day after"],
)
def test_background_save_at_or_after_the_deadline_is_409_and_changes_nothing(client, attempt, past):
    q1, _ = (q for q, _ in paper(attempt))
    save_answers(attempt=attempt, answers={q1: wrong(q1)})
    move_deadline(attempt, past)
    before = snapshot()

    response = save(client, attempt, {q1: right(q1)})

    assert response.status_code == 409
    assert response.json() == {
        "saved": False,
        "error": "Time is up for this attempt; answers can no longer change.",
    }
    assert snapshot() == before


def test_save_button_after_the_deadline_grades_what_was_saved_in_time(client, attempt):
    q1, q2 = (q for q, _ in paper(attempt))
    save_answers(attempt=attempt, answers={q1: right(q1)})
    deadline = move_deadline(attempt, timedelta(seconds=-30))

    response = client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"shown": [q1, q2], f"q{q1}": wrong(q1), f"q{q2}": right(q2)},
    )

    assert response.status_code == 409
    assert "Time is up for this attempt" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at == deadline
    assert attempt.score == Decimal("50.00")  # q1 right as saved in time, q2 never saved
    assert saved_answers(attempt) == {q1: right(q1), q2: []}


def test_submit_before_the_deadline_grades_now(client, attempt):
    q1, q2 = (q for q, _ in paper(attempt))
    deadline = move_deadline(attempt, timedelta(minutes=5))

    response = submit(client, attempt, {q1: right(q1), q2: right(q2)})

    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_at < deadline
    assert attempt.score == Decimal("100.00")


@pytest.mark.parametrize("past", [timedelta(0), timedelta(seconds=-1), timedelta(hours=-3)])
def test_submit_after_the_deadline_grades_only_what_was_saved_in_time(client, attempt, past):
    q1, q2 = (q for q, _ in paper(attempt))
    save_answers(attempt=attempt, answers={q1: wrong(q1)})
    deadline = move_deadline(attempt, past)

    response = submit(client, attempt, {q1: right(q1), q2: right(q2)})

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])
    assert "Time was up: your answers saved before the deadline were graded." in (
        response.content.decode()
    )
    attempt.refresh_from_db()
    assert attempt.submitted_at == deadline
    assert attempt.score == Decimal("0.00")
    assert saved_answers(attempt) == {q1: wrong(q1), q2: []}


def test_opening_the_attempt_after_the_deadline_shows_the_result(client, attempt):
    q1, _ = (q for q, _ in paper(attempt))
    save_answers(attempt=attempt, answers={q1: right(q1)})
    deadline = move_deadline(attempt, timedelta(seconds=-1))

    response = client.get(reverse("quizzes:attempt", args=[attempt.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_at == deadline and attempt.score == Decimal("50.00")


def test_the_countdown_comes_from_the_server_clock(client, attempt):
    move_deadline(attempt, timedelta(seconds=90))

    html = client.get(
        reverse("quizzes:attempt", args=[attempt.pk]) + "?now=2000-01-01&seconds_left=99999",
        headers=FORGED_HEADERS,
    ).content.decode()

    seconds = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert 85 <= seconds <= 90


# ---------------------------------------------------------------- forged clocks


def test_a_forged_clock_cannot_reopen_an_expired_attempt(client, attempt):
    q1, _ = (q for q, _ in paper(attempt))
    save_answers(attempt=attempt, answers={q1: wrong(q1)})
    move_deadline(attempt, timedelta(seconds=-5))
    before = snapshot()

    response = save(client, attempt, {q1: right(q1)}, headers=FORGED_HEADERS, extra=FORGED_FIELDS)

    assert response.status_code == 409
    assert "Time is up" in response.json()["error"]
    assert snapshot() == before


def test_a_forged_clock_cannot_move_the_deadline_or_submit_time(client, attempt):
    q1, q2 = (q for q, _ in paper(attempt))
    deadline = move_deadline(attempt, timedelta(minutes=4))

    saved = save(client, attempt, {q1: right(q1)}, headers=FORGED_HEADERS, extra=FORGED_FIELDS)

    assert saved.status_code == 200
    attempt.refresh_from_db()
    assert attempt.deadline == deadline
    assert attempt.submitted_at is None and attempt.started_at < timezone.now()

    submit(client, attempt, {q2: wrong(q2)}, headers=FORGED_HEADERS, extra=FORGED_FIELDS)

    attempt.refresh_from_db()
    assert attempt.deadline == deadline
    assert timezone.now() - timedelta(minutes=1) < attempt.submitted_at <= timezone.now()
    assert attempt.score == Decimal("50.00")


def test_a_forged_clock_after_the_deadline_grades_at_the_deadline(client, attempt):
    q1, q2 = (q for q, _ in paper(attempt))
    save_answers(attempt=attempt, answers={q1: right(q1)})
    deadline = move_deadline(attempt, timedelta(minutes=-2))

    submit(
        client, attempt, {q1: wrong(q1), q2: right(q2)}, headers=FORGED_HEADERS, extra=FORGED_FIELDS
    )

    attempt.refresh_from_db()
    assert attempt.submitted_at == deadline
    assert attempt.score == Decimal("50.00")
    assert saved_answers(attempt) == {q1: right(q1), q2: []}


def test_starting_ignores_a_client_sent_deadline(client, quiz):
    url = reverse("quizzes:start", args=[quiz.lesson.course.slug, quiz.lesson.slug])

    client.post(url, FORGED_FIELDS, headers=FORGED_HEADERS)

    attempt = Attempt.objects.get(quiz=quiz)
    left = attempt.deadline - timezone.now()
    assert timedelta(minutes=9) < left <= timedelta(minutes=10)


def test_restarting_after_the_time_ran_out_grades_the_old_attempt_first(client, attempt, quiz):
    q1, _ = (q for q, _ in paper(attempt))
    save_answers(attempt=attempt, answers={q1: right(q1)})
    deadline = move_deadline(attempt, timedelta(seconds=-1))
    url = reverse("quizzes:start", args=[quiz.lesson.course.slug, quiz.lesson.slug])

    response = client.post(url)

    attempt.refresh_from_db()
    assert attempt.submitted_at == deadline and attempt.score == Decimal("50.00")
    new = Attempt.objects.get(quiz=quiz, number=2)
    assert response["Location"] == reverse("quizzes:attempt", args=[new.pk])
    assert new.deadline > timezone.now() + timedelta(minutes=9)

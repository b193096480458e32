"""What the student submits is what is graded, and every time is the server's, taken
after the attempt's lock.

Real threads with their own database connections, on SQLite (a file database in WAL
mode) and PostgreSQL alike.
"""

import random
import threading
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from quizzes.grading import save_answers, start_attempt
from quizzes.models import Attempt, Response
from tests.factories import make_quiz
from tests.security.conftest import JSON, paper, saved_answers
from tests.security.threads import client_for, run_together

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 15
AUTOSAVERS = 3


def form(answers, **extra):
    return {"shown": list(answers), **{f"q{q}": c for q, c in answers.items()}, **extra}


def race_round(student, quiz, rng):
    """One submit of the newer choices against tabs autosaving the older ones.
    Returns (attempt, the answers submitted, status codes of the autosaves)."""
    attempt = start_attempt(user=student, quiz=quiz)
    questions = paper(attempt)
    older = {qid: [choices[0]] for qid, choices in questions}
    submitted = {qid: [choices[1]] for qid, choices in questions}
    save_answers(attempt=attempt, answers=older)
    submitter = client_for(student)
    savers = [(client_for(student), rng.uniform(0, 0.01)) for _ in range(AUTOSAVERS)]

    def submit():
        url = reverse("quizzes:submit", args=[attempt.pk])
        return submitter.post(url, form(submitted, confirm="yes")).status_code

    def autosave(client, delay):
        # A tab still sending the older choices, for 30 ms around the submit.
        url, codes = reverse("quizzes:save", args=[attempt.pk]), []
        time.sleep(delay)
        until = time.monotonic() + 0.03
        while time.monotonic() < until:
            codes.append(client.post(url, form(older), headers=JSON).status_code)
        return codes

    status, *autosaves = run_together(submit, *[lambda s=s: autosave(*s) for s in savers])
    assert status == 302
    attempt.refresh_from_db()
    return attempt, submitted, [code for codes in autosaves for code in codes]


def test_older_autosaves_racing_a_submit_never_replace_the_submitted_form(student):
    quiz = make_quiz(questions=3, max_attempts=None)
    rng = random.Random(10)
    mismatches, late_saves, refused = [], 0, 0
    for round_no in range(ROUNDS):
        attempt, submitted, codes = race_round(student, quiz, rng)

        assert attempt.is_submitted
        assert set(codes) <= {200, 409}
        refused += codes.count(409)
        if saved_answers(attempt) != submitted:
            mismatches.append(round_no)
        late_saves += Response.objects.filter(
            attempt=attempt, saved_at__gt=attempt.submitted_at
        ).count()

    assert mismatches == [], f"graded answers differ from the submitted form in {mismatches}"
    assert late_saves == 0
    assert refused > 0  # the race was real: saves arrived after the submit and were refused


def test_a_save_after_the_submit_is_refused_as_already_submitted_and_changes_nothing(
    student,
):
    quiz = make_quiz(questions=2)
    attempt = start_attempt(user=student, quiz=quiz)
    (q1, c1), (q2, c2) = paper(attempt)
    client = client_for(student)
    client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        form({q1: [c1[1]], q2: [c2[1]]}, confirm="yes"),
    )

    response = client.post(
        reverse("quizzes:save", args=[attempt.pk]), form({q1: [c1[0]]}), headers=JSON
    )

    assert response.status_code == 409
    assert "already been submitted" in response.json()["error"]
    assert saved_answers(attempt) == {q1: [c1[1]], q2: [c2[1]]}


def hold_attempt_lock(attempt, until, locked):
    """Another request holding the attempt's lock (a slow submit, say) until `until`."""
    with transaction.atomic():
        list(Attempt.objects.select_for_update().filter(pk=attempt.pk))
        locked.set()
        time.sleep(max(0, (until - timezone.now()).total_seconds()))


def attempt_due_soon(student):
    """An attempt with its first answer saved and its deadline 0.8 s away."""
    attempt = start_attempt(user=student, quiz=make_quiz(questions=2, time_limit_minutes=10))
    (q1, c1), _ = paper(attempt)
    save_answers(attempt=attempt, answers={q1: [c1[1]]})
    deadline = timezone.now() + timedelta(seconds=0.8)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    return attempt, deadline


def test_a_save_that_gets_the_lock_after_the_deadline_is_refused(student):
    attempt, deadline = attempt_due_soon(student)
    (q1, c1), (q2, _c2) = paper(attempt)
    client, locked = client_for(student), threading.Event()

    def late_save():
        locked.wait(10)
        return client.post(
            reverse("quizzes:save", args=[attempt.pk]), form({q1: [c1[0]]}), headers=JSON
        )

    hold_until = deadline + timedelta(seconds=0.4)
    _, response = run_together(lambda: hold_attempt_lock(attempt, hold_until, locked), late_save)

    # It arrived before the deadline but could only write after it: too late.
    assert response.status_code == 409
    assert "Time is up" in response.json()["error"]
    assert saved_answers(attempt) == {q1: [c1[1]]}
    assert not Response.objects.filter(attempt=attempt, saved_at__gt=deadline).exists()


def test_a_submit_that_gets_the_lock_after_the_deadline_grades_what_was_saved_in_time(student):
    attempt, deadline = attempt_due_soon(student)
    (q1, c1), (q2, c2) = paper(attempt)
    client, locked = client_for(student), threading.Event()

    def late_submit():
        locked.wait(10)
        return client.post(
            reverse("quizzes:submit", args=[attempt.pk]),
            form({q1: [c1[0]], q2: [c2[0]]}, confirm="yes"),
            follow=True,
        )

    hold_until = deadline + timedelta(seconds=0.4)
    _, response = run_together(lambda: hold_attempt_lock(attempt, hold_until, locked), late_submit)

    attempt.refresh_from_db()
    assert attempt.submitted_at == deadline
    assert "Time was up" in response.content.decode()
    assert saved_answers(attempt) == {q1: [c1[1]], q2: []}
    assert not Response.objects.filter(attempt=attempt, saved_at__gt=deadline).exists()


def test_answers_are_stamped_with_the_time_they_were_written(student):
    quiz = make_quiz(questions=2)
    attempt = start_attempt(user=student, quiz=quiz)
    (q1, c1), _ = paper(attempt)
    client, locked = client_for(student), threading.Event()
    hold_until = timezone.now() + timedelta(seconds=0.5)

    def save():
        locked.wait(10)
        return client.post(
            reverse("quizzes:save", args=[attempt.pk]), form({q1: [c1[0]]}), headers=JSON
        )

    _, response = run_together(lambda: hold_attempt_lock(attempt, hold_until, locked), save)

    assert response.status_code == 200
    assert Response.objects.get(attempt=attempt, question_id=q1).saved_at >= hold_until

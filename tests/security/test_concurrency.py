"""Real threads, each with its own database connection, racing on one attempt.

Runs on SQLite (a file database in WAL mode) and on PostgreSQL alike.
"""

import functools

import pytest

from learning.models import LessonProgress
from quizzes.grading import save_answers, start_attempt
from quizzes.models import Attempt, Response
from tests.factories import make_quiz
from tests.security.threads import client_for, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def race(count, work):
    """Run `work(i)` in `count` threads released at the same moment."""
    return run_together(*(functools.partial(work, i) for i in range(count)))


def test_starting_twice_at_once_gives_one_attempt(student):
    quiz = make_quiz(questions=3)
    clients = [client_for(student) for _ in range(8)]
    url = f"/courses/{quiz.lesson.course.slug}/{quiz.lesson.slug}/quiz/start/"

    responses = race(8, lambda i: clients[i].post(url))

    assert {r.status_code for r in responses} == {302}
    assert Attempt.objects.filter(user=student, quiz=quiz).count() == 1
    attempt = Attempt.objects.get(user=student, quiz=quiz)
    assert {r["Location"] for r in responses} == {f"/attempts/{attempt.pk}/"}


def test_twenty_simultaneous_submits_grade_exactly_once(student):
    quiz = make_quiz(questions=3)
    attempt = start_attempt(user=student, quiz=quiz)
    first = attempt.paper["questions"][0]
    save_answers(attempt=attempt, answers={first["id"]: [first["choices"][0]["id"]]})
    clients = [client_for(student) for _ in range(20)]
    url = f"/attempts/{attempt.pk}/submit/"

    responses = race(20, lambda i: clients[i].post(url, {"confirm": "yes"}))

    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {f"/attempts/{attempt.pk}/result/"}
    attempt.refresh_from_db()
    assert attempt.is_submitted
    progress = LessonProgress.objects.get(user=student, lesson=quiz.lesson)
    assert progress.attempts_submitted == 1  # graded once, not twenty times
    assert Response.objects.filter(attempt=attempt).count() == 3


def test_saves_to_different_questions_at_once_all_persist(student):
    quiz = make_quiz(questions=6)
    attempt = start_attempt(user=student, quiz=quiz)
    questions = attempt.paper["questions"]
    clients = [client_for(student) for _ in questions]
    url = f"/attempts/{attempt.pk}/save/"

    def save(i):
        q = questions[i]
        return clients[i].post(
            url,
            {"shown": q["id"], f"q{q['id']}": q["choices"][1]["id"]},
            HTTP_ACCEPT="application/json",
        )

    responses = race(len(questions), save)

    assert {r.status_code for r in responses} == {200}
    saved = dict(Response.objects.filter(attempt=attempt).values_list("question_id", "selected"))
    assert saved == {q["id"]: [q["choices"][1]["id"]] for q in questions}

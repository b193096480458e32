"""`manage.py close_expired_attempts` grades attempts whose time is up, at their deadline,
so they count in progress, the class grid and statistics before the student returns."""

import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress
from quizzes.grading import save_answers, start_attempt
from quizzes.models import Attempt
from tests.conftest import make_user
from tests.factories import make_quiz, right_answer
from tests.security.conftest import snapshot
from tests.teaching_data import make_class

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def quiz(db):
    return make_quiz(questions=2, time_limit_minutes=10, pass_mark=50)


def expired_attempt(user, quiz, *, seconds_ago=30, answer_first=True):
    attempt = start_attempt(user=user, quiz=quiz)
    if answer_first:
        qid = attempt.paper["questions"][0]["id"]
        save_answers(attempt=attempt, answers={qid: right_answer(qid)})
    deadline = timezone.now() - timedelta(seconds=seconds_ago)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    return attempt.pk, deadline


def close():
    out = StringIO()
    call_command("close_expired_attempts", stdout=out)
    return out.getvalue().strip()


def test_an_expired_attempt_is_graded_at_its_deadline_with_what_was_saved(student, quiz):
    pk, deadline = expired_attempt(student, quiz)

    assert close() == "Closed 1 expired attempt."

    attempt = Attempt.objects.get(pk=pk)
    assert attempt.submitted_at == deadline
    assert attempt.score == Decimal("50.00") and attempt.passed is True
    progress = LessonProgress.objects.get(user=student, lesson=quiz.lesson)
    assert progress.attempts_submitted == 1
    assert progress.best_score == Decimal("50.00")
    assert progress.passed_at == deadline


def test_the_teacher_sees_it_in_the_grid_before_the_student_returns(
    student, teacher, teacher_client, quiz
):
    classroom = make_class(teachers=[teacher], courses=[quiz.lesson.course], students=[student])
    expired_attempt(student, quiz)
    grid = reverse("teaching:class_grid", args=[classroom.pk])
    assert "Passed · 50%" not in teacher_client.get(grid).content.decode()

    close()

    assert "Passed · 50%" in teacher_client.get(grid).content.decode()


def test_attempts_still_in_time_or_without_a_limit_stay_open(student, other_student, quiz):
    in_time = start_attempt(user=student, quiz=quiz)
    no_limit = start_attempt(user=other_student, quiz=make_quiz(questions=2))

    assert close() == "Closed 0 expired attempts."

    assert Attempt.objects.open().filter(pk__in=[in_time.pk, no_limit.pk]).count() == 2


def test_running_it_again_changes_nothing(student, other_student, quiz):
    expired_attempt(student, quiz)
    expired_attempt(other_student, quiz, answer_first=False)
    assert close() == "Closed 2 expired attempts."
    before = snapshot()

    assert close() == "Closed 0 expired attempts."

    assert snapshot() == before


def test_the_student_coming_back_finds_the_result_and_is_not_graded_twice(
    student, student_client, quiz
):
    pk, _ = expired_attempt(student, quiz)
    close()

    response = student_client.get(reverse("quizzes:attempt", args=[pk]))

    assert response.url == reverse("quizzes:result", args=[pk])
    assert LessonProgress.objects.get(user=student).attempts_submitted == 1


def test_it_runs_from_the_command_line(tmp_path):
    """As cron or a systemd timer would run it: its own process, exit status 0."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cron.sqlite3'}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)

    done = subprocess.run(
        [*manage, "close_expired_attempts"], env=env, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Closed 0 expired attempts."


def test_many_expired_attempts_are_closed_in_one_run(quiz):
    students = [make_user(f"s{i}") for i in range(12)]
    for student in students:
        expired_attempt(student, quiz, answer_first=False)

    assert close() == "Closed 12 expired attempts."
    assert not Attempt.objects.open().exists()

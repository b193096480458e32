"""benchmarks/build_data.py builds a consistent benchmark data set, quickly, at any size,
in a database the builder created: here the test database, marked as its own."""

import io

import build_data
import pytest
from database import Refused
from django.contrib.auth.models import User
from django.db.models import Count, Max, Min
from django.urls import reverse

from learning.models import LessonProgress
from quizzes.grading import grade
from quizzes.models import Attempt, Quiz, Response
from teaching.models import Classroom, Enrollment
from teaching.roles import is_teacher

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bench_database")]


def build(**options):
    out, err = io.StringIO(), io.StringIO()
    build_data.fill(
        students=options.pop("students", 6),
        classes=options.pop("classes", 2),
        runners=options.pop("runners", 2),
        stdout=out,
        stderr=err,
        **options,
    )
    return out.getvalue(), err.getvalue()


def test_tiny_data_set_has_the_expected_rows():
    out, err = build()

    quizzes = Quiz.objects.count()
    assert quizzes == 10  # the seed course
    assert User.objects.filter(username__startswith="bench-student-").count() == 6
    assert User.objects.filter(username__startswith="bench-runner-").count() == 2
    teachers = User.objects.filter(username__startswith="bench-teacher-")
    assert teachers.count() == 2 and all(is_teacher(t) for t in teachers)
    assert sorted(c.enrollments.count() for c in Classroom.objects.all()) == [3, 3]
    assert all(c.teachers.count() == 1 and c.courses.count() == 1 for c in Classroom.objects.all())
    assert Enrollment.objects.count() == 6

    # 1-3 submitted attempts per student and quiz, numbered from 1 without gaps.
    per_pair = (
        Attempt.objects.submitted()
        .values("user", "quiz")
        .annotate(n=Count("pk"), low=Min("number"), high=Max("number"))
    )
    assert len(per_pair) == 6 * quizzes
    assert all(
        1 <= row["n"] <= 3 and row["low"] == 1 and row["high"] == row["n"] for row in per_pair
    )
    # Runners: one open attempt at every quiz, the first half of its questions answered.
    assert Attempt.objects.open().count() == 2 * quizzes
    assert not Attempt.objects.open().filter(user__enrollments__isnull=False).exists()
    assert "Built 6 students in 2 classes" in out
    assert "build_data [" in err  # the progress bar


def test_answers_and_scores_are_those_grading_gives():
    build(students=4, classes=1, runners=0)

    for attempt in Attempt.objects.select_related("quiz").prefetch_related("responses"):
        questions = attempt.paper["questions"]
        responses = {r.question_id: r for r in attempt.responses.all()}
        assert set(responses) == {q["id"] for q in questions}  # one answer per question shown
        correct = {q["id"]: q["correct"] for q in questions}  # the key frozen in on submission
        selected = {qid: r.selected for qid, r in responses.items()}
        result = grade(
            [(q["id"], q["kind"]) for q in questions], selected, correct, attempt.quiz.pass_mark
        )
        assert attempt.score == result.score
        assert attempt.passed == result.passed
        assert {qid: r.is_correct for qid, r in responses.items()} == result.results
    assert Response.objects.filter(is_correct__isnull=True).count() == 0


def test_progress_agrees_with_the_attempts():
    build(students=6, classes=2, runners=1)

    progress = LessonProgress.objects.select_related("lesson__quiz")
    assert progress.count() == 6 * 10  # runners have no progress until they submit
    for row in progress:
        attempts = list(
            Attempt.objects.submitted()
            .filter(user=row.user_id, quiz=row.lesson.quiz)
            .order_by("submitted_at")
        )
        assert row.attempts_submitted == len(attempts)
        assert row.best_score == max(a.score for a in attempts)
        first_pass = next((a.submitted_at for a in attempts if a.passed), None)
        assert row.passed_at == first_pass
        assert row.last_activity_at == attempts[-1].submitted_at
        assert row.first_viewed_at < attempts[0].started_at


def test_accounts_can_sign_in(client):
    from data import BENCH_PASSWORD

    build(students=2, classes=1, runners=0)

    response = client.post(
        reverse("login"), {"username": "bench-student-00001", "password": BENCH_PASSWORD}
    )

    assert response.status_code == 302
    assert response.wsgi_request.user.username == "bench-student-00001"


# flush (TRUNCATE) cannot run inside a test's transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_a_second_build_needs_reset():
    build(students=2, classes=1, runners=0)

    with pytest.raises(Refused, match="--reset"):
        build(students=2, classes=1, runners=0)

    build(students=3, classes=1, runners=0, reset=True)
    assert User.objects.filter(username__startswith="bench-student-").count() == 3


@pytest.mark.parametrize(
    "options", [{"classes": 0}, {"students": 2, "classes": 3}, {"runners": -1}]
)
def test_impossible_sizes_are_refused(options):
    with pytest.raises(Refused):
        build(**options)

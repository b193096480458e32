"""How fast the teacher pages are for a large class.

Builds, in its own SQLite file under benchmarks/results/ (created and marked as the
builder's the first time, emptied every other: database.py), the seed course and a
class of N students who each made 3 submitted attempts at each of its 10
quizzes, then times the class grid, the CSV export and the statistics page
through django.test.Client as the class's teacher. The class has what a teacher
acts on too: due dates on every lesson (half of them past, so cells are late or
overdue), extra attempts for one student in ten, an open attempt for one in twenty.

    .venv/bin/python benchmarks/class_pages.py --students 1000

It runs with the production settings (DEBUG off, persistent connections, the
SQLite PRAGMAs of config/settings.py), as `make bench` serves the app.

The data comes from data.py, the builder behind build_data.py and `make bench`:
rows written with bulk_create as grading would have written them (papers with the
key frozen in, scores from quizzes.grading.grade, best scores and pass times in
LessonProgress).
"""

import argparse
import statistics
import time

import database
from django_setup import RESULTS, ROOT

ATTEMPTS_PER_QUIZ = 3
RUNS = 5


def time_page(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, size = [], None, 0
    client.get(url)  # warm up: session refresh and template loading are not the page's cost
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries, size = len(ctx), len(response.content)
    return statistics.median(timings), min(timings), max(timings), queries, size


def add_teaching(classroom, quizzes, students):
    """Due dates, extra attempts and open attempts, as teachers and students make them."""
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import Attempt, AttemptAllowance
    from teaching.models import LessonDueDate

    now = timezone.now()
    LessonDueDate.objects.bulk_create(
        LessonDueDate(classroom=classroom, lesson=quiz.lesson, due_at=now + timedelta(days=n - 5))
        for n, quiz in enumerate(quizzes)
    )
    AttemptAllowance.objects.bulk_create(
        AttemptAllowance(quiz=quiz, user=student, extra_attempts=1)
        for quiz in quizzes
        for student in students[::10]
    )
    Attempt.objects.bulk_create(
        Attempt(user=student, quiz=quizzes[-1], number=ATTEMPTS_PER_QUIZ + 1, paper={})
        for student in students[::20]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    path = RESULTS / f"bench-class-pages-{args.students}.sqlite3"
    database.open_database(f"sqlite:///{path}")

    import data as builder
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from quizzes.models import Attempt, Response

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    database.empty()
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest {% static %} reads
    data = builder.build(
        students=args.students,
        classes=1,
        attempts=(ATTEMPTS_PER_QUIZ, ATTEMPTS_PER_QUIZ),
        seed=args.seed,
    )
    [teacher], [classroom], quizzes, students = (
        data.teachers,
        data.classrooms,
        data.quizzes,
        data.students,
    )
    built = time.perf_counter() - start
    print(
        f"Built {len(students)} students x {len(quizzes)} lessons x {ATTEMPTS_PER_QUIZ} attempts:"
        f" {Attempt.objects.count():,} attempts, {Response.objects.count():,} answers"
        f" in {built:.1f} s ({path.relative_to(ROOT)})"
    )

    add_teaching(classroom, quizzes, students)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(teacher)
    quiz = quizzes[0]
    grid = reverse("teaching:class_grid", args=[classroom.pk])
    stats = reverse("teaching:stats", args=[quiz.pk])
    pages = [
        ("teacher home", reverse("teaching:teach")),
        ("class grid", grid),
        ("class grid, by progress, page 5", f"{grid}?sort=progress&page=5"),
        ("class grid, needing attention", f"{grid}?attention=on"),
        ("CSV export", reverse("teaching:class_csv", args=[classroom.pk])),
        ("due dates", reverse("teaching:due_dates", args=[classroom.pk])),
        ("archived classes", reverse("teaching:archived_classes")),
        ("statistics, first attempts", stats),
        ("statistics, all attempts", f"{stats}?attempts=all"),
        (
            "student record",
            reverse("teaching:student_record", args=[classroom.pk, students[0].pk]),
        ),
    ]
    print(f"\nMedian of {RUNS} runs, server time through django.test.Client\n")
    print(f"{'page':<34} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'queries':>8} {'KB':>8}")
    print("-" * 80)
    for name, url in pages:
        median, low, high, queries, size = time_page(client, url)
        print(
            f"{name:<34} {median * 1000:>10.0f} {low * 1000:>8.0f} {high * 1000:>8.0f}"
            f" {queries:>8} {size / 1024:>8.0f}"
        )


if __name__ == "__main__":
    main()

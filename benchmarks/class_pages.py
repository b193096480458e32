"""How fast the teacher pages are for a large class.

Builds, in its own SQLite file under benchmarks/results/ (created and marked as the
builder's the first time, emptied every other: database.py), the seed course and a
class of N students who each made 3 submitted attempts at each of its 10
quizzes, then times the class grid, the CSV export and the statistics page
through django.test.Client as the class's teacher. The class has what a teacher
acts on too: due dates on every lesson (half of them past, so cells are late or
overdue), extra attempts for one student in ten, an open attempt for one in twenty.
Each student also holds CARDS_PER_STUDENT review cards (six approved questions of
each lesson) with their review logs, spread as a class's memory is: most cards in
review, some (re)learning, last reviewed from today to more than a year ago, so the
grid's "Mastery now" shows every level past "not started" and its footer finds
recall fading.

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
from datetime import timedelta

import database
from django_setup import RESULTS, ROOT

ATTEMPTS_PER_QUIZ = 3
CARDS_PER_STUDENT = 60
RUNS = 5
BATCH = 5000


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


def _card(rng, student, question, now, *, away, diligence):
    """One card as py-fsrs would have left it, last reviewed about `away` days ago by a
    student of `diligence` (0 to 1: how many cards they keep in review, and how long
    those last); and the ratings of its logs, oldest first (the first one the quiz's)."""
    from review.models import Card, Rating, State

    last_review = now - timedelta(days=away * rng.uniform(0.5, 1.5))
    kind = rng.random()
    if kind < 0.5 + 0.48 * diligence:  # in review: remembered, for days or months
        state, step = State.REVIEW, None
        stability = min(max(rng.lognormvariate(1.5 + 2.5 * diligence, 0.8), 0.5), 365.0)
        due = last_review + timedelta(days=stability)
        last = rng.choice([Rating.GOOD] * 6 + [Rating.HARD, Rating.EASY])
    else:  # missed last time (relearning), or never right yet (learning)
        state = State.RELEARNING if rng.random() < 0.5 else State.LEARNING
        step, stability, last = 0, rng.uniform(0.1, 3.0), Rating.AGAIN
        due = last_review + timedelta(minutes=10)
    reviews = 0 if state == State.LEARNING else rng.randint(0, 3)
    ratings = [Rating.GOOD] * reviews + [last]
    card = Card(
        user_id=student.pk,
        question_id=question,
        state=state,
        step=step,
        stability=stability,
        difficulty=rng.uniform(1, 10),
        due=due,
        last_review=last_review,
        last_rating=last,
    )
    return card, ratings


def add_cards(quizzes, students, *, seed):
    """CARDS_PER_STUDENT cards per student, of the course's approved questions (more
    questions are made where a lesson has too few), and a log per answer that made
    them: the quiz's first, then review and practice sessions. Written in bulk."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from quizzes.models import QuestionStatus
    from review.models import Card, ReviewLog, Source

    rng = random.Random(seed)
    now = timezone.now()
    per_lesson = -(-CARDS_PER_STUDENT // len(quizzes))  # rounded up
    questions = []
    for quiz in quizzes:
        approved = sorted(q.pk for q in quiz.questions.all() if q.status == QuestionStatus.APPROVED)
        questions += (approved + _more_questions(quiz, per_lesson - len(approved)))[:per_lesson]
    questions = questions[:CARDS_PER_STUDENT]
    cards = logs = 0
    with transaction.atomic():
        made = []
        for student in students:
            # How long ago this student last reviewed: most this month, some long gone.
            away = rng.choice([2, 5, 10, 20, 20, 45, 90, 200, 400])
            diligence = rng.random()
            made += [
                _card(rng, student, question, now, away=away, diligence=diligence)
                for question in questions
            ]
            if len(made) >= BATCH or student is students[-1]:
                Card.objects.bulk_create([card for card, _ in made], batch_size=BATCH)
                ReviewLog.objects.bulk_create(
                    (
                        ReviewLog(
                            card_id=card.pk,
                            rating=rating,
                            reviewed_at=card.last_review
                            - timedelta(days=3 * (len(ratings) - 1 - n)),
                            duration_ms=None if n == 0 else rng.randint(2_000, 30_000),
                            source=Source.QUIZ
                            if n == 0
                            else rng.choice([Source.REVIEW, Source.REVIEW, Source.PRACTICE]),
                        )
                        for card, ratings in made
                        for n, rating in enumerate(ratings)
                    ),
                    batch_size=BATCH,
                )
                cards += len(made)
                logs += sum(len(ratings) for _, ratings in made)
                made = []
    return cards, logs


def _more_questions(quiz, count):
    """`count` more approved questions for a lesson that has too few for its cards."""
    from quizzes.models import Choice, Question, QuestionStatus

    if count <= 0:
        return []
    top = max((q.position for q in quiz.questions.all()), default=0)
    made = Question.objects.bulk_create(
        Question(
            quiz=quiz,
            position=top + n,
            prompt=f"Benchmark question {top + n} of lesson {quiz.lesson.position}?",
            status=QuestionStatus.APPROVED,
        )
        for n in range(1, count + 1)
    )
    Choice.objects.bulk_create(
        Choice(question=q, position=p, text=f"Choice {p}", is_correct=p == 1)
        for q in made
        for p in (1, 2, 3)
    )
    return [q.pk for q in made]


def settle():
    """Leave the database and this process as a server would find them after the build:
    the connection closed, which folds SQLite's write-ahead log back into the database
    file (read through the log, the pages took up to half as long again), and the
    builder's garbage collected."""
    import gc

    from django.db import connections

    connections.close_all()
    gc.collect()


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
    start = time.perf_counter()
    cards, logs = add_cards(quizzes, students, seed=args.seed)
    print(
        f"Built {cards:,} review cards and {logs:,} review logs"
        f" in {time.perf_counter() - start:.1f} s"
    )

    settle()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(teacher)
    quiz = quizzes[0]
    grid = reverse("teaching:class_grid", args=[classroom.pk])
    stats = reverse("teaching:stats", args=[quiz.pk])
    pages = [
        ("teacher home", reverse("teaching:teach")),
        ("class grid", grid),
        ("class grid, mastery now", f"{grid}?show=mastery"),
        ("class grid, mastery now, page 20", f"{grid}?show=mastery&page=20"),
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

"""How fast the teacher pages are for a large class.

Builds, in its own SQLite file under benchmarks/results/, the seed course and a
class of N students who each made 3 submitted attempts at each of its 10
quizzes, then times the class grid, the CSV export and the statistics page
through django.test.Client as the class's teacher.

    DJANGO_DEBUG=1 .venv/bin/python benchmarks/class_pages.py --students 1000

Rows are written with bulk_create, as grading would have written them: papers
from quizzes.grading.build_paper with the key frozen in, scores from
quizzes.grading.grade, best scores and pass times in LessonProgress.
"""

import argparse
import copy
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
ATTEMPTS_PER_QUIZ = 3
RUNS = 5


def setup_django(students):
    RESULTS.mkdir(parents=True, exist_ok=True)
    database = RESULTS / f"class_pages_{students}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return database


def build(students_wanted, rng):
    """The seed course, a teacher, and a class of students with graded attempts."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from learning.models import Classroom, Course, Enrollment, LessonProgress
    from learning.roles import TEACHERS_GROUP
    from quizzes.models import Attempt, Quiz, Response

    call_command("migrate", verbosity=0)
    call_command("loaddata", "coalition_of_the_willing.json", verbosity=0)
    course = Course.objects.get(slug="coalition-of-the-willing")
    now = timezone.now()

    with transaction.atomic():
        teacher = User.objects.create_user("bench-teacher", password="bench-pw-1")
        teacher.groups.add(Group.objects.get_or_create(name=TEACHERS_GROUP)[0])
        classroom = Classroom.objects.create(name=f"Benchmark class of {students_wanted}")
        classroom.teachers.add(teacher)
        classroom.courses.add(course)
        students = User.objects.bulk_create(
            [User(username=f"student{n:05}", password="!") for n in range(1, students_wanted + 1)],
            batch_size=500,
        )
        Enrollment.objects.bulk_create(
            [Enrollment(classroom=classroom, student=s) for s in students], batch_size=500
        )

    quizzes = list(
        Quiz.objects.filter(lesson__course=course)
        .select_related("lesson")
        .prefetch_related("questions__choices")
        .order_by("lesson__position")
    )
    ability = {s.pk: rng.gauss(0, 1) for s in students}
    # started_at is auto_now_add: let the benchmark write realistic start times.
    started_field = Attempt._meta.get_field("started_at")
    started_field.auto_now_add = False
    try:
        for quiz in quizzes:
            with transaction.atomic():
                attempts, answers, progress = _quiz_rows(quiz, students, ability, now, rng)
                Attempt.objects.bulk_create(attempts, batch_size=500)
                Response.objects.bulk_create(
                    (
                        Response(
                            attempt=attempt,
                            question_id=qid,
                            selected=selected[qid],
                            is_correct=results[qid],
                        )
                        for attempt, selected, results in answers
                        for qid in selected
                    ),
                    batch_size=1000,
                )
                LessonProgress.objects.bulk_create(progress, batch_size=500)
    finally:
        started_field.auto_now_add = True
    return teacher, classroom, quizzes, students


def _quiz_rows(quiz, students, ability, now, rng):
    from learning.models import LessonProgress
    from quizzes.grading import build_paper, grade
    from quizzes.models import Attempt

    questions = sorted(quiz.questions.all(), key=lambda q: q.position)
    correct = {q.pk: sorted(c.pk for c in q.choices.all() if c.is_correct) for q in questions}
    wrong = {q.pk: [c.pk for c in q.choices.all() if not c.is_correct] for q in questions}
    difficulty = {q.pk: rng.gauss(0, 1) for q in questions}
    details = {
        q.pk: (q.explanation, q.source_passage, {c.pk: c.feedback for c in q.choices.all()})
        for q in questions
    }
    kinds = [(q.pk, q.kind) for q in questions]
    base_paper = build_paper(quiz, rng=rng)

    attempts, answers, progress = [], [], []
    for student in students:
        inactive = rng.random() < 0.1  # a tenth of the class went quiet ten days ago
        finished = now - timedelta(days=10 if inactive else rng.uniform(0, 6))
        best, passed_at, last = None, None, None
        for number in range(1, ATTEMPTS_PER_QUIZ + 1):
            submitted = finished - timedelta(hours=(ATTEMPTS_PER_QUIZ - number) * 20)
            started = submitted - timedelta(seconds=rng.randint(60, 900))
            skill = ability[student.pk] + 0.4 * (number - 1)  # they learn between attempts
            selected = {}
            for qid, kind in kinds:
                if rng.random() < 1 / (1 + pow(2.718281828, difficulty[qid] - skill - 0.8)):
                    selected[qid] = correct[qid]
                elif kind == "multiple":
                    selected[qid] = sorted(rng.sample(wrong[qid] + correct[qid], 1))
                else:
                    selected[qid] = [rng.choice(wrong[qid])]
            result = grade(kinds, selected, correct, quiz.pass_mark)
            paper = copy.deepcopy(base_paper)
            if quiz.shuffle_choices:
                for q in paper["questions"]:
                    rng.shuffle(q["choices"])
            for q in paper["questions"]:
                explanation, passage, feedback = details[q["id"]]
                q["correct"] = correct[q["id"]]
                q["explanation"] = explanation
                q["source_passage"] = passage
                for choice in q["choices"]:
                    choice["feedback"] = feedback.get(choice["id"], "")
            attempt = Attempt(
                user=student,
                quiz=quiz,
                number=number,
                started_at=started,
                submitted_at=submitted,
                score=result.score,
                passed=result.passed,
                paper=paper,
            )
            attempts.append(attempt)
            answers.append((attempt, selected, result.results))
            if best is None or result.score > best:
                best = result.score
            if result.passed and passed_at is None:
                passed_at = submitted
            last = submitted
        first_viewed = finished - timedelta(days=1)
        progress.append(
            LessonProgress(
                user=student,
                lesson=quiz.lesson,
                first_viewed_at=first_viewed,
                last_viewed_at=first_viewed,
                attempts_submitted=ATTEMPTS_PER_QUIZ,
                best_score=best,
                passed_at=passed_at,
                last_activity_at=last,
            )
        )
    return attempts, answers, progress


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    database = setup_django(args.students)
    rng = random.Random(args.seed)

    from django.test import Client
    from django.urls import reverse

    from quizzes.models import Attempt, Response

    start = time.perf_counter()
    teacher, classroom, quizzes, students = build(args.students, rng)
    built = time.perf_counter() - start
    print(
        f"Built {len(students)} students x {len(quizzes)} lessons x {ATTEMPTS_PER_QUIZ} attempts:"
        f" {Attempt.objects.count():,} attempts, {Response.objects.count():,} answers"
        f" in {built:.1f} s ({database.relative_to(ROOT)})"
    )

    client = Client()
    client.force_login(teacher)
    quiz = quizzes[0]
    grid = reverse("learning:class_grid", args=[classroom.pk])
    stats = reverse("quizzes:stats", args=[quiz.pk])
    pages = [
        ("teacher home", reverse("learning:teach")),
        ("class grid", grid),
        ("class grid, by progress, page 5", f"{grid}?sort=progress&page=5"),
        ("class grid, needing attention", f"{grid}?attention=on"),
        ("CSV export", reverse("learning:class_csv", args=[classroom.pk])),
        ("statistics, first attempts", stats),
        ("statistics, all attempts", f"{stats}?attempts=all"),
        (
            "student record",
            reverse("quizzes:student_record", args=[classroom.pk, students[0].pk]),
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

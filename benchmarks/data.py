"""Synthetic classes for benchmarks: the seed course, teachers, classes of students
with graded attempts, and students with open attempts waiting to be submitted.

Rows are written with bulk_create, as grading would have written them: papers
shaped like quizzes.pools.build_paper with the key frozen in on submission,
scores from quizzes.grading.grade, and LessonProgress folded from the attempts
(attempts submitted, best score, first pass). Used by build_data.py (and so by the
harness, run.py) and by class_pages.py, with Django set up.

It writes only to a database the builder created (database.py): build() refuses
any other before it writes a row. Every account shares one password hash, computed
once: this data lives only in a benchmark database.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from math import exp

import database
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from learning.models import Course, LessonProgress
from quizzes.grading import grade
from quizzes.management.commands.load_seed_course import SEED_SLUG
from quizzes.models import Attempt, QuestionStatus, Quiz, Response
from teaching.models import Classroom, Enrollment
from teaching.roles import teachers_group

BENCH_PASSWORD = "bench-password-1"
PREFIX = "bench-"
BATCH = 2000

FIRST_NAMES = ["Ana", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hugo", "Isla", "Jon"]
LAST_NAMES = ["Adams", "Baker", "Chen", "Diaz", "Evans", "Fox", "Gray", "Hall", "Iqbal", "Jones"]


def teacher_name(n):
    return f"{PREFIX}teacher-{n:02}"


def student_name(n):
    return f"{PREFIX}student-{n:05}"


def runner_name(n):
    return f"{PREFIX}runner-{n:04}"


@dataclass
class BenchData:
    course: Course
    quizzes: list
    teachers: list
    classrooms: list
    students: list
    runners: list
    counts: dict = field(default_factory=dict)


def _split(total, parts):
    """Sizes of `parts` groups as equal as can be: 10 into 3 is 4, 3, 3."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


class _QuizKey:
    """What grading needs to know about one quiz, read once."""

    def __init__(self, quiz):
        self.quiz = quiz
        self.questions = sorted(
            (q for q in quiz.questions.all() if q.status == QuestionStatus.APPROVED),
            key=lambda q: q.position,
        )
        self.size = quiz.attempt_size(len(self.questions))
        self.kinds = [(q.pk, q.kind) for q in self.questions]
        self.choices = {
            q.pk: sorted(q.choices.all(), key=lambda c: c.position) for q in self.questions
        }
        self.correct = {
            q.pk: sorted(c.pk for c in self.choices[q.pk] if c.is_correct) for q in self.questions
        }
        self.wrong = {
            q.pk: [c.pk for c in self.choices[q.pk] if not c.is_correct] for q in self.questions
        }

    def draw(self, rng):
        """An attempt's questions, drawn from the pool as many as the quiz shows."""
        drawn = rng.sample(self.questions, self.size)
        return sorted(drawn, key=lambda q: q.position)

    def paper(self, rng, questions, *, submitted):
        """A paper as pools.build_paper makes it; on submission, with the key frozen in."""
        entries = []
        for q in questions:
            choices = list(self.choices[q.pk])
            if self.quiz.shuffle_choices:
                rng.shuffle(choices)
            entry = {"id": q.pk, "prompt": q.prompt, "kind": q.kind}
            if submitted:
                entry["choices"] = [
                    {"id": c.pk, "text": c.text, "feedback": c.feedback} for c in choices
                ]
                entry["correct"] = self.correct[q.pk]
                entry["explanation"] = q.explanation
                entry["source_passage"] = q.source_passage
            else:
                entry["choices"] = [{"id": c.pk, "text": c.text} for c in choices]
            entries.append(entry)
        if self.quiz.shuffle_questions:
            rng.shuffle(entries)
        return {"questions": entries}

    def answer(self, rng, qid, kind, p_right):
        if rng.random() < p_right:
            return list(self.correct[qid])
        pool = self.wrong[qid] + (self.correct[qid] if kind == "multiple" else [])
        return [rng.choice(pool)] if pool else []


def build(
    *,
    students,
    classes=1,
    attempts=(1, 3),
    runners=0,
    seed=1,
    now=None,
    progress=None,
):
    """Build the data set in the current database, which holds no benchmark rows yet
    and which the builder created (database.Refused otherwise).

    students: enrolled students, spread over `classes` classes, one teacher each;
    attempts: (fewest, most) submitted attempts of each student at each quiz;
    runners: students in no class, each with an open attempt at every quiz
    (half answered), for benchmarks that submit or save;
    progress: called as progress(step, total, label) as the work goes.
    """
    database.require_ours()
    rng = random.Random(seed)
    now = now or timezone.now()
    report = progress or (lambda step, total, label: None)

    call_command("load_seed_course", verbosity=0)
    course = Course.objects.get(slug=SEED_SLUG)
    quizzes = list(
        Quiz.objects.filter(lesson__course=course)
        .select_related("lesson")
        .prefetch_related("questions__choices")
        .order_by("lesson__position")
    )
    total_steps = 1 + len(quizzes) + (1 if runners else 0)
    report(0, total_steps, "accounts and classes")

    password = make_password(BENCH_PASSWORD)
    with transaction.atomic():
        teachers, classrooms, enrolled, runner_users = _people(
            students, classes, runners, password, rng
        )
    report(1, total_steps, "accounts and classes")

    ability = {s.pk: rng.gauss(0, 1) for s in enrolled}
    counts = {"attempts": 0, "responses": 0, "progress": 0}
    # started_at is auto_now_add: let the benchmark write realistic start times.
    started_field = Attempt._meta.get_field("started_at")
    started_field.auto_now_add = False
    try:
        for step, quiz in enumerate(quizzes, start=2):
            key = _QuizKey(quiz)
            with transaction.atomic():
                made = _submitted_rows(key, enrolled, ability, attempts, now, rng)
                _write(made, counts)
            report(step, total_steps, f"quiz {step - 1} of {len(quizzes)}")
        if runners:
            with transaction.atomic():
                for quiz in quizzes:
                    _write(_open_rows(_QuizKey(quiz), runner_users, now, rng), counts)
            report(total_steps, total_steps, "open attempts")
    finally:
        started_field.auto_now_add = True
    counts.update(
        users=len(teachers) + len(enrolled) + len(runner_users),
        classes=len(classrooms),
        enrollments=len(enrolled),
    )
    return BenchData(course, quizzes, teachers, classrooms, enrolled, runner_users, counts)


def _people(students, classes, runners, password, rng):
    group = teachers_group()
    course = Course.objects.get(slug=SEED_SLUG)

    def person(username, n):
        return User(
            username=username,
            password=password,
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)],
        )

    teachers = User.objects.bulk_create(
        [person(teacher_name(n), n) for n in range(1, classes + 1)], batch_size=BATCH
    )
    enrolled = User.objects.bulk_create(
        [person(student_name(n), n) for n in range(1, students + 1)], batch_size=BATCH
    )
    runner_users = User.objects.bulk_create(
        [person(runner_name(n), n) for n in range(1, runners + 1)], batch_size=BATCH
    )
    User.groups.through.objects.bulk_create(
        [User.groups.through(user=t, group=group) for t in teachers]
    )
    size = len(str(classes))
    classrooms = Classroom.objects.bulk_create(
        [Classroom(name=f"Benchmark class {n:0{size}}") for n in range(1, classes + 1)]
    )
    Classroom.teachers.through.objects.bulk_create(
        [
            Classroom.teachers.through(classroom=c, user=t)
            for c, t in zip(classrooms, teachers, strict=True)
        ]
    )
    Classroom.courses.through.objects.bulk_create(
        [Classroom.courses.through(classroom=c, course=course) for c in classrooms]
    )
    enrollments, start = [], 0
    for classroom, size in zip(classrooms, _split(students, classes), strict=True):
        enrollments += [
            Enrollment(classroom=classroom, student=s) for s in enrolled[start : start + size]
        ]
        start += size
    Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
    return teachers, classrooms, enrolled, runner_users


def _submitted_rows(key, students, ability, attempts, now, rng):
    """Each student's graded attempts at one quiz, their answers and their progress."""
    low, high = attempts
    difficulty = {qid: rng.gauss(0, 1) for qid, _kind in key.kinds}
    rows, answers, progress = [], [], []
    for student in students:
        count = rng.randint(low, high)
        inactive = rng.random() < 0.1  # a tenth of the class went quiet ten days ago
        finished = now - timedelta(days=10 if inactive else rng.uniform(0, 6))
        best, passed_at = None, None
        for number in range(1, count + 1):
            submitted = finished - timedelta(hours=(count - number) * 20)
            started = submitted - timedelta(seconds=rng.randint(60, 900))
            skill = ability[student.pk] + 0.4 * (number - 1)  # they learn between attempts
            drawn = key.draw(rng)
            kinds = [(q.pk, q.kind) for q in drawn]
            selected = {
                qid: key.answer(rng, qid, kind, 1 / (1 + exp(difficulty[qid] - skill - 0.8)))
                for qid, kind in kinds
            }
            result = grade(kinds, selected, key.correct, key.quiz.pass_mark)
            attempt = Attempt(
                user=student,
                quiz=key.quiz,
                number=number,
                started_at=started,
                submitted_at=submitted,
                score=result.score,
                passed=result.passed,
                paper=key.paper(rng, drawn, submitted=True),
            )
            rows.append(attempt)
            answers += [
                Response(
                    attempt=attempt,
                    question_id=qid,
                    selected=chosen,
                    is_correct=result.results[qid],
                )
                for qid, chosen in selected.items()
            ]
            if best is None or result.score > best:
                best = result.score
            if result.passed and passed_at is None:
                passed_at = submitted
        first_viewed = finished - timedelta(days=1) - timedelta(hours=(count - 1) * 20)
        progress.append(
            LessonProgress(
                user=student,
                lesson=key.quiz.lesson,
                first_viewed_at=first_viewed,
                last_viewed_at=first_viewed,
                attempts_submitted=count,
                best_score=best,
                passed_at=passed_at,
                last_activity_at=finished,
                out_of_attempts=passed_at is None and count >= (key.quiz.max_attempts or count + 1),
            )
        )
    return rows, answers, progress


def _open_rows(key, runners, now, rng):
    """An open attempt at this quiz for each runner, with the first half answered."""
    rows, answers = [], []
    for runner in runners:
        drawn = key.draw(rng)
        attempt = Attempt(
            user=runner,
            quiz=key.quiz,
            number=1,
            started_at=now - timedelta(minutes=rng.randint(1, 30)),
            paper=key.paper(rng, drawn, submitted=False),
        )
        rows.append(attempt)
        answers += [
            Response(attempt=attempt, question_id=q.pk, selected=key.answer(rng, q.pk, q.kind, 0.6))
            for q in drawn[: len(drawn) // 2]
        ]
    return rows, answers, []


def _write(made, counts):
    attempts, answers, progress = made
    Attempt.objects.bulk_create(attempts, batch_size=BATCH)
    for response in answers:
        response.attempt_id = response.attempt.pk  # set after the attempts got their ids
    Response.objects.bulk_create(answers, batch_size=BATCH)
    LessonProgress.objects.bulk_create(progress, batch_size=BATCH)
    counts["attempts"] += len(attempts)
    counts["responses"] += len(answers)
    counts["progress"] += len(progress)

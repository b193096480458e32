"""Classes, students and graded attempts for the teacher-page tests.

`take_quiz` goes through the real grading functions; `bulk_attempts` writes the
same rows directly so that query-count tests can build larger classes quickly.
"""

from django.contrib.auth.models import User
from django.utils import timezone

from learning.models import LessonProgress
from quizzes.grading import grade, save_answers, start_attempt, submit_attempt
from quizzes.models import Attempt, Response
from quizzes.pools import build_paper
from teaching.models import Classroom, Enrollment
from tests.factories import CourseFactory, make_quiz


def make_course(*, lessons=2, questions=3):
    """A published course whose lessons each have a quiz; returns (course, quizzes)."""
    course = CourseFactory()
    quizzes = [
        make_quiz(questions=questions, course=course, lesson_position=n)
        for n in range(1, lessons + 1)
    ]
    return course, quizzes


def make_class(*, teachers, courses, students=(), name="Year 9 History"):
    classroom = Classroom.objects.create(name=name)
    classroom.teachers.add(*teachers)
    classroom.courses.add(*courses)
    Enrollment.objects.bulk_create([Enrollment(classroom=classroom, student=s) for s in students])
    return classroom


def make_students(count, *, prefix="pupil"):
    return User.objects.bulk_create(
        [User(username=f"{prefix}{n:03}", password="!") for n in range(1, count + 1)]
    )


def answer_key(quiz):
    """{question id: (right choice ids, one wrong choice id)} in position order."""
    key = {}
    for question in quiz.questions.order_by("position").prefetch_related("choices"):
        choices = sorted(question.choices.all(), key=lambda c: c.position)
        right = [c.pk for c in choices if c.is_correct]
        wrong = [c.pk for c in choices if not c.is_correct][:1]
        key[question.pk] = (right, wrong)
    return key


def take_quiz(user, quiz, *, right):
    """Start, answer and submit one attempt; `right` is how many of the
    questions (the first ones, by position) are answered correctly."""
    attempt = start_attempt(user=user, quiz=quiz)
    answers = {
        qid: (correct if n < right else wrong)
        for n, (qid, (correct, wrong)) in enumerate(answer_key(quiz).items())
    }
    save_answers(attempt=attempt, answers=answers)
    return submit_attempt(attempt=attempt)


def bulk_attempts(students, quizzes, *, attempts=2):
    """`attempts` submitted attempts per student per quiz, written in bulk.

    Attempt n of student s answers (s + n) % (questions + 1) questions right,
    so scores vary; progress rows carry the best score as grading would.
    """
    now = timezone.now()
    made, responses, progress = [], [], []
    for quiz in quizzes:
        key = answer_key(quiz)
        paper = build_paper(quiz)
        for question in paper["questions"]:
            question["correct"] = sorted(key[question["id"]][0])
        kinds = [(q["id"], q["kind"]) for q in paper["questions"]]
        for s, student in enumerate(students):
            best, passed_any = None, False
            for number in range(1, attempts + 1):
                right = (s + number) % (len(key) + 1)
                selected = {
                    qid: (correct if n < right else wrong)
                    for n, (qid, (correct, wrong)) in enumerate(key.items())
                }
                result = grade(kinds, selected, {q: key[q][0] for q in key}, quiz.pass_mark)
                attempt = Attempt(
                    user=student,
                    quiz=quiz,
                    number=number,
                    submitted_at=now,
                    score=result.score,
                    passed=result.passed,
                    paper=paper,
                )
                made.append(attempt)
                responses.append((attempt, selected, result.results))
                best = result.score if best is None else max(best, result.score)
                passed_any = passed_any or result.passed
            progress.append(
                LessonProgress(
                    user=student,
                    lesson=quiz.lesson,
                    first_viewed_at=now,
                    last_viewed_at=now,
                    attempts_submitted=attempts,
                    best_score=best,
                    passed_at=now if passed_any else None,
                    last_activity_at=now,
                )
            )
    Attempt.objects.bulk_create(made)
    Response.objects.bulk_create(
        Response(attempt=attempt, question_id=qid, selected=chosen, is_correct=results[qid])
        for attempt, selected, results in responses
        for qid, chosen in selected.items()
    )
    LessonProgress.objects.bulk_create(progress)
    return made

"""/teach/classes/<id>/students/<user>/: one student's lessons, attempts and answers."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from learning.progress import record_visit
from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.models import Attempt
from tests.pages import row_for, visible_text
from tests.teaching_data import answer_key, make_class, make_course, take_quiz


@pytest.fixture
def course_and_quizzes(db):
    return make_course(lessons=3, questions=4)


@pytest.fixture
def classroom(teacher, student, course_and_quizzes):
    """alice failed L1 (25%), then passed it (100%); she read L2; L3 untouched."""
    course, quizzes = course_and_quizzes
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])
    first = take_quiz(student, quizzes[0], right=1)
    take_quiz(student, quizzes[0], right=4)
    started = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
    Attempt.objects.filter(pk=first.pk).update(
        started_at=started, submitted_at=started + timedelta(minutes=12)
    )
    record_visit(student, quizzes[1].lesson)
    return classroom


def record_url(classroom, user):
    return reverse("teaching:student_record", args=[classroom.pk, user.pk])


def test_record_url_is_the_documented_path(classroom, student):
    assert record_url(classroom, student) == f"/teach/classes/{classroom.pk}/students/{student.pk}/"


def test_record_lists_lessons_with_status_and_best_score(
    teacher_client, classroom, student, course_and_quizzes
):
    html = teacher_client.get(record_url(classroom, student)).content.decode()

    l1, l2, l3 = (quiz.lesson for quiz in course_and_quizzes[1])
    assert row_for(html, f"1. {l1.title}")[1:] == ["Passed", "100%", "2"]
    assert row_for(html, f"2. {l2.title}")[1:] == ["Read", "–", "0"]
    assert row_for(html, f"3. {l3.title}")[1:] == ["Not started", "–", "0"]


def test_record_shows_every_attempt_with_date_duration_and_score(
    teacher_client, classroom, student
):
    text = visible_text(teacher_client.get(record_url(classroom, student)).content.decode())

    assert "Lesson 1, attempt 1: 25% Not passed · 4 Mar 2025, 10:12 · took 12 minutes" in text
    assert "Lesson 1, attempt 2: 100% Passed" in text


def test_record_shows_each_answer_and_whether_it_was_right(
    teacher_client, classroom, student, course_and_quizzes
):
    text = visible_text(teacher_client.get(record_url(classroom, student)).content.decode())

    first_attempt = text.split("Lesson 1, attempt 1")[1].split("Lesson 1, attempt 2")[0]
    assert "Answer: Q1 choice 1 Right" in first_attempt
    assert "Answer: Q2 choice 2 Wrong Right answer: Q2 choice 1" in first_attempt
    assert "Answer: Q4 choice 3 Wrong Right answer: Q4 choice 1; Q4 choice 2" in first_attempt
    second_attempt = text.split("Lesson 1, attempt 2")[1]
    assert "Answer: Q4 choice 1; Q4 choice 2 Right" in second_attempt


def test_unanswered_question_reads_none(teacher_client, classroom, student, course_and_quizzes):
    quiz = course_and_quizzes[1][2]
    attempt = start_attempt(user=student, quiz=quiz)
    first_question, (right, _wrong) = next(iter(answer_key(quiz).items()))
    save_answers(attempt=attempt, answers={first_question: right})
    submit_attempt(attempt=attempt)

    text = visible_text(teacher_client.get(record_url(classroom, student)).content.decode())

    third_lesson = text.split("Lesson 3, attempt 1")[1]
    assert "Answer: Q1 choice 1 Right" in third_lesson
    assert "Answer: none Wrong" in third_lesson


def test_open_attempts_and_other_courses_are_left_out(teacher_client, classroom, student):
    _other_course, [other_quiz] = make_course(lessons=1)
    take_quiz(student, other_quiz, right=4)
    start_attempt(user=student, quiz=Attempt.objects.first().quiz)

    text = visible_text(teacher_client.get(record_url(classroom, student)).content.decode())

    assert text.count(", attempt ") == 2


def test_student_without_attempts(teacher_client, teacher, other_student, course_and_quizzes):
    classroom = make_class(
        teachers=[teacher], courses=[course_and_quizzes[0]], students=[other_student]
    )

    text = visible_text(teacher_client.get(record_url(classroom, other_student)).content.decode())

    assert "bob has not submitted a quiz yet." in text

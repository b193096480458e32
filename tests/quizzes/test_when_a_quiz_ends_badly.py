"""What a student sees when a quiz ends badly: no attempts left, a lower retake after
a pass, and the small words ("1 question", "under a minute", "just now")."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress
from quizzes.grading import save_answers, start_attempt, submit_attempt
from tests.factories import CourseFactory, answers_for, make_quiz
from tests.pages import visible_text


def finish(user, quiz, pick):
    """An attempt answering every question with its choice at index `pick`: with
    make_quiz, 0 answers all right, -1 all wrong."""
    attempt = start_attempt(user=user, quiz=quiz)
    save_answers(attempt=attempt, answers=answers_for(quiz, pick))
    return submit_attempt(attempt=attempt)


@pytest.fixture
def course(db):
    return CourseFactory()


@pytest.fixture
def quiz(course):
    return make_quiz(questions=1, course=course, max_attempts=2, pass_mark=50)


def result_text(client, attempt):
    return visible_text(client.get(reverse("quizzes:result", args=[attempt.pk])), status=200)


def test_the_last_failed_attempt_says_no_attempts_left_and_what_to_do(
    student_client, student, quiz
):
    first = finish(student, quiz, -1)
    with_one_left = result_text(student_client, first)
    last = finish(student, quiz, -1)
    text = result_text(student_client, last)

    assert "Not passed yet" in with_one_left and "no attempts left" not in with_one_left
    assert "Not passed: no attempts left" in text
    assert "review the lesson" in text and "ask your teacher" in text
    quiz_page = visible_text(student_client.get(quiz.get_absolute_url()), status=200)
    assert "No attempts left." in quiz_page and "ask your teacher" in quiz_page


def test_continue_skips_a_lesson_that_can_no_longer_be_passed(student_client, student, quiz):
    course = quiz.lesson.course
    following = make_quiz(questions=1, course=course, lesson_position=2).lesson
    finish(student, quiz, -1)
    page = student_client.get(course.get_absolute_url()).content.decode()
    assert f'href="{quiz.lesson.get_absolute_url()}">Continue' in page

    finish(student, quiz, -1)
    page = student_client.get(course.get_absolute_url()).content.decode()

    assert f'href="{following.get_absolute_url()}">Continue' in page
    progress = visible_text(student_client.get(reverse("quizzes:progress")), status=200)
    assert "No attempts left" in progress


def test_allowing_more_attempts_gives_the_lesson_back(student_client, student, quiz):
    finish(student, quiz, -1)
    finish(student, quiz, -1)
    assert LessonProgress.objects.get(user=student, lesson=quiz.lesson).out_of_attempts

    quiz.max_attempts = 3
    quiz.save()

    assert not LessonProgress.objects.get(user=student, lesson=quiz.lesson).out_of_attempts
    page = student_client.get(quiz.lesson.course.get_absolute_url()).content.decode()
    assert f'href="{quiz.lesson.get_absolute_url()}">Continue' in page


def test_a_pass_then_a_lower_last_attempt_is_not_out_of_attempts(student, quiz):
    finish(student, quiz, 0)
    finish(student, quiz, -1)

    assert not LessonProgress.objects.get(user=student, lesson=quiz.lesson).out_of_attempts


def test_a_lower_retake_after_a_pass_says_passed_earlier(student_client, student, course):
    quiz = make_quiz(questions=3, course=course, pass_mark=60, max_attempts=3)
    finish(student, quiz, 0)  # 2 of 3: the select-all needs two choices
    lower = finish(student, quiz, -1)

    text = result_text(student_client, lower)

    # visible_text reads each tag as a space: on the page it is "67%; this attempt 0%".
    assert "Passed earlier with 67% ; this attempt 0%" in text
    assert "Not passed yet" not in text


def test_an_attempt_of_one_question_says_one_question(student_client, student, quiz):
    attempt = start_attempt(user=student, quiz=quiz)

    text = visible_text(student_client.get(attempt.get_absolute_url()), status=200)

    assert "1 question ·" in text and "1 questions" not in text


def render(template, **context):
    return Template("{% load learning_tags %}" + template).render(Context(context))


def test_a_quick_attempt_took_under_a_minute():
    start = timezone.now()

    assert render("{{ a|duration:b }}", a=start, b=start + timedelta(seconds=20)) == (
        "under a minute"
    )
    assert render("{{ a|duration:b }}", a=start, b=start + timedelta(minutes=3)) == "3\xa0minutes"


def test_activity_a_moment_ago_reads_just_now():
    assert render("{{ t|ago }}", t=timezone.now()) == "just now"
    assert render("{{ t|ago }}", t=timezone.now() - timedelta(hours=2)) == "2\xa0hours ago"

"""The quiz page: the rules, the student's attempts and best score, Start or Resume."""

import pytest
from django.urls import reverse

from quizzes.grading import save_answers, start_attempt, submit_attempt
from tests.factories import LessonFactory, make_quiz
from tests.pages import visible_text


@pytest.fixture
def quiz(db):
    return make_quiz(questions=4, pass_mark=75, max_attempts=3)


def start_url(quiz):
    return reverse("quizzes:start", args=[quiz.lesson.course.slug, quiz.lesson.slug])


def finish(user, quiz, right):
    attempt = start_attempt(user=user, quiz=quiz)
    answers = {}
    for question in quiz.questions.order_by("position")[:right]:
        answers[question.pk] = list(
            question.choices.filter(is_correct=True).values_list("pk", flat=True)
        )
    save_answers(attempt=attempt, answers=answers)
    return submit_attempt(attempt=attempt)


def test_anonymous_visitor_sees_the_rules_and_a_login_link_back_here(client, quiz):
    response = client.get(quiz.get_absolute_url())

    page = visible_text(response, status=200)
    assert "4 questions" in page
    assert "Pass mark 75%" in page
    assert "3 attempts allowed" in page
    assert f'href="{reverse("login")}?next={quiz.get_absolute_url()}"' in response.content.decode()
    assert f'action="{start_url(quiz)}"' not in response.content.decode()


def test_new_student_sees_start(student_client, quiz):
    response = student_client.get(quiz.get_absolute_url())

    assert "Attempts used: 0 of 3." in visible_text(response, status=200)
    assert f'action="{start_url(quiz)}"' in response.content.decode()
    assert "Start the quiz" in visible_text(response, status=200)


def test_past_attempts_with_dates_scores_and_best_score(student_client, student, quiz):
    first = finish(student, quiz, right=1)
    second = finish(student, quiz, right=3)

    response = student_client.get(quiz.get_absolute_url())

    page = visible_text(response, status=200)
    assert "Your best score: 75%" in page
    assert "Attempts used: 2 of 3." in page
    assert f"{first.submitted_at:%-d %b %Y}" in page
    assert "25% Not passed" in page
    assert "75% Passed" in page
    assert "Start attempt 3" in page
    html = response.content.decode()
    for attempt in (first, second):
        assert f'href="{reverse("quizzes:result", args=[attempt.pk])}"' in html


def test_open_attempt_offers_resume(student_client, student, quiz):
    start_attempt(user=student, quiz=quiz)

    response = student_client.get(quiz.get_absolute_url())

    assert "Resume attempt 1" in visible_text(response, status=200)
    assert "Attempts used: 0 of 3." in visible_text(response, status=200)


def test_no_start_once_every_attempt_is_used(student_client, student, quiz):
    for _ in range(3):
        finish(student, quiz, right=0)

    response = student_client.get(quiz.get_absolute_url())

    assert "You have used all your attempts at this quiz." in visible_text(response, status=200)
    assert f'action="{start_url(quiz)}"' not in response.content.decode()


def test_unlimited_attempts_are_stated(client, db):
    quiz = make_quiz(questions=1, max_attempts=None)

    assert "Unlimited attempts" in visible_text(client.get(quiz.get_absolute_url()), status=200)


def test_quiz_without_questions_says_so(student_client):
    quiz = make_quiz(questions=0)

    response = student_client.get(quiz.get_absolute_url())

    not_open = "This quiz is not open yet: its questions are still being written."
    assert not_open in visible_text(response, status=200)
    assert f'action="{start_url(quiz)}"' not in response.content.decode()


def test_another_students_attempts_are_not_shown(student_client, other_student, quiz):
    finish(other_student, quiz, right=4)

    page = visible_text(student_client.get(quiz.get_absolute_url()), status=200)

    assert "Attempts used: 0 of 3." in page
    assert "Your best score" not in page


def test_quiz_of_a_draft_lesson_is_404_for_students(student_client, quiz):
    quiz.lesson.published = False
    quiz.lesson.save()

    assert student_client.get(quiz.get_absolute_url()).status_code == 404


def test_quiz_of_a_draft_lesson_is_visible_to_staff(client, admin_user, quiz):
    quiz.lesson.published = False
    quiz.lesson.save()
    client.force_login(admin_user)

    assert client.get(quiz.get_absolute_url()).status_code == 200


def test_lesson_without_a_quiz_has_no_quiz_page(student_client):
    lesson = LessonFactory()

    url = reverse("quizzes:quiz", args=[lesson.course.slug, lesson.slug])
    assert student_client.get(url).status_code == 404

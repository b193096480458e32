"""A submitted attempt keeps what the student saw and chose, whatever is edited later."""

import re
from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from learning.models import LessonProgress
from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.models import Choice, Question
from tests.factories import make_quiz

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def quiz(db):
    return make_quiz(questions=3, pass_mark=50)


@pytest.fixture
def attempt(quiz, student):
    """Question 1 right, question 2 wrong (choice 2 chosen), question 3 unanswered."""
    attempt = start_attempt(user=student, quiz=quiz)
    q1, q2, _ = quiz.questions.order_by("position")
    save_answers(
        attempt=attempt,
        answers={
            q1.pk: [q1.choices.get(position=1).pk],
            q2.pk: [q2.choices.get(position=2).pk],
        },
    )
    return submit_attempt(attempt=attempt)


def result_html(client, attempt):
    response = client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert response.status_code == 200
    return CSRF.sub("CSRF", response.content.decode())


def test_editing_questions_and_choices_later_changes_no_past_result(
    student_client, student, attempt, quiz
):
    before = result_html(student_client, attempt)
    q1, q2, q3 = quiz.questions.order_by("position")

    Question.objects.filter(pk=q1.pk).update(
        prompt="A rewritten prompt", explanation="A new explanation", source_passage="New text"
    )
    # The student's wrong choice on question 2 becomes the right one...
    Choice.objects.filter(question=q2).update(is_correct=False)
    Choice.objects.filter(question=q2, position=2).update(is_correct=True, text="Renamed")
    # ...and the choice they picked on question 1 disappears.
    Choice.objects.filter(question=q1, position=1).delete()
    Choice.objects.filter(question=q3, position=4).delete()

    after = result_html(student_client, attempt)
    attempt.refresh_from_db()

    assert after == before
    assert "A rewritten prompt" not in after
    assert "Q1 choice 1" in after
    assert attempt.score == Decimal("33.33")
    assert dict(attempt.responses.values_list("question_id", "is_correct")) == {
        q1.pk: True,
        q2.pk: False,
        q3.pk: False,
    }
    progress = LessonProgress.objects.get(user=student, lesson=quiz.lesson)
    assert progress.best_score == Decimal("33.33")


def test_submitted_paper_records_the_key_and_the_feedback(attempt, quiz):
    q1 = quiz.questions.get(position=1)
    shown = next(q for q in attempt.paper["questions"] if q["id"] == q1.pk)

    assert shown["correct"] == [q1.choices.get(position=1).pk]
    assert shown["explanation"] == q1.explanation
    assert shown["source_passage"] == q1.source_passage


def test_deleting_a_question_with_attempts_is_refused(attempt, quiz):
    with pytest.raises(ProtectedError):
        quiz.questions.first().delete()

    assert quiz.questions.count() == 3


def test_deleting_a_quiz_with_attempts_is_refused(attempt, quiz):
    with pytest.raises(ProtectedError):
        quiz.delete()


def test_deleting_a_lesson_with_attempts_is_refused(attempt, quiz):
    with pytest.raises(ProtectedError):
        quiz.lesson.delete()

    quiz.lesson.refresh_from_db()


def test_question_unanswered_in_an_open_attempt_is_still_protected_once_submitted(student, quiz):
    attempt = start_attempt(user=student, quiz=quiz)
    submit_attempt(attempt=attempt)  # nothing answered: every question gets a wrong response

    with pytest.raises(ProtectedError):
        quiz.questions.last().delete()

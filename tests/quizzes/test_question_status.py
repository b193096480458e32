"""Draft, approved, retired: students only ever see approved questions, a quiz opens once
it has enough of them, and a status change never moves an attempt already made."""

import re

import pytest
from django.urls import reverse

from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.models import Attempt, Question, QuestionStatus
from tests.factories import QuizFactory, make_question, make_quiz, right_answer
from tests.pages import visible_text

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
DRAFT_PROMPT = "Which draft is still being written?"
RETIRED_PROMPT = "Which question was retired last week?"
NOT_OPEN = "This quiz is not open yet: its questions are still being written."


def add_question(quiz, position, status, prompt):
    question = make_question(quiz, position)
    Question.objects.filter(pk=question.pk).update(status=status, prompt=prompt)
    return question


def set_status(question, status):
    Question.objects.filter(pk=question.pk).update(status=status)


@pytest.fixture
def quiz(db):
    """Three approved questions, one draft, one retired."""
    quiz = make_quiz(questions=3, max_attempts=3)
    add_question(quiz, 4, QuestionStatus.DRAFT, DRAFT_PROMPT)
    add_question(quiz, 5, QuestionStatus.RETIRED, RETIRED_PROMPT)
    return quiz


def approved_ids(quiz):
    return set(quiz.questions.approved().values_list("pk", flat=True))


def start_url(quiz):
    return reverse("quizzes:start", args=[quiz.lesson.course.slug, quiz.lesson.slug])


def lesson_url(quiz):
    return reverse("learning:lesson", args=[quiz.lesson.course.slug, quiz.lesson.slug])


def answer_all_right(attempt):
    ids = [q["id"] for q in attempt.paper["questions"]]
    save_answers(attempt=attempt, answers={qid: right_answer(qid) for qid in ids})
    return submit_attempt(attempt=attempt)


def result_html(client, attempt):
    response = client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert response.status_code == 200
    return CSRF.sub("CSRF", response.content.decode())


# ---------------------------------------------------------------- what students see


def test_quiz_page_counts_approved_questions_only(student_client, quiz):
    text = visible_text(student_client.get(quiz.get_absolute_url()), status=200)

    assert "3 questions per attempt" in text
    assert "5 questions" not in text
    assert "Start the quiz" in text


def test_attempt_page_shows_approved_questions_only(student_client, student, quiz):
    response = student_client.post(start_url(quiz), follow=True)

    text = visible_text(response, status=200)
    attempt = Attempt.objects.get(user=student, quiz=quiz)
    assert {q["id"] for q in attempt.paper["questions"]} == approved_ids(quiz)
    assert "Attempt 1 · 3 questions" in text
    for question in quiz.questions.approved():
        assert question.prompt in text
    assert DRAFT_PROMPT not in text
    assert RETIRED_PROMPT not in text


def test_result_page_shows_approved_questions_only(student_client, student, quiz):
    attempt = answer_all_right(start_attempt(user=student, quiz=quiz))

    text = visible_text(result_html(student_client, attempt))

    assert "3 of 3 right" in text
    assert DRAFT_PROMPT not in text
    assert RETIRED_PROMPT not in text
    assert set(attempt.responses.values_list("question_id", flat=True)) == approved_ids(quiz)


def test_a_quiz_of_drafts_only_is_not_open_and_cannot_be_started(student_client, student):
    quiz = QuizFactory()
    add_question(quiz, 1, QuestionStatus.DRAFT, DRAFT_PROMPT)
    add_question(quiz, 2, QuestionStatus.RETIRED, RETIRED_PROMPT)

    page = student_client.get(quiz.get_absolute_url())
    refused = student_client.post(start_url(quiz), follow=True)

    assert NOT_OPEN in visible_text(page, status=200)
    assert f'action="{start_url(quiz)}"' not in page.content.decode()
    assert "questions per attempt" not in visible_text(page)
    assert NOT_OPEN in visible_text(refused, status=200)
    assert not Attempt.objects.exists()


def test_a_quiz_opens_once_it_has_enough_approved_questions_for_one_attempt(
    student_client, student
):
    quiz = make_quiz(questions=3, questions_per_attempt=4)
    fourth = add_question(quiz, 4, QuestionStatus.DRAFT, DRAFT_PROMPT)

    closed = student_client.get(quiz.get_absolute_url())
    refused = student_client.post(start_url(quiz), follow=True)
    set_status(fourth, QuestionStatus.APPROVED)
    opened = student_client.get(quiz.get_absolute_url())

    assert NOT_OPEN in visible_text(closed, status=200)
    assert f'action="{start_url(quiz)}"' not in closed.content.decode()
    assert NOT_OPEN in visible_text(refused, status=200)
    assert not Attempt.objects.exists()
    assert NOT_OPEN not in visible_text(opened, status=200)
    assert "4 questions per attempt" in visible_text(opened)
    assert f'action="{start_url(quiz)}"' in opened.content.decode()


def test_a_pool_larger_than_an_attempt_says_how_many_each_attempt_shows(student_client):
    quiz = make_quiz(questions=6, questions_per_attempt=4)

    text = visible_text(student_client.get(quiz.get_absolute_url()), status=200)

    assert "4 questions per attempt" in text
    assert "Start the quiz" in text


def test_lesson_page_calls_to_the_quiz_only_once_it_is_offered(student_client):
    quiz = QuizFactory()
    draft = add_question(quiz, 1, QuestionStatus.DRAFT, DRAFT_PROMPT)

    before = student_client.get(lesson_url(quiz))
    set_status(draft, QuestionStatus.APPROVED)
    after = student_client.get(lesson_url(quiz))

    assert before.status_code == 200
    assert "Take the quiz" not in visible_text(before)
    assert "Take the quiz" in visible_text(after, status=200)


def test_retiring_every_question_closes_the_quiz_again(student_client, quiz):
    quiz.questions.approved().update(status=QuestionStatus.RETIRED)

    text = visible_text(student_client.get(quiz.get_absolute_url()), status=200)

    assert NOT_OPEN in text
    assert "Take the quiz" not in visible_text(student_client.get(lesson_url(quiz)))


# ---------------------------------------------------------------- history stays put


@pytest.mark.parametrize("status", [QuestionStatus.RETIRED, QuestionStatus.DRAFT])
def test_a_status_change_leaves_a_past_result_page_as_it_was(student_client, student, quiz, status):
    attempt = answer_all_right(start_attempt(user=student, quiz=quiz))
    before = result_html(student_client, attempt)
    first = quiz.questions.get(position=1)

    set_status(first, status)
    after = result_html(student_client, attempt)
    attempt.refresh_from_db()

    assert after == before
    assert first.prompt in visible_text(after)
    assert "3 of 3 right" in visible_text(after)
    assert attempt.score == 100


@pytest.mark.parametrize("status", [QuestionStatus.RETIRED, QuestionStatus.DRAFT])
def test_a_status_change_keeps_an_open_attempts_question_and_grades_it(
    student_client, student, quiz, status
):
    attempt = start_attempt(user=student, quiz=quiz)
    first = quiz.questions.get(position=1)

    set_status(first, status)
    page = student_client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    attempt.refresh_from_db()
    graded = answer_all_right(attempt)

    assert first.prompt in visible_text(page, status=200)
    assert first.pk in {q["id"] for q in graded.paper["questions"]}
    assert graded.score == 100
    assert graded.responses.get(question=first).is_correct is True
    assert "3 of 3 right" in visible_text(result_html(student_client, graded))


def test_the_next_attempt_after_retiring_leaves_the_retired_question_out(
    student_client, student, quiz
):
    answer_all_right(start_attempt(user=student, quiz=quiz))
    first = quiz.questions.get(position=1)
    set_status(first, QuestionStatus.RETIRED)

    retake = start_attempt(user=student, quiz=quiz)
    text = visible_text(student_client.get(reverse("quizzes:attempt", args=[retake.pk])))

    assert first.pk not in {q["id"] for q in retake.paper["questions"]}
    assert "Attempt 2 · 2 questions" in text
    assert first.prompt not in text

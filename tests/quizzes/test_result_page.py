"""The result page: score, pass or fail, feedback per question, and when answers are revealed."""

import pytest
from django.urls import reverse

from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.models import Choice, Quiz, RevealAnswers
from tests.factories import LessonFactory, make_quiz
from tests.pages import visible_text


def finish(user, quiz, right=()):
    """An attempt answering the questions at positions in `right` correctly, the rest wrongly."""
    attempt = start_attempt(user=user, quiz=quiz)
    answers = {}
    for question in quiz.questions.order_by("position"):
        choices = question.choices.order_by("position")
        if question.position in right:
            answers[question.pk] = [c.pk for c in choices if c.is_correct]
        else:
            answers[question.pk] = [next(c.pk for c in choices if not c.is_correct)]
    save_answers(attempt=attempt, answers=answers)
    return submit_attempt(attempt=attempt)


def result_text(client, attempt):
    return visible_text(client.get(reverse("quizzes:result", args=[attempt.pk])), status=200)


def question_section(text, number, prompt):
    start = text.index(f"{number}. {prompt}")
    end = text.find(f"{number + 1}. ", start)
    return text[start : end if end != -1 else len(text)]


@pytest.fixture
def quiz(db):
    quiz = make_quiz(questions=3, pass_mark=60, max_attempts=3)
    for question in quiz.questions.all():
        question.explanation = f"Why {question.position}."
        question.source_passage = f"Passage {question.position}."
        question.save()
    return quiz


def test_result_shows_score_pass_or_fail_and_right_count(student_client, student, quiz):
    attempt = finish(student, quiz, right={1, 2})

    text = result_text(student_client, attempt)

    assert "67%" in text and "66.67" not in text
    assert "Passed" in text
    assert "2 of 3 right" in text
    assert "pass mark 60%" in text


def test_failed_result_says_not_passed(student_client, student, quiz):
    attempt = finish(student, quiz, right={1})

    text = result_text(student_client, attempt)

    assert "33%" in text and "33.33" not in text
    assert "Not passed yet" in text


def test_each_question_shows_the_answer_given_and_whether_it_was_right(
    student_client, student, quiz
):
    attempt = finish(student, quiz, right={1, 3})
    q1, q2, q3 = quiz.questions.order_by("position")

    text = result_text(student_client, attempt)

    first = question_section(text, 1, q1.prompt)
    second = question_section(text, 2, q2.prompt)
    third = question_section(text, 3, q3.prompt)
    assert "Right" in first and "Wrong" not in first
    assert "Wrong" in second
    assert "Right" in third
    assert "Your answer: Q2 choice 2" in second
    assert "Your answer: Q3 choice 1" in third and "Your answer: Q3 choice 2" in third


def test_explanations_for_every_question_and_the_lesson_passage_on_wrong_ones(
    student_client, student, quiz
):
    attempt = finish(student, quiz, right={1, 3})
    q1, q2, q3 = quiz.questions.order_by("position")

    text = result_text(student_client, attempt)

    for number, question in enumerate((q1, q2, q3), 1):
        assert f"Why: Why {number}." in question_section(text, number, question.prompt)
    assert "From the lesson: Passage 2." in question_section(text, 2, q2.prompt)
    assert "Passage 1." not in text
    assert "Passage 3." not in text
    assert (
        f'href="{quiz.lesson.get_absolute_url()}"'
        in student_client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    )


def test_feedback_of_a_chosen_choice_is_shown(student_client, student, quiz):
    q2 = quiz.questions.get(position=2)
    Choice.objects.filter(question=q2, position=2).update(feedback="That was another plan.")
    Choice.objects.filter(question=q2, position=3).update(feedback="Not chosen, not shown.")
    attempt = finish(student, quiz, right={1, 3})

    text = result_text(student_client, attempt)

    assert "That was another plan." in text
    assert "Not chosen, not shown." not in text


def test_answers_revealed_always_when_set(student_client, student, quiz):
    attempt = finish(student, quiz, right=set())

    text = result_text(student_client, attempt)

    assert quiz.reveal_answers == RevealAnswers.ALWAYS
    assert text.count("Correct answer") == 4  # one each for 1-2, two for the select-all


def by_default(quiz):
    quiz.reveal_answers = Quiz().reveal_answers  # what a new quiz gets
    quiz.save()
    return quiz


def test_a_new_quiz_reveals_answers_once_passed_or_no_attempts_left(student_client, student, quiz):
    assert by_default(quiz).reveal_answers == RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT
    failed = finish(student, quiz, right={1})

    before = result_text(student_client, failed)
    finish(student, quiz, right={1, 2, 3})
    after = result_text(student_client, failed)

    assert "Correct answer" not in before
    assert "shown once you pass this quiz or have used all your attempts" in before
    assert after.count("Correct answer") == 4


def test_the_default_reveals_answers_when_no_attempts_are_left(student_client, student, quiz):
    by_default(quiz).max_attempts = 2
    quiz.save()
    first = finish(student, quiz, right={1})
    with_one_left = result_text(student_client, first)
    last = finish(student, quiz, right={1})

    assert "Correct answer" not in with_one_left
    assert result_text(student_client, last).count("Correct answer") == 4


def test_answers_revealed_only_once_passed(student_client, student, quiz):
    quiz.reveal_answers = RevealAnswers.ONCE_PASSED
    quiz.save()
    failed = finish(student, quiz, right={1})

    before = result_text(student_client, failed)
    finish(student, quiz, right={1, 2, 3})
    after = result_text(student_client, failed)

    assert "Correct answer" not in before
    assert "Why:" not in before
    assert "The correct answers are shown once you pass this quiz." in before
    assert after.count("Correct answer") == 4
    assert "Why: Why 2." in after


def test_answers_revealed_only_once_no_attempts_are_left(student_client, student, quiz):
    quiz.reveal_answers = RevealAnswers.NO_ATTEMPTS_LEFT
    quiz.max_attempts = 2
    quiz.save()
    first = finish(student, quiz, right={1, 2, 3})

    with_one_left = result_text(student_client, first)
    last = finish(student, quiz, right={1})
    none_left = result_text(student_client, last)

    assert "Correct answer" not in with_one_left
    assert "The correct answers are shown once you have used all your attempts." in with_one_left
    assert none_left.count("Correct answer") == 4
    assert "Why: Why 1." in none_left
    assert result_text(student_client, first).count("Correct answer") == 4


def test_retake_is_offered_while_attempts_remain(student_client, student, quiz):
    quiz.max_attempts = 2
    quiz.save()
    start = reverse("quizzes:start", args=[quiz.lesson.course.slug, quiz.lesson.slug])

    first = finish(student, quiz, right={1})
    html_first = student_client.get(reverse("quizzes:result", args=[first.pk])).content.decode()
    last = finish(student, quiz, right={1})
    html_last = student_client.get(reverse("quizzes:result", args=[last.pk])).content.decode()

    assert f'action="{start}"' in html_first and "Retake the quiz" in html_first
    assert f'action="{start}"' not in html_last and "Retake the quiz" not in html_last


def test_next_lesson_and_course_links(student_client, student, quiz):
    course = quiz.lesson.course
    LessonFactory(course=course, position=quiz.lesson.position + 1, published=False)
    following = LessonFactory(course=course, position=quiz.lesson.position + 2, title="Next one")
    attempt = finish(student, quiz, right={1, 2})

    html = student_client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()

    assert f'href="{following.get_absolute_url()}"' in html
    assert "Next lesson: Next one" in html
    assert f'href="{course.get_absolute_url()}"' in html


def test_last_lesson_offers_no_next_lesson(student_client, student, quiz):
    attempt = finish(student, quiz, right={1, 2})

    assert "Next lesson" not in result_text(student_client, attempt)


def test_best_score_is_shown_on_a_worse_attempt(student_client, student, quiz):
    finish(student, quiz, right={1, 2, 3})
    worse = finish(student, quiz, right=set())

    assert "Your best score on this quiz: 100%" in result_text(student_client, worse)


def test_result_of_an_open_attempt_leads_back_to_the_attempt(student_client, student, quiz):
    attempt = start_attempt(user=student, quiz=quiz)

    response = student_client.get(reverse("quizzes:result", args=[attempt.pk]))

    assert response.status_code == 302
    assert response.url == reverse("quizzes:attempt", args=[attempt.pk])


def test_anonymous_result_goes_to_login(client, student, quiz):
    attempt = finish(student, quiz, right={1})

    response = client.get(reverse("quizzes:result", args=[attempt.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_result_page_is_get_only(student_client, student, quiz):
    attempt = finish(student, quiz, right={1})

    assert student_client.post(reverse("quizzes:result", args=[attempt.pk])).status_code == 405


def test_answers_stay_hidden_while_the_last_attempt_is_open(student_client, student, quiz):
    quiz.reveal_answers = RevealAnswers.NO_ATTEMPTS_LEFT
    quiz.max_attempts = 2
    quiz.save()
    first = finish(student, quiz, right={1})
    start_attempt(user=student, quiz=quiz)  # the last attempt, still being answered

    text = result_text(student_client, first)

    # Revealing here would hand the key to the attempt in progress.
    assert "Correct answer" not in text
    assert "Why:" not in text
    assert "Retake the quiz" in text  # resumes the open attempt


def test_choice_feedback_is_hidden_with_the_answers(student_client, student, quiz):
    quiz.reveal_answers = RevealAnswers.ONCE_PASSED
    quiz.save()
    q2 = quiz.questions.get(position=2)
    Choice.objects.filter(question=q2, position=2).update(feedback="No: it was choice 1.")
    failed = finish(student, quiz, right={1})

    before = result_text(student_client, failed)
    finish(student, quiz, right={1, 2, 3})
    after = result_text(student_client, failed)

    assert "No: it was choice 1." not in before
    assert "No: it was choice 1." in after

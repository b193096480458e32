"""Starting an attempt: the order shown is recorded, one open attempt, the attempts limit."""

import random
import re

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from quizzes.grading import start_attempt, submit_attempt
from quizzes.models import Attempt
from tests.factories import make_quiz


def start_url(quiz):
    return reverse("quizzes:start", args=[quiz.lesson.course.slug, quiz.lesson.slug])


def shown_order(html):
    """Question ids and choice ids in the order the attempt page shows them."""
    questions = [int(x) for x in re.findall(r'name="shown" value="(\d+)"', html)]
    choices = [int(x) for x in re.findall(r'name="q\d+" value="(\d+)"', html)]
    return questions, choices


def paper_order(attempt):
    questions = [q["id"] for q in attempt.paper["questions"]]
    choices = [c["id"] for q in attempt.paper["questions"] for c in q["choices"]]
    return questions, choices


def test_start_creates_attempt_one_and_opens_it(student_client, student):
    quiz = make_quiz(questions=3)

    response = student_client.post(start_url(quiz))

    attempt = Attempt.objects.get(user=student, quiz=quiz)
    assert response.status_code == 302
    assert response.url == reverse("quizzes:attempt", args=[attempt.pk])
    assert attempt.number == 1
    assert attempt.submitted_at is None


def test_start_records_the_order_shown(student):
    quiz = make_quiz(questions=3)

    attempt = start_attempt(user=student, quiz=quiz)

    questions = list(quiz.questions.order_by("position"))
    assert [q["id"] for q in attempt.paper["questions"]] == [q.pk for q in questions]
    for shown, question in zip(attempt.paper["questions"], questions, strict=True):
        assert shown["prompt"] == question.prompt
        assert shown["kind"] == question.kind
        assert [c["id"] for c in shown["choices"]] == [
            c.pk for c in question.choices.order_by("position")
        ]
        assert [c["text"] for c in shown["choices"]] == [
            c.text for c in question.choices.order_by("position")
        ]


def test_questions_and_choices_are_shuffled_when_the_quiz_asks(student):
    quiz = make_quiz(questions=6, shuffle_questions=True, shuffle_choices=True)

    attempt = start_attempt(user=student, quiz=quiz, rng=random.Random(7))

    # The same seed applied to the positional order gives the expected paper.
    rng = random.Random(7)
    questions = list(quiz.questions.order_by("position"))
    rng.shuffle(questions)
    expected = []
    for question in questions:
        choices = list(question.choices.order_by("position"))
        rng.shuffle(choices)
        expected.append((question.pk, [c.pk for c in choices]))
    got = [(q["id"], [c["id"] for c in q["choices"]]) for q in attempt.paper["questions"]]
    assert got == expected
    positional = [q.pk for q in quiz.questions.order_by("position")]
    assert [q for q, _ in got] != positional


def test_choices_keep_their_positions_when_the_quiz_does_not_shuffle(student):
    quiz = make_quiz(questions=4, shuffle_questions=False, shuffle_choices=False)

    attempt = start_attempt(user=student, quiz=quiz, rng=random.Random(7))

    for shown in attempt.paper["questions"]:
        positions = [c["text"][-1] for c in shown["choices"]]
        assert positions == sorted(positions)


def test_reload_and_resume_show_the_same_order(student_client, student):
    quiz = make_quiz(questions=6, shuffle_questions=True, shuffle_choices=True)
    attempt = start_attempt(user=student, quiz=quiz, rng=random.Random(11))
    page = reverse("quizzes:attempt", args=[attempt.pk])

    first = student_client.get(page).content.decode()
    resumed = student_client.post(start_url(quiz), follow=True).content.decode()
    again = student_client.get(page).content.decode()

    assert shown_order(first) == paper_order(attempt)
    assert shown_order(resumed) == shown_order(first) == shown_order(again)


def test_start_with_an_open_attempt_resumes_it(student_client, student):
    quiz = make_quiz(questions=2)

    first = student_client.post(start_url(quiz))
    second = student_client.post(start_url(quiz))

    attempt = Attempt.objects.get(user=student, quiz=quiz)
    assert first.url == second.url == reverse("quizzes:attempt", args=[attempt.pk])
    assert Attempt.objects.filter(user=student, quiz=quiz).count() == 1


def test_start_after_a_submitted_attempt_begins_the_next_number(student_client, student):
    quiz = make_quiz(questions=2)
    submit_attempt(attempt=start_attempt(user=student, quiz=quiz))

    student_client.post(start_url(quiz))

    assert list(
        Attempt.objects.filter(user=student, quiz=quiz).order_by("number").values_list("number")
    ) == [(1,), (2,)]


def test_starting_beyond_the_attempts_allowed_is_refused_with_a_message(student_client, student):
    quiz = make_quiz(questions=2, max_attempts=1)
    submit_attempt(attempt=start_attempt(user=student, quiz=quiz))

    response = student_client.post(start_url(quiz), follow=True)

    assert response.redirect_chain[-1][0] == quiz.get_absolute_url()
    assert "You have used all 1 attempts at this quiz." in response.content.decode()
    assert Attempt.objects.filter(user=student, quiz=quiz).count() == 1


def test_unlimited_attempts_never_refuse(student):
    quiz = make_quiz(questions=1, max_attempts=None)
    for _ in range(5):
        submit_attempt(attempt=start_attempt(user=student, quiz=quiz))

    assert start_attempt(user=student, quiz=quiz).number == 6


def test_anonymous_start_goes_to_login_and_comes_back_to_the_quiz(client, student):
    quiz = make_quiz(questions=2)

    response = client.post(start_url(quiz))

    login = reverse("login")
    assert response.status_code == 302
    assert response.url == f"{login}?next={quiz.get_absolute_url()}"
    assert not Attempt.objects.exists()
    after_login = client.post(
        response.url, {"username": "alice", "password": "pw-for-tests-1"}, follow=True
    )
    assert after_login.redirect_chain[-1][0] == quiz.get_absolute_url()
    assert after_login.status_code == 200
    assert client.session[SESSION_KEY] == str(student.pk)


def test_start_on_a_quiz_without_questions_is_refused(student_client, student):
    quiz = make_quiz(questions=0)

    response = student_client.post(start_url(quiz), follow=True)

    not_open = "This quiz is not open yet: its questions are still being written."
    assert not_open in response.content.decode()
    assert not Attempt.objects.exists()


def test_start_on_a_draft_lesson_is_404(student_client):
    quiz = make_quiz(questions=2)
    quiz.lesson.published = False
    quiz.lesson.save()

    assert student_client.post(start_url(quiz)).status_code == 404
    assert not Attempt.objects.exists()


def test_start_by_get_is_not_allowed(student_client):
    quiz = make_quiz(questions=2)

    assert student_client.get(start_url(quiz)).status_code == 405
    assert not Attempt.objects.exists()

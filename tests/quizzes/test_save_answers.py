"""Saving answers as the student goes: kept, shown again anywhere, bad input refused."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.grading import start_attempt, submit_attempt
from quizzes.models import Question, Response
from tests.conftest import make_user
from tests.factories import make_quiz
from tests.pages import visible_text

JSON = {"accept": "application/json"}


@pytest.fixture
def quiz(db):
    return make_quiz(questions=3)  # questions 1-2 single answer, 3 select-all


def questions(attempt):
    """The attempt's questions as shown: [(id, [choice ids])]."""
    return [(q["id"], [c["id"] for c in q["choices"]]) for q in attempt.paper["questions"]]


def form(attempt, picks):
    """The page's form data: every question shown, `picks` {question id: [choice ids]}."""
    data = {"shown": [qid for qid, _ in questions(attempt)]}
    data.update({f"q{qid}": chosen for qid, chosen in picks.items()})
    return data


def saved(attempt):
    return dict(Response.objects.filter(attempt=attempt).values_list("question_id", "selected"))


def save_url(attempt):
    return reverse("quizzes:save", args=[attempt.pk])


def checked_ids(html):
    return {int(x) for x in re.findall(r'value="(\d+)" id="c\d+" checked', html)}


def test_save_button_keeps_the_answers_and_says_so(student_client, attempt):
    (q1, c1), (q2, c2), (q3, c3) = questions(attempt)

    response = student_client.post(
        save_url(attempt), form(attempt, {q1: [c1[1]], q3: [c3[0], c3[2]]}), follow=True
    )

    assert response.redirect_chain[0][0].endswith("#question-nav")
    assert "Your answers are saved." in response.content.decode()
    assert saved(attempt) == {q1: [c1[1]], q2: [], q3: [c3[0], c3[2]]}
    assert checked_ids(response.content.decode()) == {c1[1], c3[0], c3[2]}


def test_saved_answers_come_back_on_reload_and_on_another_device(student_client, attempt):
    (q1, c1), _, (q3, c3) = questions(attempt)
    student_client.post(save_url(attempt), form(attempt, {q1: [c1[2]], q3: [c3[1], c3[3]]}))

    reload = student_client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    other_device = Client()
    signed_in = other_device.post(
        reverse("login"), {"username": "alice", "password": "pw-for-tests-1"}
    )
    assert signed_in.status_code == 302
    elsewhere = other_device.get(reverse("quizzes:attempt", args=[attempt.pk]))

    assert checked_ids(reload.content.decode()) == {c1[2], c3[1], c3[3]}
    assert checked_ids(elsewhere.content.decode()) == {c1[2], c3[1], c3[3]}
    assert "2 of 3 answered" in visible_text(elsewhere)


def test_changing_an_answer_replaces_the_saved_one(student_client, attempt):
    (q1, c1), _, _ = questions(attempt)
    student_client.post(save_url(attempt), {"shown": q1, f"q{q1}": c1[0]}, headers=JSON)

    student_client.post(save_url(attempt), {"shown": q1, f"q{q1}": c1[3]}, headers=JSON)

    assert saved(attempt) == {q1: [c1[3]]}
    assert Response.objects.filter(attempt=attempt).count() == 1


def test_background_save_returns_saved_true_and_touches_only_that_question(student_client, attempt):
    (q1, c1), (q2, c2), _ = questions(attempt)
    student_client.post(save_url(attempt), {"shown": q1, f"q{q1}": c1[0]}, headers=JSON)

    response = student_client.post(save_url(attempt), {"shown": q2, f"q{q2}": c2[1]}, headers=JSON)

    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert saved(attempt) == {q1: [c1[0]], q2: [c2[1]]}


def test_background_save_of_an_emptied_question_clears_it(student_client, attempt):
    *_, (q3, c3) = questions(attempt)
    student_client.post(save_url(attempt), {"shown": q3, f"q{q3}": [c3[0]]}, headers=JSON)

    response = student_client.post(save_url(attempt), {"shown": q3}, headers=JSON)

    assert response.json()["saved"] is True
    assert saved(attempt) == {q3: []}


def test_save_with_nothing_chosen_says_so_and_saves_nothing(student_client, attempt):
    response = student_client.post(save_url(attempt), form(attempt, {}))

    assert response.status_code == 400
    assert "Nothing was chosen yet: pick an answer, then save." in response.content.decode()
    assert saved(attempt) == {}


def _bad_inputs(attempt, other_attempt):
    (q1, c1), (q2, c2), (q3, c3) = questions(attempt)
    foreign_q, foreign_c = questions(other_attempt)[0]
    return {
        "choice of another question": ({f"q{q1}": c2[0]}, "does not belong to question"),
        "choice of another quiz": ({f"q{q1}": foreign_c[0]}, "does not belong to question"),
        "non-numeric choice": ({f"q{q1}": "abc"}, "not a valid choice id"),
        "negative choice": ({f"q{q1}": "-5"}, "not a valid choice id"),
        "huge choice": ({f"q{q1}": "9" * 40}, "not a valid choice id"),
        "two choices on a single answer": ({f"q{q1}": [c1[0], c1[1]]}, "Choose only one"),
        "same choice twice": ({f"q{q3}": [c3[0], c3[0]]}, "sent twice"),
        "unknown question": ({"q999999": c1[0]}, "not part of this attempt"),
        "question of another quiz": ({f"q{foreign_q}": foreign_c[0]}, "not part of this attempt"),
        "non-numeric question": ({"qabc": c1[0]}, "not a valid question id"),
        "unknown shown question": ({"shown": "424242", f"q{q1}": c1[0]}, "not part of"),
        "non-numeric shown": ({"shown": "x", f"q{q1}": c1[0]}, "not a valid question id"),
    }


BAD = [
    "choice of another question",
    "choice of another quiz",
    "non-numeric choice",
    "negative choice",
    "huge choice",
    "two choices on a single answer",
    "same choice twice",
    "unknown question",
    "question of another quiz",
    "non-numeric question",
    "unknown shown question",
    "non-numeric shown",
]


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_400_with_a_message_and_saves_nothing(
    student_client, attempt, other_student, case
):
    other_attempt = start_attempt(user=other_student, quiz=make_quiz(questions=1))
    (q1, c1), (q2, c2), _ = questions(attempt)
    data, message = _bad_inputs(attempt, other_attempt)[case]
    # A good answer travels with the bad one: it must not be saved either.
    data = {"shown": [q1, q2], f"q{q2}": c2[0], **data}

    response = student_client.post(save_url(attempt), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert saved(attempt) == {}


@pytest.mark.parametrize("case", BAD)
def test_bad_background_save_is_400_json_and_saves_nothing(
    student_client, attempt, other_student, case
):
    other_attempt = start_attempt(user=other_student, quiz=make_quiz(questions=1))
    data, message = _bad_inputs(attempt, other_attempt)[case]

    response = student_client.post(save_url(attempt), data, headers=JSON)

    assert response.status_code == 400
    assert response.json()["saved"] is False
    assert message in response.json()["error"]
    assert saved(attempt) == {}


@pytest.mark.parametrize("headers", [{}, JSON], ids=["button", "background"])
def test_save_on_a_submitted_attempt_is_409_and_changes_nothing(student_client, attempt, headers):
    (q1, c1), _, _ = questions(attempt)
    student_client.post(save_url(attempt), {"shown": q1, f"q{q1}": c1[0]}, headers=JSON)
    submit_attempt(attempt=attempt)
    before = saved(attempt)

    response = student_client.post(
        save_url(attempt), {"shown": q1, f"q{q1}": c1[1]}, headers=headers
    )

    assert response.status_code == 409
    assert "already been submitted" in response.content.decode()
    assert saved(attempt) == before
    assert before[q1] == [c1[0]]


def test_save_is_post_only(student_client, attempt):
    assert student_client.get(save_url(attempt)).status_code == 405


def test_anonymous_save_saves_nothing(client, attempt):
    (q1, c1), _, _ = questions(attempt)

    response = client.post(save_url(attempt), {"shown": q1, f"q{q1}": c1[0]})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert saved(attempt) == {}


# ---------------------------------------------------------------- CSRF


def csrf_client(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    return client


def page_token(client, attempt):
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_background_save_without_csrf_token_is_403(student, attempt):
    client = csrf_client(student)
    page_token(client, attempt)  # the page sets the CSRF cookie
    (q1, c1), _, _ = questions(attempt)

    response = client.post(save_url(attempt), {"shown": q1, f"q{q1}": c1[0]}, headers=JSON)

    assert response.status_code == 403
    assert saved(attempt) == {}


def test_background_save_with_the_pages_token_in_a_header_works(student, attempt):
    client = csrf_client(student)
    token = page_token(client, attempt)
    (q1, c1), _, _ = questions(attempt)

    response = client.post(
        save_url(attempt),
        {"shown": q1, f"q{q1}": c1[0]},
        headers={**JSON, "x-csrftoken": token},
    )

    assert response.json()["saved"] is True
    assert saved(attempt) == {q1: [c1[0]]}


@pytest.mark.parametrize("name", ["save", "submit"])
def test_forms_without_csrf_token_are_403(student, attempt, name):
    client = csrf_client(student)
    page_token(client, attempt)
    (q1, c1), _, _ = questions(attempt)

    response = client.post(
        reverse(f"quizzes:{name}", args=[attempt.pk]),
        {"shown": q1, f"q{q1}": c1[0], "confirm": "yes"},
    )

    assert response.status_code == 403
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert saved(attempt) == {}


def test_forms_with_the_pages_token_work(student, attempt):
    client = csrf_client(student)
    token = page_token(client, attempt)
    (q1, c1), _, _ = questions(attempt)

    response = client.post(
        save_url(attempt), {"shown": q1, f"q{q1}": c1[0], "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert saved(attempt) == {q1: [c1[0]]}


def test_start_without_csrf_token_is_403(student, quiz):
    client = csrf_client(student)
    client.get(quiz.get_absolute_url())

    response = client.post(
        reverse("quizzes:start", args=[quiz.lesson.course.slug, quiz.lesson.slug])
    )

    assert response.status_code == 403
    assert not quiz.attempts.exists()


@pytest.mark.django_db(transaction=True)
def test_answer_to_a_question_deleted_since_the_attempt_began_is_dropped(client):
    student = make_user("carol")
    attempt = start_attempt(user=student, quiz=make_quiz(questions=2))
    (q1, c1), (q2, c2) = questions(attempt)
    Question.objects.filter(pk=q2).delete()  # not answered yet, so nothing protects it
    client.force_login(student)

    response = client.post(
        save_url(attempt), {"shown": [q1, q2], f"q{q1}": c1[0], f"q{q2}": c2[0]}, headers=JSON
    )

    assert response.json() == {"saved": True, "questions": 1}
    assert saved(attempt) == {q1: [c1[0]]}

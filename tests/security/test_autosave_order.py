"""Background saves that arrive out of order never store the older choice.

attempt.js sends each save with its page's name and a counter; the server ignores a
save older than the one stored from the same page. The no-JavaScript path sends
neither and is kept as it was.
"""

import pytest
from django.urls import reverse

from quizzes.grading import start_attempt
from tests.factories import make_quiz
from tests.security.conftest import JSON, paper, saved_answers, snapshot


@pytest.fixture
def attempt(student):
    return start_attempt(user=student, quiz=make_quiz(questions=3))


def autosave(client, attempt, qid, chosen, **order):
    """What attempt.js posts for one question."""
    data = {"shown": qid, f"q{qid}": chosen, **order}
    return client.post(reverse("quizzes:save", args=[attempt.pk]), data, headers=JSON)


def test_an_older_save_arriving_last_does_not_replace_the_newer_choice(student_client, attempt):
    (q1, c1), *_ = paper(attempt)

    newer = autosave(student_client, attempt, q1, c1[2], page="tab1", seq=2)
    older = autosave(student_client, attempt, q1, c1[1], page="tab1", seq=1)

    assert newer.json()["saved"] is True
    assert older.status_code == 200  # nothing to tell the student: the page is up to date
    assert saved_answers(attempt) == {q1: [c1[2]]}


def test_a_newer_save_from_the_same_page_replaces_the_older(student_client, attempt):
    (q1, c1), *_ = paper(attempt)

    autosave(student_client, attempt, q1, c1[1], page="tab1", seq=1)
    autosave(student_client, attempt, q1, c1[2], page="tab1", seq=2)

    assert saved_answers(attempt) == {q1: [c1[2]]}


def test_order_is_kept_per_question(student_client, attempt):
    (q1, c1), (q2, c2), _ = paper(attempt)

    autosave(student_client, attempt, q1, c1[2], page="tab1", seq=5)
    autosave(
        student_client, attempt, q2, c2[1], page="tab1", seq=3
    )  # an older save, other question

    assert saved_answers(attempt) == {q1: [c1[2]], q2: [c2[1]]}


def test_another_page_saves_in_the_order_it_arrives(student_client, attempt):
    """A tab opened later (or reloaded) starts its own counter at 1."""
    (q1, c1), *_ = paper(attempt)

    autosave(student_client, attempt, q1, c1[2], page="tab1", seq=40)
    autosave(student_client, attempt, q1, c1[1], page="tab2", seq=1)

    assert saved_answers(attempt) == {q1: [c1[1]]}


def test_the_save_button_without_javascript_always_saves(student_client, attempt):
    (q1, c1), (q2, _), (q3, _) = paper(attempt)
    autosave(student_client, attempt, q1, c1[2], page="tab1", seq=9)

    response = student_client.post(
        reverse("quizzes:save", args=[attempt.pk]), {"shown": [q1, q2, q3], f"q{q1}": c1[0]}
    )

    assert response.status_code == 302
    assert saved_answers(attempt)[q1] == [c1[0]]


def test_the_whole_form_from_the_same_page_wins_over_a_save_still_in_flight(
    student_client, attempt
):
    """The Save button carries the page's next counter, so an older save that lands
    after it is ignored."""
    (q1, c1), (q2, _), (q3, _) = paper(attempt)
    student_client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"shown": [q1, q2, q3], f"q{q1}": c1[0], "page": "tab1", "seq": 4},
    )

    autosave(student_client, attempt, q1, c1[1], page="tab1", seq=3)

    assert saved_answers(attempt)[q1] == [c1[0]]


@pytest.mark.parametrize(
    "order",
    [
        {"page": "tab1", "seq": "-1"},
        {"page": "tab1", "seq": "1.5"},
        {"page": "tab1", "seq": "9" * 30},
        {"page": "tab1", "seq": ""},
        {"page": "", "seq": "1"},
        {"page": "<script>", "seq": "1"},
        {"page": "x" * 41, "seq": "1"},
        {"page": "tab1", "seq": "\u0661"},  # an Arabic-Indic one: a digit, not ASCII
    ],
)
def test_a_broken_counter_is_refused_with_a_message_and_changes_nothing(
    student_client, attempt, order
):
    (q1, c1), *_ = paper(attempt)
    before = snapshot()

    response = autosave(student_client, attempt, q1, c1[1], **order)

    assert response.status_code == 400
    assert response.json() == {
        "saved": False,
        "error": "The page's save counter is not valid: reload the page.",
    }
    assert snapshot() == before


def test_a_submit_with_a_broken_counter_is_refused_and_grades_nothing(student_client, attempt):
    (q1, c1), *_ = paper(attempt)
    before = snapshot()

    response = student_client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        {"shown": q1, f"q{q1}": c1[0], "confirm": "yes", "page": "tab1", "seq": "x"},
    )

    assert response.status_code == 400
    assert "The page&#x27;s save counter is not valid" in response.content.decode()
    assert snapshot() == before

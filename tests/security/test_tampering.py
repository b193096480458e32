"""Tampered requests: a clear 4xx with a message, never a 500, and nothing written.

Every rejected request is checked against a snapshot of every table, so a
half-saved answer, a stray row or a changed score anywhere would show.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from quizzes.grading import start_attempt
from quizzes.models import Attempt, Response
from tests.factories import make_quiz
from tests.security.conftest import JSON, client_as, message_source, paper, saved_answers, snapshot

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def student_client(world):
    return client_as(world, "student")


@pytest.fixture
def foreign(other_student):
    """An open attempt of another student at another quiz: its ids are foreign here."""
    attempt = start_attempt(user=other_student, quiz=make_quiz(questions=1))
    return paper(attempt)[0]


# ---------------------------------------------------------------- ids


def bad_answers(world, foreign):
    (q1, c1), (q2, c2), (q3, c3) = paper(world.attempt)
    foreign_q, foreign_c = foreign
    return {
        "foreign choice": ({f"q{q1}": foreign_c[0]}, "does not belong to question"),
        "choice of another question": ({f"q{q1}": c2[0]}, "does not belong to question"),
        "non-numeric choice": ({f"q{q1}": "abc"}, "not a valid choice id"),
        "negative choice": ({f"q{q1}": "-1"}, "not a valid choice id"),
        "signed choice": ({f"q{q1}": "+1"}, "not a valid choice id"),
        "decimal choice": ({f"q{q1}": "1.0"}, "not a valid choice id"),
        "huge choice": ({f"q{q1}": str(10**30)}, "not a valid choice id"),
        "beyond 64 bits": ({f"q{q1}": str(2**63)}, "not a valid choice id"),
        "18 digits": ({f"q{q1}": "9" * 18}, "does not belong to question"),
        "arabic-indic digits": ({f"q{q1}": "\u0661\u0662"}, "not a valid choice id"),
        "fullwidth digits": ({f"q{q1}": "\uff11\uff12"}, "not a valid choice id"),
        "superscript digit": ({f"q{q1}": "\u00b9"}, "not a valid choice id"),
        "repeated choice": ({f"q{q3}": [c3[0], c3[0]]}, "The same choice was sent twice."),
        "two answers to a single-answer question": ({f"q{q1}": [c1[0], c1[1]]}, "Choose only one"),
        "unknown question": ({"q999999": c1[0]}, "not part of this attempt"),
        "huge question": ({f"q{10**30}": c1[0]}, "not a valid question id"),
        "question of another quiz": ({f"q{foreign_q}": foreign_c[0]}, "not part of this attempt"),
        "unknown shown": ({"shown": "424242", f"q{q1}": c1[0]}, "not part of this attempt"),
        "negative shown": ({"shown": "-3", f"q{q1}": c1[0]}, "not a valid question id"),
        "NUL in a choice id": ({f"q{q1}": f"{c1[0]}\x00"}, "not a valid choice id"),
        "NUL in a question key": ({f"q{q1}\x00": c1[0]}, "not a valid question id"),
        "NUL alone": ({f"q{q1}": "\x00"}, "not a valid choice id"),
        "right-to-left override": ({f"q{q1}": f"\u202e{c1[0]}"}, "not a valid choice id"),
        "right-to-left in a key": ({f"q\u202e{q1}": c1[0]}, "not a valid question id"),
        "zero-width space": ({f"q{q1}": f"{c1[0]}\u200b"}, "not a valid choice id"),
        "zero-width in shown": ({"shown": f"{q1}\u200b", f"q{q1}": c1[0]}, "not a valid"),
        "over-long digits": ({f"q{q1}": "7" * 10_000}, "not a valid choice id"),
        "over-long text": ({f"q{q1}": "x" * 100_000}, "not a valid choice id"),
        "html in an id": ({f"q{q1}": "<script>alert(1)</script>"}, "not a valid choice id"),
        # A name that starts with q reads as a malformed answer, not as an extra field.
        "quiz field": ({"quiz": world.quiz.pk}, "not a valid question id"),
    }


CASES = [
    "foreign choice",
    "choice of another question",
    "non-numeric choice",
    "negative choice",
    "signed choice",
    "decimal choice",
    "huge choice",
    "beyond 64 bits",
    "18 digits",
    "arabic-indic digits",
    "fullwidth digits",
    "superscript digit",
    "repeated choice",
    "two answers to a single-answer question",
    "unknown question",
    "huge question",
    "question of another quiz",
    "unknown shown",
    "negative shown",
    "NUL in a choice id",
    "NUL in a question key",
    "NUL alone",
    "right-to-left override",
    "right-to-left in a key",
    "zero-width space",
    "zero-width in shown",
    "over-long digits",
    "over-long text",
    "html in an id",
    "quiz field",
]
ENDPOINTS = {
    "background save": ("quizzes:save", JSON),
    "save button": ("quizzes:save", {}),
    "submit": ("quizzes:submit", {}),
}


@pytest.mark.parametrize("case", CASES)
def test_tampered_answer_is_400_with_its_message_and_changes_nothing(
    world, student_client, foreign, case
):
    data, message = bad_answers(world, foreign)[case]
    (_q1, _c1), (q2, c2), _ = paper(world.attempt)
    # A good answer travels with the bad one: it must not be saved either.
    body = urlencode({"shown": [q2], f"q{q2}": c2[0], "confirm": "yes", **data}, doseq=True)
    before = snapshot()

    for endpoint, (name, headers) in ENDPOINTS.items():
        response = student_client.post(
            reverse(name, args=[world.attempt.pk]), body, FORM, headers=headers
        )

        assert response.status_code == 400, endpoint
        assert message in message_source(response), endpoint
        assert snapshot() == before, endpoint


def test_tampered_answer_keeps_earlier_answers(world, student_client, foreign):
    (q1, c1), (q2, c2), _ = paper(world.attempt)
    student_client.post(
        reverse("quizzes:save", args=[world.attempt.pk]), {"shown": q1, f"q{q1}": c1[1]}
    )

    response = student_client.post(
        reverse("quizzes:save", args=[world.attempt.pk]),
        {"shown": [q1, q2], f"q{q1}": foreign[1][0], f"q{q2}": c2[0]},
    )

    assert response.status_code == 400
    assert saved_answers(world.attempt) == {q1: [c1[1]]}
    # The page shows the earlier answer still chosen, with the reason of the refusal.
    assert f'value="{c1[1]}" id="c{c1[1]}" checked' in response.content.decode()
    assert 'role="alert"' in response.content.decode()


# ---------------------------------------------------------------- extra fields

FORGED = {
    "score": "100",
    "passed": "true",
    "is_correct": "true",
    "correct": "1",
    "user": "1",
    "user_id": "1",
    "attempt": "1",
    "number": "99",
    "time": "0",
    "submitted_at": "2000-01-01T00:00:00Z",
    "paper": '{"questions": []}',
}


@pytest.mark.parametrize("headers", [JSON, {}], ids=["background", "button"])
def test_extra_fields_on_save_are_ignored(world, student_client, headers):
    (q1, c1), _, _ = paper(world.attempt)
    before = snapshot(skip={"quizzes.response"})
    forged = {**FORGED, "user": world.other_student.pk, "attempt": world.graded.pk}

    response = student_client.post(
        reverse("quizzes:save", args=[world.attempt.pk]),
        {"shown": q1, f"q{q1}": c1[1], **forged},
        headers=headers,
    )

    assert response.status_code in (200, 302)
    assert snapshot(skip={"quizzes.response"}) == before
    assert saved_answers(world.attempt) == {q1: [c1[1]]}
    assert saved_answers(world.graded) == dict(
        world.graded.responses.values_list("question_id", "selected")
    )


def test_extra_fields_on_submit_do_not_set_the_score(world, student_client):
    (q1, c1), (q2, c2), (q3, c3) = paper(world.attempt)
    wrong = {f"q{q1}": c1[1], f"q{q2}": c2[1], f"q{q3}": [c3[3]]}  # every answer wrong
    forged = {**FORGED, "user": world.other_student.pk}

    response = student_client.post(
        reverse("quizzes:submit", args=[world.attempt.pk]),
        {"shown": [q1, q2, q3], **wrong, **forged, "confirm": "yes"},
    )

    assert response.status_code == 302
    attempt = Attempt.objects.get(pk=world.attempt.pk)
    assert attempt.user == world.student
    assert attempt.number == 2
    assert attempt.score == 0 and attempt.passed is False
    assert not Response.objects.filter(attempt=attempt, is_correct=True).exists()
    assert not Attempt.objects.filter(user=world.other_student).exists()


# ---------------------------------------------------------------- bodies

BODIES = {
    "JSON": ('{"q1": [1], "confirm": "yes"}', "application/json"),
    "plain text": ("q1=1&confirm=yes", "text/plain"),
    "XML": ("<answers><q1>1</q1></answers>", "application/xml"),
    "no content type": ("q1=1", ""),
    "multipart without a boundary": ("--x\r\nq1=1", "multipart/form-data"),
    "broken multipart": (
        '--x\r\nContent-Disposition: form-data; name="q',
        "multipart/form-data; boundary=x",
    ),
    "form in latin-1": ("q1=1", f"{FORM}; charset=latin-1"),
}
NOT_THE_FORM = "Answers must be sent with the quiz page's form."
UNREADABLE = {  # Django refuses these before the view: the site's 400, as JSON or a page
    "background save": "The request could not be read",
    "save button": "Request not understood",
    "submit": "Request not understood",
}
EMPTY_FORM = {  # Django reads a truncated multipart body as an empty form
    "background save": "Nothing to save: the form named no question.",
    "save button": "Nothing was chosen yet",
    "submit": None,  # the page asks to confirm, as it does for a real empty form
}
BODY_MESSAGES = {
    "JSON": dict.fromkeys(ENDPOINTS, NOT_THE_FORM),
    "plain text": dict.fromkeys(ENDPOINTS, NOT_THE_FORM),
    "XML": dict.fromkeys(ENDPOINTS, NOT_THE_FORM),
    "no content type": dict.fromkeys(ENDPOINTS, NOT_THE_FORM),
    "multipart without a boundary": UNREADABLE,
    "broken multipart": EMPTY_FORM,
    "form in latin-1": UNREADABLE,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("body", BODIES)
def test_a_body_that_is_not_the_form_is_refused_with_a_message(
    world, student_client, body, endpoint
):
    data, content_type = BODIES[body]
    name, headers = ENDPOINTS[endpoint]
    before = snapshot()

    response = student_client.generic(
        "POST", reverse(name, args=[world.attempt.pk]), data, content_type, headers=headers
    )

    message = BODY_MESSAGES[body][endpoint]
    if message is None:
        assert response.status_code == 200
        assert "Submit with unanswered questions?" in message_source(response)
    else:
        assert response.status_code == 400
        assert message in message_source(response)
    assert snapshot() == before


def test_a_well_formed_multipart_form_is_still_a_form(world, student_client):
    # Browsers may send a form as multipart (a FormData body): it reads as the same form.
    (q1, c1), _, _ = paper(world.attempt)

    response = student_client.post(
        reverse("quizzes:save", args=[world.attempt.pk]), {"shown": q1, f"q{q1}": c1[2]}
    )

    assert response.status_code == 302
    assert saved_answers(world.attempt) == {q1: [c1[2]]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_invalid_utf8_is_400_and_changes_nothing(world, student_client, endpoint):
    (q1, c1), _, _ = paper(world.attempt)
    body = f"shown={q1}&confirm=yes&q{q1}=".encode() + b"\xff\xfe\xc3\x28" + str(c1[0]).encode()
    name, headers = ENDPOINTS[endpoint]
    before = snapshot()

    response = student_client.generic(
        "POST", reverse(name, args=[world.attempt.pk]), body, FORM, headers=headers
    )

    assert response.status_code == 400
    assert "not a valid choice id" in message_source(response)
    assert snapshot() == before


def thousand_and_one_fields(world):
    (q1, c1), _, _ = paper(world.attempt)
    return f"shown={q1}&q{q1}={c1[0]}&" + "&".join(f"f{n}=1" for n in range(999))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_1001_fields_get_the_friendly_400_page(world, student_client, endpoint):
    name, headers = ENDPOINTS[endpoint]
    before = snapshot()

    response = student_client.generic(
        "POST",
        reverse(name, args=[world.attempt.pk]),
        thousand_and_one_fields(world),
        FORM,
        headers=headers,
    )

    assert response.status_code == 400
    if headers:
        assert response.json() == {
            "saved": False,
            "error": "The request could not be read: reload the page and try again.",
        }
    else:
        page = message_source(response)
        assert "Request not understood" in page
        assert "Nothing was changed." in page
        assert "Explainer Learning" in page  # the site's own layout, not Django's bare page
    assert snapshot() == before


def test_1000_fields_are_still_read(world, student_client):
    (q1, c1), _, _ = paper(world.attempt)
    body = f"shown={q1}&q{q1}={c1[0]}&" + "&".join(f"f{n}=1" for n in range(998))

    response = student_client.generic(
        "POST", reverse("quizzes:save", args=[world.attempt.pk]), body, FORM, headers=JSON
    )

    assert response.status_code == 200
    assert saved_answers(world.attempt) == {q1: [c1[0]]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_over_the_size_limit_gets_the_friendly_400_page(
    world, student_client, settings, endpoint
):
    (q1, c1), _, _ = paper(world.attempt)
    body = f"shown={q1}&q{q1}={c1[0]}&pad=" + "a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    name, headers = ENDPOINTS[endpoint]
    before = snapshot()

    response = student_client.generic(
        "POST", reverse(name, args=[world.attempt.pk]), body, FORM, headers=headers
    )

    assert response.status_code == 400
    assert ("could not be read" if headers else "Request not understood") in message_source(
        response
    )
    assert snapshot() == before


def test_a_forged_host_gets_the_friendly_400_page(world, student_client):
    response = student_client.get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert "Request not understood" in message_source(response)

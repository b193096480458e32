"""Property-based tests (Hypothesis): arbitrary forms sent to the save and submit
endpoints, arbitrary text and bytes given to the explainer parser.

500 examples per target. Each request runs in a savepoint that is rolled back,
so every example meets the same open attempt.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authoring.parsing import ExplainerError, ParsedExplainer, decode_explainer, parse_explainer
from learning.models import LessonProgress
from quizzes.grading import start_attempt
from quizzes.models import Attempt, QuestionKind, Response
from tests.factories import make_quiz
from tests.security.conftest import JSON, paper, rolled_back

EXAMPLES = 500
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no example database: every run explores afresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ALLOWED = {200, 302, 400, 409}
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def setup(student, other_student):
    attempt = start_attempt(user=student, quiz=make_quiz(questions=3))
    foreign = start_attempt(user=other_student, quiz=make_quiz(questions=1))
    client = Client()
    client.force_login(student)
    return client, attempt, foreign


def state(attempt):
    """Everything a save or submit may change."""
    return (
        list(Attempt.objects.order_by("pk").values()),
        list(Response.objects.order_by("pk").values()),
        list(LessonProgress.objects.order_by("pk").values()),
    )


def answer_strategy(question):
    """What the page sends for one question: maybe `shown`, and a choice or a set of them."""
    qid, choices = question["id"], [c["id"] for c in question["choices"]]
    if question["kind"] == QuestionKind.SINGLE:
        picked = st.one_of(st.just([]), st.sampled_from(choices).map(lambda c: [c]))
    else:
        picked = st.lists(st.sampled_from(choices), unique=True)
    return st.tuples(st.booleans(), picked).map(
        lambda t: [("shown", str(qid))] * t[0] + [(f"q{qid}", str(c)) for c in t[1]]
    )


def form_strategy(attempt, foreign):
    """A form: what the page could send, plus (often, not always) tampered pairs, shuffled,
    so valid saves and submits are explored as well as refusals."""
    own, others = paper(attempt), paper(foreign)
    question_ids = [q for q, _ in own + others]
    choice_ids = [c for _, choices in own + others for c in choices]
    valid = st.tuples(
        *[answer_strategy(q) for q in attempt.paper["questions"]],
        st.sampled_from([[], [("confirm", "yes")]]),
    ).map(lambda parts: sum(parts, []))
    ids = st.sampled_from(question_ids + choice_ids).map(str)
    keys = st.one_of(
        st.just("shown"),
        st.sampled_from([f"q{q}" for q in question_ids]),
        st.integers(min_value=-(10**20), max_value=10**30).map(lambda n: f"q{n}"),
        st.sampled_from(["confirm", "score", "user", "is_correct", "passed", "deadline", "q"]),
        st.text(max_size=20),
        st.text(max_size=8).map(lambda t: "q" + t),
    )
    values = st.one_of(
        ids,
        ids.map(lambda v: f" {v} "),
        st.integers(min_value=-(10**20), max_value=10**30).map(str),
        st.just("yes"),
        st.text(max_size=30),
        st.text(alphabet="0123456789\x00\u202e\u200b\uff11\u0661 -+.e", max_size=25),
    )
    junk = st.one_of(st.just([]), st.lists(st.tuples(keys, values), min_size=1, max_size=6))
    return st.tuples(valid, junk).flatmap(lambda parts: st.permutations(parts[0] + parts[1]))


def post_arbitrary_forms(data, setup, name):
    client, attempt, foreign = setup
    pairs = data.draw(form_strategy(attempt, foreign), label="form")
    headers = JSON if data.draw(st.booleans(), label="background") else {}
    before = state(attempt)
    with rolled_back():
        response = client.generic(
            "POST", reverse(name, args=[attempt.pk]), urlencode(pairs), FORM, headers=headers
        )
        assert response.status_code in ALLOWED
        if response.status_code in (400, 409):
            assert state(attempt) == before  # refused: nothing written


@HYPOTHESIS
@given(data=st.data())
def test_save_survives_any_form(setup, data):
    post_arbitrary_forms(data, setup, "quizzes:save")


@HYPOTHESIS
@given(data=st.data())
def test_submit_survives_any_form(setup, data):
    post_arbitrary_forms(data, setup, "quizzes:submit")


# ---------------------------------------------------------------- the explainer parser

LINES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "",
            " ",
            "#",
            "# ",
            "# Title",
            "## Heading",
            "###### Deep",
            "####### Too deep",
            "## ##",
            "\ufeff",
            "\r",
            "\u2028",
            "\x0c",
            "...",
            "?!",
            "The U.S. and the U.K. agreed. Then they met.",
            "\u201cA quote.\u201d It ends.",
        ]
    ),
)
EXPLAINERS = st.one_of(
    st.text(),
    st.lists(LINES, max_size=25).map("\n".join),
    st.lists(LINES, max_size=25).map("\r\n".join),
)


def check_parsed(parsed):
    assert isinstance(parsed, ParsedExplainer)
    assert len(parsed.sections) >= 1
    for section in parsed.sections:
        assert section.text.strip()
        assert section.sentences and all(s.strip() for s in section.sentences)


@HYPOTHESIS
@given(text=EXPLAINERS)
def test_the_parser_returns_sections_or_a_clear_error(text):
    try:
        parsed = parse_explainer(text)
    except ExplainerError as error:
        assert str(error)
        return
    check_parsed(parsed)


@HYPOTHESIS
@given(
    data=st.one_of(
        st.binary(max_size=300),
        EXPLAINERS.map(lambda t: t.encode("utf-8")),
        EXPLAINERS.map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
        EXPLAINERS.map(lambda t: t.encode("utf-16")),
    )
)
def test_decoding_then_parsing_bytes_never_crashes(data):
    try:
        parsed = parse_explainer(decode_explainer(data))
    except ExplainerError as error:
        assert str(error)
        return
    check_parsed(parsed)

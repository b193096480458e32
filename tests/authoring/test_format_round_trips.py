"""Every format gives back what its writer wrote: property tests on awkward text (no
database), then the seed course exported in each format and imported into a fresh
course.

What each format can hold, and so what each property compares:

- GIFT and Moodle XML: prompt, kind, choices with their keys and feedback, explanation.
- CSV: prompt, kind, choices with their keys, explanation, source passage; no feedback.
- Aiken: single-answer questions only, one line each: prompt, choices, the key.

The texts are what the platform stores: plain text, stripped at both ends. Prompts and
explanations are edited in text areas, so they may hold line breaks (one paragraph:
no blank line); choices, feedback and the source passage are one line.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from authoring import question_import
from authoring.formats import (
    ChoiceData,
    QuestionData,
    aiken,
    check_choices,
    csv_format,
    gift,
    moodle_xml,
)
from authoring.question_export import export
from learning.models import Course
from quizzes.models import Question, QuestionKind, QuestionOrigin, QuestionStatus
from tests.factories import LessonFactory

# Hypothesis caches what it learns; keep it with pytest's cache, out of the working tree
# (as tests/security/conftest.py does).
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY",
    str(Path(__file__).resolve().parents[2] / ".pytest_cache" / "hypothesis"),
)
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    database=None,  # no example database in the working tree: every run explores afresh
    suppress_health_check=[HealthCheck.too_slow],
)

# Text that means something to one format or another, and text from other languages.
AWKWARD = [
    "{",
    "}",
    ":",
    "::",
    "=",
    "~",
    "#",
    "####",
    "\\",
    "\\n",
    "\\:",
    "%",
    "%50%",
    "%-100%",
    "->",
    "//",
    "$CATEGORY:",
    "[html]",
    "[markdown]",
    "[plain]",
    "_____",
    "T",
    "TRUE",
    '"',
    "'",
    '""',
    ",",
    ";",
    "]]>",
    "<![CDATA[",
    "<b>x</b> & y",
    "&amp;",
    "&#x41;",
    "<",
    ">",
    "A.",
    "B)",
    "ANSWER:",
    "ANSWER: A",
    "Київ",
    "Україна",
    "їжак",
    "café",
    "naïve",
    "Ærø",
    "«\u00a0oui\u00a0»",
    "😀",
    "👩\u200d🔬",
    "3.10",
    "007",
    "1/2",
    "=1+1",
]
# Any printable character: no controls (XML cannot hold most of them), no surrogates,
# no unassigned code points, no format characters and no spaces: spacing and line
# breaks come between tokens.
LETTERS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Cf", "Z"))
TOKEN = st.one_of(st.sampled_from(AWKWARD), st.text(LETTERS, min_size=1, max_size=6))
ONE_LINE = [" ", ""]
LINES = [" ", "", "\n"]


def text(*, separators=ONE_LINE, max_tokens=5):
    """Stripped, non-empty text made of tokens; line breaks only if `separators` has one."""
    pieces = st.lists(
        st.tuples(TOKEN, st.sampled_from(separators)), min_size=1, max_size=max_tokens
    )
    return pieces.map(lambda pairs: "".join(t + sep for t, sep in pairs).strip()).filter(bool)


def maybe(strategy):
    return st.one_of(st.just(""), strategy)


def folded(choice_text):
    """How the hard checks tell two choices apart (quizzes.checks.hard_findings)."""
    return " ".join(choice_text.split()).casefold()


# Built once: a strategy made afresh inside each draw is validated afresh, and slow.
CHOICE = text(max_tokens=3)
CHOICE_TEXTS = {n: st.lists(CHOICE, min_size=n, max_size=n, unique_by=folded) for n in range(2, 7)}
FEEDBACK = maybe(text())
PROMPT = text(separators=LINES, max_tokens=6)
ONE_LINE_PROMPT = text(max_tokens=6)
EXPLANATION = maybe(text(separators=LINES, max_tokens=6))
SOURCE_PASSAGE = maybe(text(max_tokens=6))


@st.composite
def question(
    draw,
    *,
    kinds=("single", "multiple"),
    feedback=True,
    explanation=True,
    source_passage=False,
    prompt=PROMPT,
):
    kind = draw(st.sampled_from(kinds))
    count = draw(st.integers(2, 6))
    texts = draw(CHOICE_TEXTS[count])
    if kind == "single":
        key = draw(st.integers(0, count - 1))
        correct = [i == key for i in range(count)]
    else:  # validate_choices: at least one correct; all of them may be
        correct = draw(st.lists(st.booleans(), min_size=count, max_size=count).filter(any))
    choices = tuple(
        ChoiceData(choice, right, draw(FEEDBACK) if feedback else "")
        for choice, right in zip(texts, correct, strict=True)
    )
    assume(not check_choices(kind, choices))  # e.g. no "all of the above"
    return QuestionData(
        prompt=draw(prompt),
        kind=kind,
        choices=choices,
        explanation=draw(EXPLANATION) if explanation else "",
        source_passage=draw(SOURCE_PASSAGE) if source_passage else "",
    )


def written(module, questions):
    """A writer's text; Aiken's and CSV's also say what they skipped."""
    out = module.write(questions)
    text, skipped = out if isinstance(out, tuple) else (out, [])
    assert not skipped
    return text


def held(question, *, feedback=True, explanation=True, source_passage=False):
    """What a format holds of a question."""
    return (
        question.prompt,
        question.kind,
        tuple((c.text, c.correct, c.feedback if feedback else "") for c in question.choices),
        question.explanation if explanation else "",
        question.source_passage if source_passage else "",
        question.text_format,
    )


def round_trip(module, questions, **holds):
    parsed = module.parse(written(module, questions))
    assert not parsed.skipped
    assert [held(q, **holds) for q in parsed.questions] == [held(q, **holds) for q in questions]


@PROPERTY
@given(st.lists(question(), min_size=1, max_size=3))
def test_gift_gives_back_what_it_wrote(questions):
    round_trip(gift, questions)


@PROPERTY
@given(st.lists(question(), min_size=1, max_size=3))
def test_moodle_xml_gives_back_what_it_wrote(questions):
    round_trip(moodle_xml, questions)


@PROPERTY
@given(st.lists(question(feedback=False, source_passage=True), min_size=1, max_size=3))
def test_csv_gives_back_what_it_wrote(questions):
    round_trip(csv_format, questions, feedback=False, source_passage=True)


TWO = (ChoiceData("Paris", True), ChoiceData("Rome", False))
LIKE_GIFT_SYNTAX = {
    "a prompt like a text format": QuestionData("[html] What does <b> do?", "single", TWO),
    "a prompt like a comment": QuestionData("// starts a comment in C?", "single", TWO),
    "a prompt like a category": QuestionData("$CATEGORY: what is it?", "single", TWO),
    "a key like a weight": QuestionData(
        "Who won?", "single", (ChoiceData("%50% of them", True), ChoiceData("None", False))
    ),
    "a wrong choice like a weight": QuestionData(
        "Who won?", "single", (ChoiceData("Half", True), ChoiceData("%50% of them", False))
    ),
    "choices with arrows": QuestionData(
        "Which way?", "single", (ChoiceData("a -> b", True), ChoiceData("b -> a", False))
    ),
    "several answers, one of them right": QuestionData("Select all that apply.", "multiple", TWO),
}


@pytest.mark.parametrize("case", LIKE_GIFT_SYNTAX)
def test_gift_gives_back_text_that_looks_like_its_syntax(case):
    round_trip(gift, [LIKE_GIFT_SYNTAX[case]])


def test_gift_reads_weights_and_arrows_as_moodle_does():
    text = """No '=' takes several answers. {~%100%Paris ~%-100%Rome}

After '=' a weight is text. {=%50% of them ~None}

A '~' makes a choice question of arrows. {=a -> b ~b -> a}

Match them. {=a -> b =c -> d}
"""

    parsed = gift.parse(text)

    several, weightless, arrows = parsed.questions
    assert (several.kind, [c.correct for c in several.choices]) == ("multiple", [True, False])
    assert (weightless.kind, weightless.choices[0].text) == ("single", "%50% of them")
    assert [c.text for c in arrows.choices] == ["a -> b", "b -> a"]
    assert [s.kind for s in parsed.skipped] == ["matching"]


# A line Aiken reads as an option or as the answer, not as a question's text.
NOT_A_PROMPT = re.compile(r"^(?:[A-Z][.)]\s|(?i:ANSWER):)")


@PROPERTY
@given(
    st.lists(
        question(
            kinds=("single",), feedback=False, explanation=False, prompt=ONE_LINE_PROMPT
        ).filter(lambda q: not NOT_A_PROMPT.match(q.prompt)),
        min_size=1,
        max_size=3,
    )
)
def test_aiken_gives_back_what_it_wrote(questions):
    round_trip(aiken, questions, feedback=False, explanation=False)


def test_aiken_skips_a_question_it_would_write_as_something_else():
    like_an_option = QuestionData("A. Merkel led which country?", "single", TWO)
    like_the_answer = QuestionData("ANSWER: which is right?", "single", TWO)
    fine = QuestionData("Which city is in France?", "single", TWO)

    text, skipped = aiken.write([like_an_option, like_the_answer, fine])

    assert [q.prompt for q in aiken.parse(text).questions] == [fine.prompt]
    assert [s.line for s in skipped] == [1, 2]
    assert all("reads as an option" in s.reason for s in skipped)


def test_aiken_puts_a_prompt_with_line_breaks_on_one_line():
    question = QuestionData(
        "First line,\nsecond line: «\u00a0oui\u00a0»?",
        "single",
        (ChoiceData("Oui", True), ChoiceData("Non", False)),
    )

    text, _ = aiken.write([question])

    [again] = aiken.parse(text).questions
    assert again.prompt == "First line, second line: «\u00a0oui\u00a0»?"


# ---------------------------------------------------------------- the seed course, out and in

FORMATS = ["gift", "moodle-xml", "csv", "aiken"]
HOLDS = {  # what each format carries beyond prompts, kinds and choices
    "gift": {"feedback": True, "explanation": True, "source_passage": False},
    "moodle-xml": {"feedback": True, "explanation": True, "source_passage": False},
    "csv": {"feedback": False, "explanation": True, "source_passage": True},
    "aiken": {"feedback": False, "explanation": False, "source_passage": False},
}


@pytest.fixture(scope="module")
def seed_loaded(django_db_setup, django_db_blocker):
    """The seed course as `load_seed_course` loads it, once for this module's tests;
    each still runs in its own rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_seed_course", verbosity=0)
    yield
    with django_db_blocker.unblock():
        Course.objects.all().delete()


@pytest.fixture
def seed_course(seed_loaded, db):
    return Course.objects.get(slug="coalition-of-the-willing")


def stored(question, *, feedback, explanation, source_passage):
    return (
        question.prompt,
        question.kind,
        [
            (c.text, c.is_correct, c.feedback if feedback else "")
            for c in question.choices.order_by("position")
        ],
        question.explanation if explanation else "",
        question.source_passage if source_passage else "",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_seed_course_comes_back_whole_in_every_format(seed_course, fmt):
    in_use = list(
        Question.objects.in_pool()
        .filter(quiz__lesson__course=seed_course)
        .order_by("quiz__lesson__position", "position")
    )
    expected = [q for q in in_use if fmt != "aiken" or q.kind == QuestionKind.SINGLE]
    text, skipped = export(seed_course, format_name=fmt)
    assert len(skipped) == len(in_use) - len(expected)
    lesson = LessonFactory()  # a fresh course's empty lesson

    name, parsed = question_import.read(text.encode("utf-8"))
    plan = question_import.plan(name, parsed, lesson)
    made = question_import.write(plan, lesson)

    assert name == fmt and not plan.skipped and len(made) == len(expected)
    imported = list(Question.objects.filter(quiz__lesson=lesson).order_by("position"))
    assert {(q.status, q.origin) for q in imported} == {
        (QuestionStatus.DRAFT, QuestionOrigin.IMPORTED)
    }
    holds = HOLDS[fmt]
    assert [stored(q, **holds) for q in imported] == [stored(q, **holds) for q in expected]

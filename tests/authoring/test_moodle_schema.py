"""The Moodle XML writer's output holds what Moodle's importer needs.

The rules are Moodle's own: question/format/xml/format.php (qformat_xml: the root
<quiz>, each <question>'s type, import_headers' <name><text> and <questiontext>,
trans_format's text formats, import_multichoice's <single>, <shuffleanswers> and
<answernumbering>, import_category's <category><text>); question/format.php, which
refuses an answer whose fraction is not one of question_bank::fraction_options_full
(question/engine/bank.php; matched by lib/questionlib.php's match_grade_options within
0.00001); qtype_multichoice::get_numbering_styles; and qtype_multichoice's
save_question_options, which wants a single-answer question's best answer at 100% and
a multiple-answer question's positive fractions to add up to 100%.
"""

import xml.etree.ElementTree as ET

import pytest

from authoring.formats import ChoiceData, QuestionData, moodle_xml
from authoring.question_export import export
from learning.models import Course

TEXT_FORMATS = {"html", "moodle_auto_format", "plain_text", "markdown"}
NUMBERING = {"abc", "ABCD", "123", "iii", "IIII", "none"}
# question_bank::ensure_fraction_options_initialised: 0, 1 and these, and their negatives.
RAW_FRACTIONS = [
    0.9000000,
    0.8333333,
    0.8000000,
    0.7500000,
    0.7000000,
    0.6666667,
    0.6000000,
    0.5000000,
    0.4000000,
    0.3333333,
    0.3000000,
    0.2500000,
    0.2000000,
    0.1666667,
    0.1428571,
    0.1250000,
    0.1111111,
    0.1000000,
    0.0500000,
]
FRACTIONS = [0.0, 1.0, -1.0, *RAW_FRACTIONS, *(-f for f in RAW_FRACTIONS)]


def allowed(percent):
    """match_grade_options($gradeoptionsfull, $fraction, 'error'): the XML's fraction is
    a percentage, divided by 100 on import."""
    return any(abs(percent / 100 - option) < 0.00001 for option in FRACTIONS)


def problems(text):
    """Everything in a Moodle XML file that Moodle's importer would refuse or misread."""
    found = []
    root = ET.fromstring(text.encode("utf-8"))
    if root.tag != "quiz":
        return [f"the root is <{root.tag}>, not <quiz>"]
    for number, question in enumerate(root.findall("question"), 1):
        kind = question.get("type")
        where = f"question {number}"
        if not kind:
            found.append(f"{where} has no type")
        elif kind == "category":
            if not (question.findtext("category/text") or "").strip():
                found.append(f"{where}: a category without <category><text>")
        elif kind == "multichoice":
            found += [f"{where}: {problem}" for problem in multichoice_problems(question)]
        else:
            found.append(f"{where}: the writer wrote a '{kind}' question")
    return found


def multichoice_problems(question):
    found = []
    if not (question.findtext("name/text") or "").strip():
        found.append("no <name><text>")  # import_headers: 'xmlimportnoname'
    questiontext = question.find("questiontext")
    if questiontext is None or questiontext.find("text") is None:
        found.append("no <questiontext><text>")
    elif not (questiontext.findtext("text") or "").strip():
        found.append("an empty question text")
    for element in question.iter():
        if "format" in element.attrib and element.get("format") not in TEXT_FORMATS:
            found.append(f"<{element.tag} format='{element.get('format')}'>: not Moodle's")
    if questiontext is not None and "format" not in questiontext.attrib:
        found.append("<questiontext> has no format (Moodle would assume html)")
    single = question.findtext("single")
    if single not in ("true", "false"):
        found.append(f"<single>{single}</single>")
    if question.findtext("shuffleanswers") not in ("0", "1", "true", "false"):
        found.append("no <shuffleanswers> of 0/1 or true/false")
    if question.findtext("answernumbering") not in NUMBERING:
        found.append(f"<answernumbering>{question.findtext('answernumbering')}")
    answers = question.findall("answer")
    if len(answers) < 2:
        found.append(f"{len(answers)} answers")
    fractions = []
    for answer in answers:
        if answer.find("text") is None:
            found.append("an <answer> without <text>")
        try:
            fraction = float(answer.get("fraction", ""))
        except ValueError:
            found.append(f"fraction '{answer.get('fraction')}' is not a number")
            continue
        if not allowed(fraction):
            found.append(f"fraction {fraction} is not one of Moodle's grades")
        fractions.append(fraction)
    positive = [f for f in fractions if f > 0]
    if single == "true":
        if [f for f in fractions if abs(f - 100) < 0.001] != [100.0] or len(positive) != 1:
            found.append(f"a single-answer question graded {fractions}")
    elif single == "false" and abs(sum(positive) - 100) > 0.01:
        found.append(f"positive fractions add up to {sum(positive)}, not 100")
    return found


def choices(count, keys):
    return tuple(ChoiceData(f"Choice {n}", n <= keys, f"Feedback {n}") for n in range(1, count + 1))


CASES = [
    ("single", 3, 1),
    ("single", 6, 1),
    *(("multiple", 3, keys) for keys in (1, 2, 3)),
    *(("multiple", 6, keys) for keys in range(1, 7)),
    *(("multiple", 12, keys) for keys in range(7, 11)),
]


@pytest.mark.parametrize(("kind", "count", "keys"), CASES)
def test_every_number_of_keys_gets_moodle_grades(kind, count, keys):
    question = QuestionData(
        "Which are right? <b>x</b> & y", kind, choices(count, keys), explanation="Why."
    )

    text = moodle_xml.write([question])

    assert problems(text) == []
    if kind == "multiple" and keys == 3:
        fractions = [a.get("fraction") for a in ET.fromstring(text).iter("answer")]
        assert fractions[:3] == ["33.33333"] * 3 and set(fractions[3:]) <= {"-100"}


def test_text_formats_names_and_categories_are_moodles():
    questions = [
        QuestionData(f"Q{n}?", "single", choices(3, 1), text_format=fmt, category=category)
        for n, (fmt, category) in enumerate(
            [("plain", "Course/1. Lesson"), ("html", "Course/1. Lesson"), ("markdown", "B")]
        )
    ]
    nameless = QuestionData("x" * 80, "multiple", choices(4, 2), name="")

    text = moodle_xml.write([*questions, nameless])

    assert problems(text) == []
    root = ET.fromstring(text)
    assert [q.get("type") for q in root.findall("question")] == [
        "category",
        "multichoice",
        "multichoice",
        "category",
        "multichoice",
        "multichoice",
    ]
    asked = [q for q in root.iter("question") if q.get("type") == "multichoice"]
    assert [q.find("questiontext").get("format") for q in asked] == [
        "plain_text",
        "html",
        "markdown",
        "plain_text",
    ]
    assert asked[-1].findtext("name/text") == "x" * 60  # a name from the prompt
    assert [t.text for t in root.findall("question/category/text")] == [
        "$course$/top/Course/1. Lesson",
        "$course$/top/B",
    ]


def test_the_checks_catch_what_moodle_refuses():
    bad = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category></category></question>
  <question>
  </question>
  <question type="multichoice">
    <questiontext format="rich"><text>Q?</text></questiontext>
    <single>yes</single>
    <answernumbering>abcd</answernumbering>
    <answer fraction="35"><text>a</text></answer>
    <answer fraction="35"><text>b</text></answer>
  </question>
</quiz>
"""

    assert problems(bad) == [
        "question 1: a category without <category><text>",
        "question 2 has no type",
        "question 3: no <name><text>",
        "question 3: <questiontext format='rich'>: not Moodle's",
        "question 3: <single>yes</single>",
        "question 3: no <shuffleanswers> of 0/1 or true/false",
        "question 3: <answernumbering>abcd",
        "question 3: fraction 35.0 is not one of Moodle's grades",
        "question 3: fraction 35.0 is not one of Moodle's grades",
    ]


@pytest.fixture
def seed_course(loaded_once, db):
    return Course.objects.get(slug="coalition-of-the-willing")


def test_the_exported_seed_course_is_what_moodle_imports(seed_course):
    text, skipped = export(seed_course, format_name="moodle-xml")

    assert not skipped and problems(text) == []
    root = ET.fromstring(text)
    kinds = [q.findtext("single") for q in root.iter("question") if q.get("type") != "category"]
    assert "true" in kinds and "false" in kinds  # both kinds were checked
    assert len([q for q in root.iter("question") if q.get("type") == "category"]) == 10

"""The question formats, on plain strings: no database."""

import pytest

from authoring.formats import ChoiceData, QuestionData, aiken, csv_format, detect, gift, moodle_xml

GIFT = r"""// A comment line, ignored.
$CATEGORY: $course$/Coalition

::Q1:: Which countries lead the coalition? {
  =Britain and France#Right: the explainer names them.
  ~Germany and Italy#No.
  ~Spain and Poland
  ####The explainer says Britain and France lead it.
}

::Q2::[markdown] Which are **risks** of deploying troops? {
  ~%50%Escalation of the conflict
  ~%50%Increased casualties
  ~%-100%Higher oil prices
}

The force starts after a ceasefire.{TRUE#It comes later.#Yes.}

Moodle costs {~lots of money =nothing ~a small amount} to download.

What is 2 + 2? {#4}

Write an essay about NATO. {}

Match the pairs. {=cat -> meow =dog -> woof}

Who wrote it? {=Shakespeare =William Shakespeare}

Escapes work: 1 \= 1 \{not a brace\} {=yes\: really ~no}

::Broken:: This has no closing brace {=a ~b
"""


def test_gift_reads_every_supported_form_and_lists_the_rest_with_line_numbers():
    parsed = gift.parse(GIFT)

    first, second, tf, missing, escaped = parsed.questions
    assert first.name == "Q1" and first.category == "$course$/Coalition"
    assert first.kind == "single" and first.line == 4
    assert [(c.text, c.correct) for c in first.choices] == [
        ("Britain and France", True),
        ("Germany and Italy", False),
        ("Spain and Poland", False),
    ]
    assert first.choices[0].feedback == "Right: the explainer names them."
    assert first.explanation == "The explainer says Britain and France lead it."
    assert second.kind == "multiple" and second.text_format == "markdown"
    assert [c.correct for c in second.choices] == [True, True, False]
    assert [(c.text, c.correct) for c in tf.choices] == [("True", True), ("False", False)]
    assert tf.choices[1].feedback == "It comes later."
    assert missing.prompt == "Moodle costs _____ to download."
    assert escaped.prompt == "Escapes work: 1 = 1 {not a brace}"
    assert escaped.choices[0].text == "yes: really"
    kinds = [(s.kind, s.line) for s in parsed.skipped]
    assert kinds == [
        ("numerical", 21),
        ("essay", 23),
        ("matching", 25),
        ("short answer", 27),
        ("malformed", 31),
    ]


def test_gift_round_trips_through_its_writer():
    questions = gift.parse(GIFT).questions

    again = gift.parse(gift.write(questions)).questions

    assert [(q.prompt, q.kind, q.choices, q.explanation) for q in again] == [
        (q.prompt, q.kind, q.choices, q.explanation) for q in questions
    ]


AIKEN = """Which body leads the EU's climate rules?
A. The European Commission
B) NATO
C. The United Nations
ANSWER: A

Which year did the ETS start?
A. 2005
B. 2015
ANSWER: C

No answer line here
A. one
B. two
"""


def test_aiken_reads_questions_and_refuses_bad_ones_by_line():
    parsed = aiken.parse(AIKEN)

    [question] = parsed.questions
    assert question.prompt == "Which body leads the EU's climate rules?"
    assert [c.correct for c in question.choices] == [True, False, False]
    assert [(s.line, s.kind) for s in parsed.skipped] == [(10, "malformed"), (12, "malformed")]
    assert "C is not one of the options" in str(parsed.skipped[0])


def test_aiken_writes_single_answers_only_and_says_what_it_skipped():
    single = QuestionData("Q?", "single", (ChoiceData("a", False), ChoiceData("b", True)))
    multiple = QuestionData("M?", "multiple", (ChoiceData("a", True), ChoiceData("b", True)))

    text, skipped = aiken.write([single, multiple])

    assert text == "Q?\nA. a\nB. b\nANSWER: B\n"
    assert [s.reason for s in skipped] == ["Aiken holds single-answer questions only"]
    assert aiken.parse(text).questions[0].choices == single.choices


def test_csv_round_trips_with_a_bom_quoted_line_breaks_and_accents():
    question = QuestionData(
        "Which is right?\nPick one.",
        "multiple",
        (ChoiceData("Café, au lait", True), ChoiceData("Thé", True), ChoiceData("Eau", False)),
        explanation="Two are right.",
        source_passage="A sentence.",
    )

    text, skipped = csv_format.write([question])

    assert text.startswith('\ufeff"prompt","kind","choice_a"') and not skipped
    assert '"Which is right?\nPick one."' in text
    [again] = csv_format.parse(text).questions
    assert (again.prompt, again.kind, again.choices, again.explanation, again.source_passage) == (
        question.prompt,
        question.kind,
        question.choices,
        "Two are right.",
        "A sentence.",
    )


def test_csv_reports_bad_rows_by_row_number():
    text = (
        "prompt,kind,choice_a,choice_b,correct\n"
        "Good?,single,yes,no,A\n"
        ",single,yes,no,A\n"
        "Two keys?,single,yes,no,A;B\n"
        "Unknown?,single,yes,no,D\n"
    )

    parsed = csv_format.parse(text)

    assert len(parsed.questions) == 1
    assert [str(s) for s in parsed.skipped] == [
        "Line 3: row 3 has no prompt",
        "Line 4: row 4: A single-answer question needs exactly one correct choice; it has 2.",
        "Line 5: row 5: 'correct' names no choice D",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GIFT, "gift"),
        (AIKEN, "aiken"),
        ("\ufeffprompt,kind,choice_a,choice_b,correct\nQ,single,a,b,A\n", "csv"),
        ('<?xml version="1.0"?><quiz></quiz>', "moodle-xml"),
        ("Just some prose without any answers.", ""),
    ],
)
def test_the_format_is_detected_from_the_content(text, expected):
    assert detect(text) == expected


MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/Coalition</text></category></question>
  <question type="multichoice">
    <name><text>Leaders</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which countries <b>lead</b> it?</p>]]></text>
    </questiontext>
    <generalfeedback><text>Britain and France lead it.</text></generalfeedback>
    <single>true</single>
    <shuffleanswers>1</shuffleanswers>
    <answer fraction="100">
      <text>Britain and France</text><feedback><text>Yes.</text></feedback>
    </answer>
    <answer fraction="0"><text>Germany and Italy</text></answer>
  </question>
  <question type="multichoice">
    <questiontext format="plain_text"><text>Which are risks?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>Escalation</text></answer>
    <answer fraction="50"><text>Casualties</text></answer>
    <answer fraction="-100"><text>Cheaper oil</text></answer>
  </question>
  <question type="truefalse">
    <questiontext format="moodle_auto_format">
      <text>The force comes after a ceasefire.</text>
    </questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="essay">
    <questiontext><text>Discuss.</text></questiontext>
  </question>
</quiz>
"""


def test_moodle_xml_reads_multichoice_truefalse_and_categories_and_skips_the_rest():
    parsed = moodle_xml.parse(MOODLE_XML)

    leaders, risks, truth = parsed.questions
    assert (leaders.name, leaders.category, leaders.text_format) == (
        "Leaders",
        "$course$/Coalition",
        "html",
    )
    assert leaders.prompt == "<p>Which countries <b>lead</b> it?</p>"
    assert leaders.explanation == "Britain and France lead it."
    assert leaders.choices[0] == ChoiceData("Britain and France", True, "Yes.")
    assert risks.kind == "multiple" and [c.correct for c in risks.choices] == [True, True, False]
    assert truth.kind == "single" and [c.correct for c in truth.choices] == [True, False]
    assert [(s.kind, s.line) for s in parsed.skipped] == [("essay", 31)]


def test_moodle_xml_round_trips_and_reports_broken_xml_with_its_line():
    questions = moodle_xml.parse(MOODLE_XML).questions

    again = moodle_xml.parse(moodle_xml.write(questions)).questions

    assert [(q.prompt, q.kind, q.choices, q.explanation) for q in again] == [
        (q.prompt, q.kind, q.choices, q.explanation) for q in questions
    ]
    broken = moodle_xml.parse("<?xml version='1.0'?>\n<quiz>\n<question>\n</quiz>")
    assert [(s.kind, s.line) for s in broken.skipped] == [("malformed", 4)]


def test_entries_that_cannot_be_imported_keep_their_names():
    gift_text = "::Own words:: Discuss the plan. {}\n\n::Broken:: Which? {=a ~b\n"
    xml = (
        "<quiz><question type='essay'><name><text>Long answer</text></name>"
        "<questiontext><text>Discuss.</text></questiontext></question></quiz>"
    )

    assert [str(s) for s in gift.parse(gift_text).skipped] == [
        "Line 1 (“Own words”): an essay question (no answers to choose from)",
        "Line 3 (“Broken”): the answers' '{' has no matching '}'",
    ]
    assert [str(s) for s in moodle_xml.parse(xml).skipped] == [
        "Line 1 (“Long answer”): an essay question"
    ]

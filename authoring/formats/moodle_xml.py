"""Moodle XML (docs.moodle.org/en/Moodle_XML_format): `multichoice` (with `<single>`,
answer fractions, `shuffleanswers`, general and per-answer feedback, CDATA HTML and
the text formats), `truefalse` as a two-choice single answer, and `category`
entries. Other question types are listed as skipped.

Read with the standard library's parser: Python's expat refuses entity expansion
attacks, and ElementTree never fetches external entities.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from xml.sax.saxutils import escape

from . import ChoiceData, Parsed, QuestionData, Skipped, check_choices

SKIPPED_TYPES = {
    "essay": "essay",
    "matching": "matching",
    "numerical": "numerical",
    "shortanswer": "short answer",
    "cloze": "cloze",
    "multianswer": "cloze",
    "description": "description",
    "calculated": "numerical",
    "calculatedsimple": "numerical",
    "calculatedmulti": "numerical",
    "ddwtos": "drag and drop",
    "gapselect": "cloze",
}
FORMATS = {
    "html": "html",
    "moodle_auto_format": "plain",
    "plain_text": "plain",
    "markdown": "markdown",
}


def _text(element, path):
    found = element.find(path)
    if found is None:
        return ""
    text = found.find("text")
    return ((text.text if text is not None else found.text) or "").strip()


QUESTION_TAG = re.compile(r"<question[\s>]")


def _line(text, element_index):
    """The line of the nth <question> opening tag: ElementTree keeps no positions."""
    for count, match in enumerate(QUESTION_TAG.finditer(text)):
        if count == element_index:
            return text.count("\n", 0, match.start()) + 1
    return 0


def parse(text):
    parsed = Parsed()
    try:
        root = ET.fromstring(text.lstrip("\ufeff").encode("utf-8"))
    except ET.ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else 1
        parsed.skipped.append(Skipped(line, "malformed", f"the XML cannot be read: {error}"))
        return parsed
    if root.tag != "quiz":
        parsed.skipped.append(Skipped(1, "malformed", "the file's root element is not <quiz>"))
        return parsed
    category = ""
    for index, element in enumerate(root.findall("question")):
        line = _line(text, index)
        kind = element.get("type", "")
        if kind == "category":
            category = _text(element, "category")
            continue
        name = _text(element, "name")
        if kind in SKIPPED_TYPES:
            label = SKIPPED_TYPES[kind]
            article = "an" if label[0] in "aeiou" else "a"
            parsed.skipped.append(Skipped(line, label, f"{article} {label} question", name))
            continue
        if kind not in ("multichoice", "truefalse"):
            parsed.skipped.append(
                Skipped(line, kind or "malformed", f"a question of type '{kind}'", name)
            )
            continue
        found = _question(element, kind, line, category)
        if isinstance(found, Skipped):
            parsed.skipped.append(replace(found, name=name))
        else:
            parsed.questions.append(found)
    return parsed


def _question(element, kind, line, category):
    question_text = element.find("questiontext")
    text_format = (
        FORMATS.get(question_text.get("format", "html"), "html")
        if question_text is not None
        else "html"
    )
    prompt = _text(element, "questiontext")
    if not prompt:
        return Skipped(line, "malformed", "the question has no text")
    choices = []
    for answer in element.findall("answer"):
        try:
            fraction = float(answer.get("fraction", "0"))
        except ValueError:
            return Skipped(line, "malformed", "an answer's fraction is not a number")
        choices.append(
            ChoiceData(
                (answer.findtext("text") or "").strip(),
                fraction > 0,
                _text(answer, "feedback"),
            )
        )
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    question_kind = "single" if kind == "truefalse" or single else "multiple"
    problem = check_choices(question_kind, choices)
    if problem:
        return Skipped(line, "malformed", problem)
    return QuestionData(
        prompt=prompt,
        kind=question_kind,
        choices=tuple(choices),
        explanation=_text(element, "generalfeedback"),
        name=_text(element, "name"),
        category=category,
        line=line,
        text_format=text_format,
    )


def _fraction(choice, keys, kind):
    if kind == "single":
        return "100" if choice.correct else "0"
    return f"{100 / keys:.5f}".rstrip("0").rstrip(".") if choice.correct else "-100"


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write(questions):
    """Moodle XML as Moodle's importer reads it (question/format/xml/format.php): every
    text carries its format, so Moodle shows plain text as text, never as markup."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = None
    for question in questions:
        if question.category and question.category != category:
            category = question.category
            out.append(
                '  <question type="category"><category><text>'
                f"$course$/top/{escape(category)}</text></category></question>"
            )
        fmt = {"html": "html", "markdown": "markdown"}.get(question.text_format, "plain_text")
        keys = sum(c.correct for c in question.choices) or 1
        out.append('  <question type="multichoice">')
        out.append(f"    <name><text>{escape(question.name or question.prompt[:60])}</text></name>")
        prompt = _cdata(question.prompt)
        out.append(f'    <questiontext format="{fmt}"><text>{prompt}</text></questiontext>')
        explanation = _cdata(question.explanation)
        out.append(
            f'    <generalfeedback format="{fmt}"><text>{explanation}</text></generalfeedback>'
        )
        out.append("    <defaultgrade>1</defaultgrade>")
        out.append("    <penalty>0</penalty>")
        out.append("    <hidden>0</hidden>")
        out.append(f"    <single>{'true' if question.kind == 'single' else 'false'}</single>")
        out.append("    <shuffleanswers>1</shuffleanswers>")
        out.append("    <answernumbering>abc</answernumbering>")
        for choice in question.choices:
            fraction = _fraction(choice, keys, question.kind)
            out.append(f'    <answer fraction="{fraction}" format="{fmt}">')
            out.append(f"      <text>{_cdata(choice.text)}</text>")
            feedback = _cdata(choice.feedback)
            out.append(f'      <feedback format="{fmt}"><text>{feedback}</text></feedback>')
            out.append("    </answer>")
        out.append("  </question>")
    out.append("</quiz>")
    return "\n".join(out) + "\n"

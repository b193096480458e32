"""Questions from a file (GIFT, Aiken, Moodle XML, CSV) into a lesson's quiz.

`plan` only reads: what would be created, with each question's check warnings, and
every entry that cannot be imported, and why. `write` creates the questions in one
transaction, as drafts unless the editor approves on import, and refuses the whole
file when any entry is malformed: nothing is ever half imported or silently dropped.
"""

import html
from dataclasses import dataclass, field

import nh3
from django.db import transaction

from learning.rendering import MAX_BODY_CHARS, render_markdown
from quizzes.checks import Choice as CheckChoice
from quizzes.checks import Item, check_question, hard_errors
from quizzes.models import Question, QuestionOrigin, QuestionStatus

from .drafts import quizzes_for
from .formats import ChoiceData, QuestionData, Skipped, aiken, csv_format, detect, gift, moodle_xml
from .parsing import MAX_EXPLAINER_BYTES, describe_size
from .writing import create_questions, last_positions

FORMATS = {"gift": gift, "aiken": aiken, "moodle-xml": moodle_xml, "csv": csv_format}
MAX_QUESTIONS = 500  # a question bank for one lesson; a course is several files
MAX_FILE_BYTES = MAX_EXPLAINER_BYTES
MAX_CHOICE_CHARS = 500  # Choice.text's length


class QuestionFileError(ValueError):
    """A file that cannot be imported; the message is shown to the user as is."""


@dataclass
class Planned:
    question: object  # QuestionData, its texts made plain
    warnings: list = field(default_factory=list)


@dataclass
class QuestionPlan:
    format: str
    planned: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    @property
    def malformed(self):
        return [entry for entry in self.skipped if entry.kind == "malformed"]

    def summary(self):
        return (
            f"{len(self.planned)} question{'s' if len(self.planned) != 1 else ''} to import, "
            f"{len(self.skipped)} that cannot be imported."
        )


def plain(text, text_format):
    """A question's text as the platform stores it and shows it everywhere (plain,
    escaped on output): HTML, and Markdown once rendered, are cleaned by nh3 keeping
    no tag (stricter than the lessons' allow-list), then their entities are read."""
    if text_format == "markdown":
        text, text_format = render_markdown(text), "html"
    if text_format == "html":
        return " ".join(html.unescape(nh3.clean(text, tags=set())).split())
    return text.strip()


def read(data, *, format_name=None):
    """Decode and parse a file's bytes; a QuestionFileError for what cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        raise QuestionFileError(
            f"The file is {describe_size(len(data))}; at most "
            f"{describe_size(MAX_FILE_BYTES)} can be imported at once."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuestionFileError(
            f"The file is not valid UTF-8 (bad byte at position {exc.start}): save it as UTF-8."
        ) from None
    name = format_name or detect(text)
    if name not in FORMATS:
        raise QuestionFileError(
            "The format could not be recognised: give it as GIFT, Aiken, Moodle XML or CSV."
            if not format_name
            else f"Unknown format '{format_name}': use gift, aiken, moodle-xml or csv."
        )
    return name, FORMATS[name].parse(text)


def plan(name, parsed, lesson):
    """What importing `parsed` into `lesson` would do, reading only."""
    result = QuestionPlan(format=name, skipped=list(parsed.skipped))
    if len(parsed.questions) > MAX_QUESTIONS:
        raise QuestionFileError(
            f"The file holds {len(parsed.questions):,} questions; at most {MAX_QUESTIONS} "
            "can be imported into one lesson at once."
        )
    section = lesson.source_text or lesson.body
    for question in parsed.questions:
        prompt = plain(question.prompt, question.text_format)
        choices = tuple(
            ChoiceData(
                plain(c.text, question.text_format),
                c.correct,
                plain(c.feedback, question.text_format),
            )
            for c in question.choices
        )
        too_long = [c for c in choices if len(c.text) > MAX_CHOICE_CHARS]
        if not prompt or len(prompt) > MAX_BODY_CHARS or too_long:
            result.skipped.append(
                Skipped(
                    question.line,
                    "malformed",
                    "a text is empty or too long once cleaned",
                    question.name,
                )
            )
            continue
        made = QuestionData(
            prompt=prompt,
            kind=question.kind,
            choices=choices,
            explanation=plain(question.explanation, question.text_format),
            source_passage=question.source_passage,
            name=question.name,
            category=question.category,
            line=question.line,
        )
        item = Item(
            key=question.line,
            prompt=made.prompt,
            kind=made.kind,
            choices=tuple(CheckChoice(c.text, c.correct) for c in made.choices),
            explanation=made.explanation,
            source_passage=made.source_passage,
            label=f"Line {question.line}",
        )
        warnings = [str(f) for f in check_question(item, section) if f.check != "source"]
        result.planned.append(Planned(made, warnings))
    return result


def write(question_plan, lesson, *, approve=False):
    """Create the planned questions in one transaction; refused whole if any entry is
    malformed. Returns the questions made."""
    if question_plan.malformed:
        raise QuestionFileError(
            "Nothing was imported: "
            + "; ".join(str(entry) for entry in question_plan.malformed[:20])
        )
    with transaction.atomic():
        quiz = quizzes_for([lesson])[lesson.pk]
        top = last_positions([quiz])[quiz.pk]
        pairs = []
        for number, planned in enumerate(question_plan.planned, start=top + 1):
            data = planned.question
            approved = approve and not hard_errors([c.text for c in data.choices])
            question = Question(
                quiz=quiz,
                position=number,
                prompt=data.prompt,
                kind=data.kind,
                explanation=data.explanation,
                source_passage=data.source_passage,
                status=QuestionStatus.APPROVED if approved else QuestionStatus.DRAFT,
                origin=QuestionOrigin.IMPORTED,
            )
            choices = [(c.text, c.correct, c.feedback[:500]) for c in data.choices]
            pairs.append((question, choices))
        return create_questions(pairs)

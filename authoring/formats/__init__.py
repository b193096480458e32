"""Question formats teachers already keep questions in: GIFT, Aiken, Moodle XML, CSV.

Each module has a pure parser (text in, `Parsed` out: the questions it can import
and, with a line number and a reason, every entry it cannot) and a writer (question
data in, text out). Nothing here reads the database; `authoring.question_import`
(next) writes what a parser found, in one transaction, as drafts.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChoiceData:
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class QuestionData:
    """A multiple-choice question as every format can carry it."""

    prompt: str
    kind: str  # "single" or "multiple", as QuestionKind
    choices: tuple  # of ChoiceData
    explanation: str = ""
    source_passage: str = ""
    name: str = ""
    category: str = ""
    line: int = 0  # where it starts in the file, from 1
    text_format: str = "plain"  # "plain", "html", "markdown" or "moodle"


@dataclass(frozen=True)
class Skipped:
    """An entry that cannot become a question here, and why (shown in the preview)."""

    line: int
    kind: str  # "essay", "matching", "numerical", "short answer", "cloze", "malformed"...
    reason: str
    name: str = ""  # the question's own name in the file, where it has one

    def __str__(self):
        named = f" (“{self.name}”)" if self.name else ""
        return f"Line {self.line}{named}: {self.reason}"


@dataclass
class Parsed:
    questions: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def check_choices(question_kind, choices):
    """Why a parsed question could not be imported, or '': the rules every question
    keeps (quizzes.models.validate_choices and the hard item checks)."""
    from django.core.exceptions import ValidationError

    from quizzes.checks import hard_errors
    from quizzes.models import validate_choices

    try:
        validate_choices(question_kind, [(choice.text, choice.correct) for choice in choices])
    except ValidationError as exc:
        return exc.messages[0]
    errors = hard_errors([choice.text for choice in choices])
    return errors[0] if errors else ""


def detect(text):
    """The format of a file's text, from its content: 'moodle-xml', 'gift', 'aiken' or
    'csv'; '' when it is none of them."""
    import re

    body = text.lstrip("\ufeff").lstrip()
    if body.startswith("<?xml") or body.startswith("<quiz"):
        return "moodle-xml"
    if re.search(r"(?m)^ANSWER:\s*[A-Z]\s*$", body) and re.search(r"(?m)^[A-Z][.)]\s", body):
        return "aiken"
    first = body.split("\n", 1)[0].lower()
    if "prompt" in first and "," in first and "choice_a" in first:
        return "csv"
    if re.search(r"(?<!\\)\{[^{}]*(?<!\\)\}", body):
        return "gift"
    return ""

"""GIFT, Moodle's text format for questions (docs.moodle.org/en/GIFT_format).

Read as Moodle reads it: single answer (`=` / `~`), several answers with weights
(`~%50%`, a negative weight marks a wrong choice; a question without an `=` choice
takes several answers), true/false (`{T}`, `{TRUE}`, `{F}`, `{FALSE}`, as a
two-choice single answer), per-choice feedback (`#`), general feedback (`####`,
the explanation), names (`::name::`), comments (`//`), `$CATEGORY:` lines, the
`[html]`, `[markdown]`, `[plain]` and `[moodle]` text formats, escapes
(`\\= \\~ \\# \\{ \\} \\:`, `\\n` for a line break) and questions over several lines. The
"missing word" form ("Moodle costs {~lots =nothing} to use.") becomes a blank.
Essay, numerical, matching and short-answer questions are listed as skipped.

Written with each question's text format (`[plain]` for the platform's text) and
every special character escaped, so that Moodle and `parse` read back the same texts.
"""

import re
from dataclasses import replace

from . import ChoiceData, Parsed, QuestionData, Skipped, check_choices

SPECIAL = "~=#{}:"
FORMATS = ("html", "moodle", "plain", "markdown")
FORMAT = re.compile(rf"^\[({'|'.join(FORMATS)})\]", re.I)
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)\s*(?:#(.*?))?(?:#(.*))?$", re.I | re.S)
BLANK = "_____"


def _unescape(text):
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out).strip()


def _unescaped(text, chars):
    """Positions of the characters in `chars` that no backslash escapes."""
    found, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in chars:
            found.append(i)
        i += 1
    return found


def _blocks(text):
    """(first line number, lines) of each question, and the category in force."""
    category, lines, start = "", [], 0
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            if lines:
                yield start, lines, category
                lines = []
            category = stripped.split(":", 1)[1].strip()
            continue
        if not stripped:
            if lines and _balanced("\n".join(lines)):
                yield start, lines, category
                lines = []
            continue
        if not lines:
            start = number
        lines.append(line)
    if lines:
        yield start, lines, category


def _balanced(text):
    return len(_unescaped(text, "{")) <= len(_unescaped(text, "}"))


def parse(text):
    parsed = Parsed()
    for line, lines, category in _blocks(text):
        found = _question("\n".join(lines), line, category)
        target = parsed.skipped if isinstance(found, Skipped) else parsed.questions
        target.append(found)
    return parsed


def _question(block, line, category):
    name = ""
    if block.startswith("::"):
        ends = [i for i in _unescaped(block[2:], ":") if block[2 + i : 4 + i] == "::"]
        if not ends:
            return Skipped(line, "malformed", "the question's name has no closing '::'")
        name = _unescape(block[2 : 2 + ends[0]])
        block = block[4 + ends[0] :].lstrip()
    found = _named(block, line, category, name)
    # What cannot be imported is listed with its name, as the teacher knows it.
    return replace(found, name=name) if isinstance(found, Skipped) else found


def _named(block, line, category, name):
    text_format = "moodle"
    match = FORMAT.match(block)
    if match:
        text_format = match.group(1).lower()
        block = block[match.end() :]
    opens, closes = _unescaped(block, "{"), _unescaped(block, "}")
    if not opens:
        return Skipped(line, "description", "no answers in braces: a description, not a question")
    if not closes or closes[0] < opens[0] or len(opens) != len(closes):
        return Skipped(line, "malformed", "the answers' '{' has no matching '}'")
    if len(opens) > 1:
        return Skipped(line, "cloze", "several answer blocks in one question (embedded answers)")
    before, answers, after = (
        block[: opens[0]],
        block[opens[0] + 1 : closes[0]],
        block[closes[0] + 1 :],
    )
    prompt = _unescape(before)
    if after.strip():
        prompt = f"{prompt} {BLANK} {_unescape(after)}".strip()
    if text_format == "moodle":
        text_format = "plain"
    common = {"name": name, "category": category, "line": line, "text_format": text_format}
    return _answers(answers.strip(), prompt, line, common)


def _answers(answers, prompt, line, common):
    if not answers:
        return Skipped(line, "essay", "an essay question (no answers to choose from)")
    if answers.startswith("#"):
        return Skipped(line, "numerical", "a numerical question")
    tf = TRUE_FALSE.match(answers)
    if tf and not _unescaped(answers, "=~"):
        truth = tf.group(1).upper().startswith("T")
        wrong_feedback, right_feedback = _unescape(tf.group(2) or ""), _unescape(tf.group(3) or "")
        choices = (
            ChoiceData("True", truth, right_feedback if truth else wrong_feedback),
            ChoiceData("False", not truth, wrong_feedback if truth else right_feedback),
        )
        return QuestionData(prompt=prompt, kind="single", choices=choices, **common)
    explanation = ""
    hashes = _unescaped(answers, "#")
    general = next((i for i in hashes if answers[i : i + 4] == "####"), -1)
    if general >= 0:
        explanation, answers = _unescape(answers[general + 4 :]), answers[:general]
    starts = _unescaped(answers, "=~")
    if not starts or answers[: starts[0]].strip():
        return Skipped(line, "malformed", "answers must start with '=' or '~'")
    items = []
    for at, end in zip(starts, [*starts[1:], len(answers)], strict=True):
        items.append((answers[at], answers[at + 1 : end]))
    # As Moodle reads it: a '~' makes a multiple-choice question, whatever its choices
    # say ("a -> b" is a choice there); without one, '->' makes a matching question.
    if all(mark == "=" for mark, _ in items):
        if any("->" in body for _, body in items):
            return Skipped(line, "matching", "a matching question")
        return Skipped(line, "short answer", "a short-answer question (no wrong choices)")
    choices = []
    for mark, body in items:
        body = body.strip()
        # A weight follows '~' only: after '=' a choice takes the whole mark, and text
        # such as "%50% of the votes" is its own.
        weight = WEIGHT.match(body) if mark == "~" else None
        correct = mark == "="
        if weight:
            correct = float(weight.group(1)) > 0
            body = body[weight.end() :]
        hashes = _unescaped(body, "#")
        text, feedback = (body[: hashes[0]], body[hashes[0] + 1 :]) if hashes else (body, "")
        choices.append(ChoiceData(_unescape(text), correct, _unescape(feedback)))
    keys = sum(choice.correct for choice in choices)
    # Moodle's rule: no '=' choice means several answers may be chosen, even when one
    # weighted choice takes the whole mark ("~%100%a ~%-100%b").
    single = keys == 1 and any(mark == "=" for mark, _ in items)
    kind = "single" if single else "multiple"
    problem = check_choices(kind, choices)
    if problem:
        return Skipped(line, "malformed", problem)
    return QuestionData(
        prompt=prompt, kind=kind, choices=tuple(choices), explanation=explanation, **common
    )


def _escape(text):
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _mark(question, choice, keys):
    """A choice's '=' or '~', with its weight where one is needed."""
    if question.kind == "multiple":
        return f"~%{_weight(keys)}%" if choice.correct else "~%-100%"
    if choice.correct:
        return "="
    # A wrong choice's own text may start like a weight ("%50% of the votes"): an
    # explicit nought keeps it text.
    return "~%0%" if choice.text.startswith("%") else "~"


def _weight(count):
    """Moodle's fraction for each of `count` correct choices, as GIFT writes it."""
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")


def write(questions):
    """GIFT text for question data, one blank line between questions."""
    out, category = [], None
    for question in questions:
        if question.category and question.category != category:
            out.append(f"$CATEGORY: {question.category}\n")
            category = question.category
        head = f"::{_escape(question.name)}::" if question.name else ""
        # Always the text format: Moodle reads text without one as its auto-format,
        # which renders HTML; and a prompt of its own starting with "[html]", "//" or
        # "$CATEGORY:" would be read as a format, a comment or a category.
        fmt = f"[{question.text_format}]" if question.text_format in FORMATS else "[plain]"
        lines = [f"{head}{fmt}{_escape(question.prompt)} {{"]
        keys = sum(c.correct for c in question.choices)
        for choice in question.choices:
            feedback = f"#{_escape(choice.feedback)}" if choice.feedback else ""
            lines.append(f"\t{_mark(question, choice, keys)}{_escape(choice.text)}{feedback}")
        if question.explanation:
            lines.append(f"\t####{_escape(question.explanation)}")
        lines.append("}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)

"""Aiken: a question line, options "A)" or "A." on their own lines, "ANSWER: B".

Only single-answer questions can be written in Aiken, each text on one line; the
writer skips the rest and says so, and so it does a question whose text would read
as an option ("A. Merkel...") or as the answer line, for Aiken has no escapes.
"""

import re

from . import ChoiceData, Parsed, QuestionData, Skipped, check_choices

OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$", re.I)


def parse(text):
    parsed = Parsed()
    block, start = [], 0
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if line:
            if not block:
                start = number
            block.append((number, line))
            if ANSWER.match(line):
                found = _question(block, start)
                (parsed.skipped if isinstance(found, Skipped) else parsed.questions).append(found)
                block = []
        elif block and not OPTION.match(block[-1][1]):
            parsed.skipped.append(Skipped(start, "malformed", "no 'ANSWER:' line"))
            block = []
        # A blank line between the options and the ANSWER line is forgiven.
    if block:
        parsed.skipped.append(Skipped(start, "malformed", "no 'ANSWER:' line"))
    return parsed


def _question(block, start):
    prompt_lines, options = [], []
    for number, line in block[:-1]:
        option = OPTION.match(line)
        if option:
            options.append((option.group(1), option.group(2).strip(), number))
        elif options:
            return Skipped(number, "malformed", f"line {number} is neither an option nor ANSWER")
        else:
            prompt_lines.append(line)
    letter = ANSWER.match(block[-1][1]).group(1).upper()
    letters = [option[0] for option in options]
    if not prompt_lines:
        return Skipped(start, "malformed", "the question has no text")
    if letters != [chr(ord("A") + i) for i in range(len(letters))]:
        return Skipped(start, "malformed", "options must run A, B, C... in order")
    if letter not in letters:
        return Skipped(block[-1][0], "malformed", f"the answer {letter} is not one of the options")
    choices = tuple(ChoiceData(text, key == letter) for key, text, _ in options)
    problem = check_choices("single", choices)
    if problem:
        return Skipped(start, "malformed", problem)
    return QuestionData(prompt=" ".join(prompt_lines), kind="single", choices=choices, line=start)


# What a reader takes for an option or the answer line, wherever it stands: Moodle's
# importer (question/format/aiken) as well as `parse`.
NOT_A_QUESTION = re.compile(r"^(?:[A-Z][.)]\s|(?i:ANSWER):)")


def _one_line(text):
    """Line breaks become spaces; every other character (a no-break space) is kept."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


def write(questions):
    """Aiken text for the single-answer questions, and the others it had to skip."""
    out, skipped = [], []
    for number, question in enumerate(questions, 1):
        if question.kind != "single" or len(question.choices) > 26:
            skipped.append(
                Skipped(
                    number,
                    question.kind,
                    "Aiken holds single-answer questions only",
                    question.name,
                )
            )
            continue
        prompt = _one_line(question.prompt)
        if NOT_A_QUESTION.match(prompt):
            skipped.append(
                Skipped(
                    number,
                    question.kind,
                    f"its text reads as an option or the answer line in Aiken ({prompt[:12]!r}...)",
                    question.name,
                )
            )
            continue
        lines = [prompt]
        key = "A"
        for i, choice in enumerate(question.choices):
            letter = chr(ord("A") + i)
            lines.append(f"{letter}. {_one_line(choice.text)}")
            key = letter if choice.correct else key
        lines.append(f"ANSWER: {key}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + ("\n" if out else ""), skipped

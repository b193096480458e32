"""CSV for spreadsheets: one question per row, under a documented header.

Columns: prompt, kind ("single" or "multiple"), choice_a ... choice_f, correct (the
letters of the correct choices, e.g. "B" or "A;C"), explanation, source_passage.
Written as UTF-8 with a byte-order mark and every field quoted, so LibreOffice and
Excel open it with its accents and the line breaks inside a cell intact.
"""

import csv
import io

from . import ChoiceData, Parsed, QuestionData, Skipped, check_choices

LETTERS = "abcdef"
HEADER = [
    "prompt",
    "kind",
    *(f"choice_{letter}" for letter in LETTERS),
    "correct",
    "explanation",
    "source_passage",
]
REQUIRED = {"prompt", "correct", "choice_a", "choice_b"}


def parse(text):
    parsed = Parsed()
    text = text.lstrip("\ufeff")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        parsed.skipped.append(Skipped(1, "malformed", f"the CSV cannot be read: {error}"))
        return parsed
    if not rows:
        return parsed
    header = [name.strip().lower() for name in rows[0]]
    missing = REQUIRED - set(header)
    if missing:
        parsed.skipped.append(
            Skipped(1, "malformed", f"the header lacks {', '.join(sorted(missing))}")
        )
        return parsed
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, row, strict=False))
        found = _question(cells, number)
        (parsed.skipped if isinstance(found, Skipped) else parsed.questions).append(found)
    return parsed


def _question(cells, number):
    prompt = cells.get("prompt", "").strip()
    if not prompt:
        return Skipped(number, "malformed", f"row {number} has no prompt")
    texts = [(letter, cells.get(f"choice_{letter}", "").strip()) for letter in LETTERS]
    texts = [(letter, text) for letter, text in texts if text]
    marked = {
        part.strip().lower()
        for part in cells.get("correct", "").replace(",", ";").split(";")
        if part.strip()
    }
    unknown = marked - {letter for letter, _ in texts}
    if unknown:
        return Skipped(
            number,
            "malformed",
            f"row {number}: 'correct' names no choice {', '.join(sorted(unknown)).upper()}",
        )
    kind = (cells.get("kind") or "").strip().lower() or (
        "multiple" if len(marked) > 1 else "single"
    )
    if kind not in ("single", "multiple"):
        return Skipped(number, "malformed", f"row {number}: kind must be 'single' or 'multiple'")
    choices = tuple(ChoiceData(text, letter in marked) for letter, text in texts)
    problem = check_choices(kind, choices)
    if problem:
        return Skipped(number, "malformed", f"row {number}: {problem}")
    return QuestionData(
        prompt=prompt,
        kind=kind,
        choices=choices,
        explanation=cells.get("explanation", "").strip(),
        source_passage=cells.get("source_passage", "").strip(),
        line=number,
    )


def write(questions):
    """The CSV text (with its BOM) and the questions it could not hold (over six choices)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(HEADER)
    skipped = []
    for number, question in enumerate(questions, 1):
        if len(question.choices) > len(LETTERS):
            skipped.append(Skipped(number, question.kind, "more than six choices", question.name))
            continue
        texts = [choice.text for choice in question.choices]
        texts += [""] * (len(LETTERS) - len(texts))
        correct = ";".join(
            LETTERS[i].upper() for i, choice in enumerate(question.choices) if choice.correct
        )
        writer.writerow(
            [
                question.prompt,
                question.kind,
                *texts,
                correct,
                question.explanation,
                question.source_passage,
            ]
        )
    return "\ufeff" + out.getvalue(), skipped

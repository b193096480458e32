"""A CSV the platform writes survives a spreadsheet: LibreOffice Calc (Debian's
libreoffice-calc-nogui) opens it, saves it as .xlsx, opens that and saves it as CSV
again, and the same questions come back.

Calc opens it with "quoted field as text" (the 7th token of the CSV filter's options):
the writer quotes every field, so that with it "007", "3.10", "1/2", "=1+1" and "TRUE"
stay the text they were. Without it, Calc reads them as 7, 3.1, a date, a formula
worth 2 and a boolean. Two conversions in all, for the module (each takes seconds).
"""

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from authoring.formats import ChoiceData, QuestionData, csv_format

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"

pytestmark = pytest.mark.skipif(
    not Path(SOFFICE).exists(),
    reason="LibreOffice not installed: `apt-get install -y libreoffice-calc-nogui` "
    "to test CSV files through a spreadsheet",
)

# Comma-separated (44), '"' quotes (34), UTF-8 (76), from line 1, no column formats,
# language 0 (the default); then, on reading, "quoted field as text", and on writing,
# "quote all text cells" (LibreOffice's help: "CSV Filter Options").
OPEN_CSV = "CSV:44,34,76,1,,0,true"
SAVE_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true"

QUESTIONS = [
    QuestionData(
        'Où est "Київ", s\'il vous plaît?\nOne line break, in the cell.',
        "single",
        (
            ChoiceData("Україна", True),
            ChoiceData("Ærø, Danmark", False),
            ChoiceData('Café "Le Zinc"', False),
            ChoiceData("'Tis the season", False),
        ),
        explanation="Київ — столиця України.\nA second line, with a comma.",
        source_passage="Київ є столицею України.",
    ),
    QuestionData(
        "Select all that apply: which stay text?",
        "multiple",
        (
            ChoiceData("007", True),
            ChoiceData("3.10", False),
            ChoiceData("1/2", True),
            ChoiceData("=1+1", False),
            ChoiceData("TRUE", True),
            ChoiceData("1e5", False),
        ),
    ),
    QuestionData(
        "Which times and sums?",
        "single",
        (
            ChoiceData("12:30", False),
            ChoiceData("-5", False),
            ChoiceData("50%", True),
            ChoiceData("€1,000.50", False),
        ),
        explanation="Naïve façade, ñ, ß, 😀.",
    ),
]


def convert(source, target, outdir, profile, *, infilter=None):
    """One headless conversion, with a profile of its own (none of the user's)."""
    command = [
        SOFFICE,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    made = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert made.exists(), f"soffice made no {made.name}: {result.stdout} {result.stderr}"
    return made


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """(the bytes the writer wrote, the CSV text Calc saved from the .xlsx)."""
    root = tmp_path_factory.mktemp("spreadsheet")
    profile = root / "profile"
    text, skipped = csv_format.write(QUESTIONS)
    assert not skipped
    written = root / "questions.csv"
    written.write_bytes(text.encode("utf-8"))

    xlsx = convert(written, "xlsx", root / "xlsx", profile, infilter=OPEN_CSV)
    saved = convert(xlsx, SAVE_CSV, root / "csv", profile)

    return written.read_bytes(), saved.read_bytes().decode("utf-8")


def held(question):
    return (
        question.prompt,
        question.kind,
        question.choices,
        question.explanation,
        question.source_passage,
    )


def test_the_questions_come_back_from_a_spreadsheet(files):
    _, saved = files

    parsed = csv_format.parse(saved)

    assert not parsed.skipped
    assert [held(q) for q in parsed.questions] == [held(q) for q in QUESTIONS]


def test_the_file_is_what_excel_opens_as_utf8(files):
    written, _ = files

    # The BOM: without it Excel reads the file in the system's code page, not UTF-8.
    assert written.startswith(b'\xef\xbb\xbf"prompt","kind","choice_a",')
    rows = list(csv.reader(io.StringIO(written.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + len(QUESTIONS)
    # Every row ends with CRLF; the two line breaks inside cells stay a bare LF.
    assert written.endswith(b"\r\n") and written.count(b"\r\n") == len(rows)
    assert written.count(b"\n") - written.count(b"\r\n") == 2
    assert b"\r" not in written.replace(b"\r\n", b"")

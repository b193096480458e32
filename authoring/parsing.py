"""Read an explainer (plain paragraphs or light Markdown) into sections.

Pure: text in, sections out, so it is tested without a database. What a section
becomes as a lesson is `authoring.deriving`; writing it is `authoring.importing`.
"""

import re
from dataclasses import dataclass, field
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from learning.rendering import validate_lesson_body

# An explainer is a news article: the seed is 10 sections and 4 KB. These bound
# the work of one import (parsing, rendering, one transaction that holds SQLite's
# write lock), the same for the admin's upload and paste and for the command.
MAX_EXPLAINER_BYTES = 500_000
MAX_SECTIONS = 300
MAX_TITLE_LENGTH = 70
MAX_COURSE_TITLE_LENGTH = 200
MAX_SLUG_LENGTH = 100
TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
# Closing #s are stripped after matching: a lazy group before `#*$` backtracks
# quadratically on a long run of #.
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
# A sentence ends at . ! or ? before whitespace; up to two closing quotes or brackets
# after the mark stay with it (a lookbehind has a fixed width, hence three of them).
_CLOSERS = "\"'\u2019\u201d)"
SENTENCE_END = re.compile(rf"(?:(?<=[.!?])|(?<=[.!?][{_CLOSERS}])|(?<=[.!?][{_CLOSERS}]{{2}}))\s+")


class ExplainerError(ValueError):
    """An explainer that cannot be imported; the message is shown to the user as is."""


@dataclass
class Section:
    text: str
    heading: str = ""

    @property
    def sentences(self):
        return split_sentences(self.text)

    @property
    def title(self):
        return self.heading or title_from_sentence(self.sentences[0]) or "Untitled section"


@dataclass
class ParsedExplainer:
    title: str
    sections: list = field(default_factory=list)
    source_text: str = ""


def describe_size(size):
    """Bytes as people read them: 500 KB, 2.4 MB (rounded up, so a file just over
    the limit never reads as the limit)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{-(-size // 1000):,} KB"


def check_explainer_size(size, *, what="The explainer"):
    if size > MAX_EXPLAINER_BYTES:
        raise ExplainerError(
            f"{what} is {describe_size(size)}; at most {describe_size(MAX_EXPLAINER_BYTES)} "
            "can be imported at once: split it into several explainers."
        )


def decode_explainer(data: bytes) -> str:
    check_explainer_size(len(data))
    if not data or not data.strip():
        raise ExplainerError("The explainer is empty.")
    if b"\x00" in data:
        raise ExplainerError("The file looks binary, not text: upload a UTF-8 .txt or .md file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExplainerError(
            f"The file is not valid UTF-8 (bad byte at position {exc.start}): save it as UTF-8."
        ) from None


def split_sentences(text):
    flat = " ".join(text.split())
    sentences = []
    for part in SENTENCE_END.split(flat):
        # "The U.S. and the U.K. agreed": a sentence never starts in lowercase.
        if sentences and part[:1].islower():
            sentences[-1] += " " + part
        elif part:
            sentences.append(part)
    return sentences


def title_from_sentence(sentence):
    title = sentence.rstrip(".!?:;, ")
    if len(title) <= MAX_TITLE_LENGTH:
        return title
    room = MAX_TITLE_LENGTH - 1  # leave room for the ellipsis
    cut = title[: room + 1].rsplit(" ", 1)[0][:room].rstrip(",;:- ")
    return cut + "\u2026"


def course_slug(title, slug=None):
    """The course's address: the given slug, checked, or one made from the title."""
    if slug:
        if slug != slugify(slug) or len(slug) > MAX_SLUG_LENGTH:
            raise ExplainerError(
                f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens "
                f"(at most {MAX_SLUG_LENGTH} characters)."
            )
        return slug
    made = slugify(title.translate(TYPOGRAPHIC))[:MAX_SLUG_LENGTH].strip("-")
    if not made:
        raise ExplainerError("Cannot make an address (slug) from the title: give a slug.")
    return made


def _is_section_heading(line):
    match = HEADING.match(line)
    return bool(match) and len(match.group(1)) > 1


def _paragraphs_are_blocks(lines):
    """True when a blank line sits between two paragraphs, or next to a `## ` heading
    as Markdown writes them; a blank line after the `# ` title alone does not count."""
    written = [(number, line) for number, line in enumerate(lines) if line]
    for (before_no, before), (after_no, after) in pairwise(written):
        if after_no - before_no == 1:
            continue
        if _is_section_heading(before) or _is_section_heading(after):
            return True
        if not HEADING.match(before) and not HEADING.match(after):
            return True
    return False


def parse_explainer(text: str, *, default_title="") -> ParsedExplainer:
    """Sections are paragraphs: blocks between blank lines when the text has
    any, otherwise one per line. `# ` names the course, `## ` the next section."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    if not any(lines):
        raise ExplainerError("The explainer is empty.")
    by_blocks = _paragraphs_are_blocks(lines)

    course_title = ""
    sections = []
    heading = ""
    paragraph = []

    def close_paragraph():
        nonlocal heading
        if paragraph:
            sections.append(Section(text="\n".join(paragraph).strip(), heading=heading))
            paragraph.clear()
            heading = ""

    for line in lines:
        match = HEADING.match(line)
        if match:
            close_paragraph()
            level, words = len(match.group(1)), match.group(2).rstrip().rstrip("#").strip()
            if level == 1 and not course_title and not sections:
                course_title = words
            else:
                heading = words
        elif not line.strip():
            close_paragraph()
        else:
            paragraph.append(line)
            if not by_blocks:
                close_paragraph()
    close_paragraph()

    if not sections:
        raise ExplainerError("The explainer has no paragraphs to turn into lessons.")
    check_sections(sections)
    return ParsedExplainer(
        title=course_title or default_title or sections[0].title,
        sections=sections,
        source_text=text.strip("\n"),
    )


def check_sections(sections):
    """Each section becomes a lesson body: the same limits as the admin's, named by section."""
    if len(sections) > MAX_SECTIONS:
        raise ExplainerError(
            f"The explainer has {len(sections):,} sections; at most {MAX_SECTIONS} can be "
            "imported at once: split it into several courses."
        )
    for number, section in enumerate(sections, start=1):
        try:
            validate_lesson_body(section.text)
        except ValidationError as error:
            raise ExplainerError(
                f"Section {number} ('{section.title}'): {error.messages[0]}"
            ) from None


def course_title_and_slug(parsed, *, title=None, slug=None):
    """The title and slug the course will get; checked before anything is written."""
    title = (title or parsed.title).strip()
    if len(title) > MAX_COURSE_TITLE_LENGTH:
        raise ExplainerError(
            f"The course title is longer than {MAX_COURSE_TITLE_LENGTH} characters: "
            "give a shorter title."
        )
    return title, course_slug(title, slug)

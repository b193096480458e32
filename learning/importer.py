"""Turn an explainer (plain paragraphs or light Markdown) into a course.

Parsing is pure (text in, sections out) so it is tested without a database;
`import_explainer` writes the result in one transaction.
"""

import re
from dataclasses import dataclass, field
from itertools import pairwise

from django.db import transaction
from django.utils.text import slugify

from .models import Course, Lesson

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

    @property
    def summary(self):
        return self.sentences[0]

    @property
    def key_points(self):
        return self.sentences[:5]


@dataclass
class ParsedExplainer:
    title: str
    sections: list = field(default_factory=list)
    source_text: str = ""


@dataclass
class ImportResult:
    course: Course
    course_created: bool
    created: list
    updated: list
    unpublished: list


def decode_explainer(data: bytes) -> str:
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
    return ParsedExplainer(
        title=course_title or default_title or sections[0].title,
        sections=sections,
        source_text=text.strip("\n"),
    )


def course_title_and_slug(parsed, *, title=None, slug=None):
    """The title and slug the course will get; checked before anything is written."""
    title = (title or parsed.title).strip()
    if len(title) > MAX_COURSE_TITLE_LENGTH:
        raise ExplainerError(
            f"The course title is longer than {MAX_COURSE_TITLE_LENGTH} characters: "
            "give a shorter title."
        )
    return title, course_slug(title, slug)


def _unique_slug(base, taken):
    base = (slugify(base.translate(TYPOGRAPHIC))[:50].strip("-")) or "lesson"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


@transaction.atomic
def import_explainer(
    *, parsed: ParsedExplainer, title=None, slug=None, publish=False
) -> ImportResult:
    """Create the course, or update the one with this slug in place.

    Lessons are matched by position, so progress and attempts stay attached;
    a lesson whose section is unchanged is left as an editor may have edited it.
    Lessons beyond the new section count are unpublished, never deleted.
    """
    title, slug = course_title_and_slug(parsed, title=title, slug=slug)

    course, course_created = Course.objects.get_or_create(slug=slug, defaults={"title": title})
    course.title = title
    course.source_text = parsed.source_text
    course.summary = course.summary or parsed.sections[0].summary
    if publish:
        course.published = True
    course.save()

    existing = {lesson.position: lesson for lesson in course.lessons.all()}
    taken = {lesson.slug for lesson in existing.values()}
    created, updated = [], []
    for position, section in enumerate(parsed.sections, start=1):
        lesson = existing.get(position)
        if lesson is None:
            lesson = Lesson(
                course=course, position=position, slug=_unique_slug(section.title, taken)
            )
            created.append(lesson)
        elif lesson.source_text == section.text:
            # Unchanged section: keep whatever an editor wrote for it.
            if publish and not lesson.published:
                lesson.published = True
                lesson.save(update_fields=["published"])
            continue
        else:
            updated.append(lesson)
        lesson.title = section.title[:200]
        lesson.summary = section.summary[:400]
        lesson.body = section.text
        lesson.key_points = "\n".join(section.key_points)
        lesson.source_text = section.text
        lesson.published = lesson.published or publish
        lesson.save()

    unpublished = [lesson for pos, lesson in existing.items() if pos > len(parsed.sections)]
    for lesson in unpublished:
        lesson.published = False
        lesson.save(update_fields=["published"])
    return ImportResult(course, course_created, created, updated, unpublished)

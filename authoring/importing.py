"""Write an explainer's sections as a course's lessons.

`plan_import` only reads: it says what an import would create, update, leave and
unpublish, and is all that a dry run or the admin's preview does, so neither
opens a write transaction. `import_explainer` renders the lessons first, then
plans again and writes with bulk operations in one short transaction.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from learning.models import Course, Lesson
from learning.rendering import lesson_html

from .deriving import derive_lessons
from .drafting import draft_explainer
from .drafts import store_drafts
from .parsing import TYPOGRAPHIC, ParsedExplainer, course_title_and_slug, split_sentences
from .publishing import publish as publish_course


@dataclass
class ImportPlan:
    """What importing `parsed` would do, read from the database and changing nothing."""

    parsed: ParsedExplainer
    title: str
    slug: str
    course: Course | None  # the course with this slug, if there is one
    new: list  # (position, section) of the lessons to create
    changed: list  # (lesson, section) of the lessons whose section changed
    unchanged: list  # lessons whose section is the same: an editor's changes stay
    unpublished: list  # published lessons beyond the new section count
    slugs_taken: set = field(default_factory=set)
    lessons: list = field(default_factory=list)  # a DerivedLesson per section
    drafts: list = field(default_factory=list)  # a SectionDrafts per section

    @property
    def untitled(self):
        """No section had a heading: every lesson title was made from its topic."""
        return not any(section.heading for section in self.parsed.sections)

    @property
    def draft_count(self):
        return sum(len(found.drafts) for found in self.drafts)

    @property
    def previews(self):
        """(position, section, derived lesson, drafts) for the preview page."""
        return [
            (position, section, lesson, found.drafts)
            for position, (section, lesson, found) in enumerate(
                zip(self.parsed.sections, self.lessons, self.drafts, strict=True), start=1
            )
        ]

    @property
    def redrafted(self):
        """Positions whose drafts an import writes: new and changed sections."""
        return {position for position, _ in self.new} | {
            lesson.position for lesson, _ in self.changed
        }

    @property
    def course_created(self):
        return self.course is None

    def summary(self):
        drafted = sum(
            len(found.drafts)
            for position, found in enumerate(self.drafts, start=1)
            if position in self.redrafted
        )
        return (
            f"{len(self.new)} lessons created, {len(self.changed)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.unpublished)} unpublished; "
            f"{drafted} draft questions to review."
        )


@dataclass
class ImportResult:
    course: Course
    plan: ImportPlan
    created: list
    updated: list
    redrafts: list = field(default_factory=list)
    not_published: list = field(default_factory=list)  # why --publish could not publish

    @property
    def drafts_created(self):
        return sum(redraft.created for redraft in self.redrafts)

    def message(self):
        lessons = len(self.created) + len(self.updated)
        return (
            f"Imported '{self.course.title}': {lessons} lesson{'s' if lessons != 1 else ''} "
            f"({len(self.created)} new, {len(self.updated)} updated), "
            f"{self.drafts_created} draft questions to review."
        )


def _unique_slug(base, taken):
    base = (slugify(base.translate(TYPOGRAPHIC))[:50].strip("-")) or "lesson"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


SUBJECT_ENDS = re.compile(
    r"[,;:(]| (?:is|are|was|were|has|have|had|will|can|could|may|might|refers|means|became|"
    r"began|remains|helps|makes|made|says|said)\b"
)


def suggested_title(parsed, lessons):
    """A course title when the text has no `# ` heading and its first sentence is too
    long to be one: that sentence's subject ("Johannes Gutenberg's printing press"),
    or else the first lesson's title. Never a sentence cut mid-way."""
    first = split_sentences(parsed.sections[0].text)[0]
    subject = SUBJECT_ENDS.split(first, maxsplit=1)[0]
    subject = re.sub(r"(?<![\w])['‘\"“]|['’\"”](?![\w])", "", subject).strip()  # quotes, not 's
    if 2 <= len(subject.split()) <= 8:
        return subject[:1].upper() + subject[1:]
    return lessons[0].title if lessons else "Untitled course"


def plan_import(
    *, parsed: ParsedExplainer, title=None, slug=None, lessons=None, drafts=None
) -> ImportPlan:
    """Compare the explainer with the course of the same slug, reading only.

    Lessons are matched by position, so progress and attempts stay attached; a
    lesson whose section is unchanged is left as an editor may have edited it;
    lessons beyond the new section count are unpublished, never deleted.
    """
    lessons = lessons if lessons is not None else derive_lessons(parsed.sections)
    if not title and parsed.title.endswith("\u2026"):  # a first sentence cut short
        title = suggested_title(parsed, lessons)
    title, slug = course_title_and_slug(parsed, title=title, slug=slug)
    course = Course.objects.filter(slug=slug).first()
    existing = {lesson.position: lesson for lesson in course.lessons.all()} if course else {}
    plan = ImportPlan(
        parsed=parsed,
        title=title,
        slug=slug,
        course=course,
        new=[],
        changed=[],
        unchanged=[],
        unpublished=[
            lesson
            for position, lesson in sorted(existing.items())
            if position > len(parsed.sections) and lesson.published
        ],
        slugs_taken={lesson.slug for lesson in existing.values()},
        lessons=lessons,
        drafts=drafts
        if drafts is not None
        else draft_explainer([section.text for section in parsed.sections]),
    )
    for position, section in enumerate(parsed.sections, start=1):
        lesson = existing.get(position)
        if lesson is None:
            plan.new.append((position, section))
        elif lesson.source_text == section.text:
            plan.unchanged.append(lesson)
        else:
            plan.changed.append((lesson, section))
    return plan


def _fill(lesson, section, derived, body_html):
    lesson.title = derived.title[:200]
    lesson.summary = derived.summary[:400]
    lesson.body = section.text
    lesson.body_html = body_html
    lesson.key_points = "\n".join(derived.key_points)
    lesson.glossary = [{"term": entry.term, "meaning": entry.meaning} for entry in derived.glossary]
    lesson.source_text = section.text


def import_explainer(
    *, parsed: ParsedExplainer, title=None, slug=None, publish=False
) -> ImportResult:
    """Create the course, or update the one with this slug in place (see plan_import)."""
    # Deriving, drafting and rendering are the slow part: done before the transaction,
    # so SQLite's write lock is held only for the queries below.
    lessons = derive_lessons(parsed.sections)
    drafts = draft_explainer([section.text for section in parsed.sections])
    derived = {
        section.text: lesson for section, lesson in zip(parsed.sections, lessons, strict=True)
    }
    html = {
        section.text: lesson_html(section.text, terms=[e.term for e in lesson.glossary])
        for section, lesson in zip(parsed.sections, lessons, strict=True)
    }
    with transaction.atomic():
        # Planned again inside the transaction: what it compares is what it writes.
        plan = plan_import(parsed=parsed, title=title, slug=slug, lessons=lessons, drafts=drafts)
        course = plan.course or Course(slug=plan.slug)
        course.title = plan.title
        course.source_text = parsed.source_text
        course.summary = course.summary or lessons[0].summary
        course.save()

        created, taken = [], set(plan.slugs_taken)
        for position, section in plan.new:
            lesson = Lesson(
                course=course,
                position=position,
                slug=_unique_slug(derived[section.text].title, taken),
                published=False,
            )
            _fill(lesson, section, derived[section.text], html[section.text])
            created.append(lesson)
        Lesson.objects.bulk_create(created)

        now = timezone.now()
        updated = []
        for lesson, section in plan.changed:
            _fill(lesson, section, derived[section.text], html[section.text])
            lesson.updated_at = now  # bulk_update skips auto_now
            updated.append(lesson)
        Lesson.objects.bulk_update(
            updated,
            [
                "title",
                "summary",
                "body",
                "body_html",
                "key_points",
                "glossary",
                "source_text",
                "updated_at",
            ],
        )

        Lesson.objects.filter(pk__in=[lesson.pk for lesson in plan.unpublished]).update(
            published=False
        )
        # New and changed sections are drafted; an unchanged one keeps its drafts.
        redrafts = store_drafts(
            [(lesson, drafts[lesson.position - 1]) for lesson in [*created, *updated]], now=now
        )
        # Published only once every lesson can offer its quiz: otherwise say why.
        not_published = publish_course(course) if publish else []
    return ImportResult(
        course=course,
        plan=plan,
        created=created,
        updated=updated,
        redrafts=redrafts,
        not_published=not_published,
    )

"""Write an explainer's sections as a course's lessons.

`plan_import` only reads: it says what an import would create, update, leave and
unpublish, and is all that a dry run or the admin's preview does, so neither
opens a write transaction. `import_explainer` renders the lessons first, then
plans again and writes with bulk operations in one short transaction.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from learning.models import Course, Lesson
from learning.rendering import lesson_html

from .parsing import TYPOGRAPHIC, ParsedExplainer, course_title_and_slug


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

    @property
    def course_created(self):
        return self.course is None

    def summary(self):
        return (
            f"{len(self.new)} lessons created, {len(self.changed)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.unpublished)} unpublished."
        )


@dataclass
class ImportResult:
    course: Course
    plan: ImportPlan
    created: list
    updated: list


def _unique_slug(base, taken):
    base = (slugify(base.translate(TYPOGRAPHIC))[:50].strip("-")) or "lesson"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


def plan_import(*, parsed: ParsedExplainer, title=None, slug=None) -> ImportPlan:
    """Compare the explainer with the course of the same slug, reading only.

    Lessons are matched by position, so progress and attempts stay attached; a
    lesson whose section is unchanged is left as an editor may have edited it;
    lessons beyond the new section count are unpublished, never deleted.
    """
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


def _fill(lesson, section, body_html):
    lesson.title = section.title[:200]
    lesson.summary = section.summary[:400]
    lesson.body = section.text
    lesson.body_html = body_html
    lesson.key_points = "\n".join(section.key_points)
    lesson.source_text = section.text


def import_explainer(
    *, parsed: ParsedExplainer, title=None, slug=None, publish=False
) -> ImportResult:
    """Create the course, or update the one with this slug in place (see plan_import)."""
    # Rendering is the slow part: done before the transaction, so SQLite's write
    # lock is held only for the few bulk queries below.
    html = {section.text: lesson_html(section.text) for section in parsed.sections}
    with transaction.atomic():
        # Planned again inside the transaction: what it compares is what it writes.
        plan = plan_import(parsed=parsed, title=title, slug=slug)
        course = plan.course or Course(slug=plan.slug)
        course.title = plan.title
        course.source_text = parsed.source_text
        course.summary = course.summary or parsed.sections[0].summary
        if publish:
            course.published = True
        course.save()

        created, taken = [], set(plan.slugs_taken)
        for position, section in plan.new:
            lesson = Lesson(
                course=course,
                position=position,
                slug=_unique_slug(section.title, taken),
                published=publish,
            )
            _fill(lesson, section, html[section.text])
            created.append(lesson)
        Lesson.objects.bulk_create(created)

        now = timezone.now()
        updated = []
        for lesson, section in plan.changed:
            _fill(lesson, section, html[section.text])
            lesson.published = lesson.published or publish
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
                "source_text",
                "published",
                "updated_at",
            ],
        )

        if publish:
            Lesson.objects.filter(pk__in=[lesson.pk for lesson in plan.unchanged]).update(
                published=True
            )
        Lesson.objects.filter(pk__in=[lesson.pk for lesson in plan.unpublished]).update(
            published=False
        )
    return ImportResult(course=course, plan=plan, created=created, updated=updated)

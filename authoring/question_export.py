"""A quiz's or a course's questions written out as GIFT, Aiken, Moodle XML or CSV."""

from django.db.models import Q

from quizzes.models import Question

from .formats import ChoiceData, QuestionData, aiken, csv_format, gift, moodle_xml

WRITERS = {"gift": gift, "aiken": aiken, "moodle-xml": moodle_xml, "csv": csv_format}
EXTENSIONS = {"gift": "gift.txt", "aiken": "aiken.txt", "moodle-xml": "xml", "csv": "csv"}


def question_data(questions):
    """Question rows (with their choices prefetched) as format-neutral data; the
    category names the course and lesson, as Moodle's question bank would."""
    for question in questions:
        lesson = question.quiz.lesson
        yield QuestionData(
            prompt=question.prompt,
            kind=question.kind,
            choices=tuple(
                ChoiceData(choice.text, choice.is_correct, choice.feedback)
                for choice in question.choices.all()
            ),
            explanation=question.explanation,
            source_passage=question.source_passage,
            name=f"{lesson.slug}-{question.position}",
            # Moodle's category path: "/" steps into a subcategory, "//" is a slash.
            category="/".join(
                part.replace("/", "//")
                for part in (lesson.course.title, f"{lesson.position}. {lesson.title}")
            ),
        )


def in_use(*, courses=(), lessons=()):
    """The questions still in use (drafts and approved, not retired or rejected) of
    these courses and lessons, in course, lesson and question order."""
    scope = Q(quiz__lesson__course__in=courses) | Q(quiz__lesson__in=lessons)
    return (
        Question.objects.in_pool()
        .filter(scope)
        .select_related("quiz__lesson__course")
        .prefetch_related("choices")
        .order_by("quiz__lesson__course__title", "quiz__lesson__position", "position")
    )


def write(questions, format_name):
    """(text, skipped): the questions in the format; skipped lists what it cannot hold."""
    written = WRITERS[format_name].write(list(question_data(questions)))
    return written if isinstance(written, tuple) else (written, [])


def export(course, *, positions=None, format_name="gift"):
    """(text, skipped) for a course's questions in use, or those of its lessons at
    `positions`."""
    lessons = course.lessons.filter(position__in=positions) if positions else ()
    return write(in_use(courses=() if positions else [course], lessons=lessons), format_name)

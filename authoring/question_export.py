"""A quiz's or a course's questions written out as GIFT, Aiken, Moodle XML or CSV."""

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
            category=f"{lesson.course.title}/{lesson.position}. {lesson.title}",
        )


def export(course, *, positions=None, format_name="gift"):
    """(text, skipped) for the course's questions still in use (drafts and approved,
    not retired or rejected), in lesson and question order."""
    questions = (
        Question.objects.in_pool()
        .filter(quiz__lesson__course=course)
        .select_related("quiz__lesson__course")
        .prefetch_related("choices")
        .order_by("quiz__lesson__position", "position")
    )
    if positions:
        questions = questions.filter(quiz__lesson__position__in=positions)
    data = list(question_data(questions))
    written = WRITERS[format_name].write(data)
    return written if isinstance(written, tuple) else (written, [])

"""Learners' reports of faulty questions: filing one from a result page, counting them."""

from django.db import IntegrityError, transaction
from django.db.models import Count

from .models import QuestionReport


class ReportRefused(ValueError):
    """The report cannot be filed; the message says why."""


def file_report(*, user, attempt, question_id, reason, comment=""):
    """A student's report on a question of one of their submitted attempts. One open
    report per student and question: a second is refused, the first kept."""
    if not attempt.is_submitted:
        raise ReportRefused("Submit the attempt first, then report a problem.")
    if question_id not in {q["id"] for q in attempt.paper.get("questions", [])}:
        raise ReportRefused("That question is not part of this attempt.")
    if QuestionReport.objects.open().filter(user=user, question_id=question_id).exists():
        raise ReportRefused("You have already reported this question; an editor will look at it.")
    try:
        with transaction.atomic():
            return QuestionReport.objects.create(
                user=user, attempt=attempt, question_id=question_id, reason=reason, comment=comment
            )
    except IntegrityError:  # a double click filed it a moment ago
        raise ReportRefused(
            "You have already reported this question; an editor will look at it."
        ) from None


def open_reports_by_question(quiz):
    """{question id: open reports} for a quiz's questions, in one query."""
    rows = (
        QuestionReport.objects.open()
        .filter(question__quiz=quiz)
        .order_by()
        .values_list("question_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)

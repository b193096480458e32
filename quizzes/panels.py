"""What the quiz room adds to the lesson page (registered in quizzes.apps)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

APPROVED_QUESTIONS = "quiz_approved_questions"


def approved_questions():
    """The lesson's quiz's approved questions, counted in the lesson's own query."""
    from .models import Question

    counts = (
        Question.objects.approved()
        .filter(quiz__lesson=OuterRef("pk"))
        .order_by()
        .values("quiz")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def quiz_call(request, lesson):
    """The call to take the lesson's quiz (fetched with the lesson), once it is offered."""
    if not hasattr(lesson, "quiz"):
        return ""
    if not lesson.quiz.is_offered(getattr(lesson, APPROVED_QUESTIONS)):
        return ""
    return render_to_string("quizzes/_lesson_quiz_call.html", {"lesson": lesson})

"""The item checks (quizzes.checks) run over the database's questions."""

from django.db.models import Prefetch

from . import checks, pool_checks
from .models import Choice, Question, Quiz


def item(question):
    """A question row as the checks see it; its choices should be prefetched."""
    return checks.Item(
        key=question.pk,
        prompt=question.prompt,
        kind=question.kind,
        choices=tuple(checks.Choice(c.text, c.is_correct) for c in question.choices.all()),
        explanation=question.explanation,
        source_passage=question.source_passage,
        label=f"Q{question.position}",
    )


def quizzes_with_pools(quizzes):
    """Quizzes with what the checks read, in three queries however many there are."""
    choices = Prefetch("choices", queryset=Choice.objects.order_by("position"))
    questions = Question.objects.in_pool().order_by("position").prefetch_related(choices)
    return quizzes.select_related("lesson__course").prefetch_related(
        Prefetch("questions", queryset=questions)
    )


def check_quiz(quiz):
    """A PoolReport keyed by question pk. The quiz's pool (questions not retired) and
    their choices should be prefetched (`quizzes_with_pools`)."""
    items = [item(question) for question in quiz.questions.all()]
    return pool_checks.check_pool(items, quiz.lesson.source_text, shuffled=quiz.shuffle_choices)


def reports(quizzes=None):
    """(quiz, report) for each quiz, in course and lesson order."""
    quizzes = Quiz.objects.all() if quizzes is None else quizzes
    return [(quiz, check_quiz(quiz)) for quiz in quizzes_with_pools(quizzes)]


def questions_needing_checks(quizzes=None):
    """The pks of questions with any finding."""
    return {pk for _quiz, report in reports(quizzes) for pk in report.questions}


def findings_by_question(quiz_ids):
    """{question pk: [Finding]} over the pools of the quizzes with these pks."""
    found = {}
    for _quiz, report in reports(Quiz.objects.filter(pk__in=quiz_ids)):
        found.update(report.questions)
    return found

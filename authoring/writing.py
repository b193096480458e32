"""Questions written in bulk, for drafting and for question files alike: a constant
number of queries however many questions, each appended after the quiz's last one."""

from django.db.models import Max

from quizzes.models import Choice, Question


def last_positions(quizzes):
    """The highest question position in each quiz, by quiz pk (0 when it has none)."""
    found = dict(
        Question.objects.filter(quiz__in=quizzes)
        .values("quiz")
        .annotate(top=Max("position"))
        .values_list("quiz", "top")
    )
    return {quiz.pk: found.get(quiz.pk) or 0 for quiz in quizzes}


def create_questions(pairs):
    """Save each (unsaved Question, choices) pair; choices are (text, is_correct) or
    (text, is_correct, feedback), numbered in order. Two queries."""
    Question.objects.bulk_create([question for question, _ in pairs])
    Choice.objects.bulk_create(
        [
            Choice(
                question=question,
                position=number,
                text=choice[0],
                is_correct=choice[1],
                feedback=choice[2] if len(choice) > 2 else "",
            )
            for question, choices in pairs
            for number, choice in enumerate(choices, start=1)
        ]
    )
    return [question for question, _ in pairs]

"""What a result page shows, read from an attempt's frozen paper."""

from dataclasses import dataclass

from .grading import attempts_left
from .models import RevealAnswers


def answers_revealed(quiz, *, passed_ever, attempts_used):
    """Whether a result page shows the key. Shown before the student is done, it would
    turn the next attempt into copying, so by default it waits for a pass or the end."""
    none_left = attempts_left(quiz, attempts_used) == 0
    if quiz.reveal_answers == RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT:
        return passed_ever or none_left
    if quiz.reveal_answers == RevealAnswers.ONCE_PASSED:
        return passed_ever
    if quiz.reveal_answers == RevealAnswers.NO_ATTEMPTS_LEFT:
        return none_left
    return True


@dataclass
class ChoiceView:
    id: int
    text: str
    chosen: bool
    correct: bool | None
    feedback: str


@dataclass
class QuestionView:
    number: int
    id: int
    prompt: str
    kind: str
    choices: list
    answered: bool
    right: bool | None = None
    explanation: str = ""
    source_passage: str = ""

    @property
    def is_multiple(self):
        return self.kind == "multiple"


def question_views(attempt, *, selected, rights=None, reveal=False):
    """The attempt's questions in the order shown, with the student's choices.

    `selected` maps question id to chosen ids and `rights` to whether the
    answer was right (submitted attempts only). The key, the explanation and
    the choices' feedback are filled in only when `reveal` is true.
    """
    rights = rights or {}
    views = []
    for number, q in enumerate(attempt.paper.get("questions", []), start=1):
        chosen = set(selected.get(q["id"], []))
        correct = set(q.get("correct", [])) if attempt.is_submitted else set()
        choices = [
            ChoiceView(
                id=c["id"],
                text=c["text"],
                chosen=c["id"] in chosen,
                correct=(c["id"] in correct) if reveal else None,
                # Feedback often names the right choice: it follows the reveal setting.
                feedback=c.get("feedback", "") if reveal and c["id"] in chosen else "",
            )
            for c in q["choices"]
        ]
        views.append(
            QuestionView(
                number=number,
                id=q["id"],
                prompt=q["prompt"],
                kind=q["kind"],
                choices=choices,
                answered=bool(chosen),
                right=rights.get(q["id"]) if attempt.is_submitted else None,
                explanation=q.get("explanation", "") if reveal else "",
                source_passage=q.get("source_passage", "") if attempt.is_submitted else "",
            )
        )
    return views

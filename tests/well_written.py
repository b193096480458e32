"""A lesson section and a question the item checks find nothing wrong with, for the pages
and the command that show the checks' findings. (Factory questions have findings: their
explanation and source passage point to no sentence of the section.)"""

from tests.factories import ChoiceFactory, LessonFactory, QuestionFactory, QuizFactory

SECTION = (
    "Russia has rejected the idea of Western security guarantees for Ukraine, viewing the "
    "'reassurance force' as a potential threat to its influence in the region. This rejection "
    "indicates heightened tensions and the possibility of further escalation if Russia "
    "perceives the military presence as provocative."
)
PASSAGE = (
    "Russia has rejected the idea of Western security guarantees for Ukraine, viewing the "
    "'reassurance force' as a potential threat to its influence in the region."
)
PROMPT = "According to the explainer, how does Russia see the reassurance force?"
CHOICES = [
    ("As a step towards joining NATO's alliance", False),
    ("As a danger to its sway over nearby countries", True),
    ("As a way to share the cost of rebuilding", False),
    ("As a help for talks on a lasting ceasefire", False),
]


def well_written_quiz(**quiz_fields):
    """A quiz on SECTION with no questions yet."""
    return QuizFactory(lesson=LessonFactory(source_text=SECTION), **quiz_fields)


def add_well_written(quiz, position, **question_fields):
    """The one clean question a quiz can hold (two alike would give each other away)."""
    question = QuestionFactory(
        quiz=quiz,
        position=position,
        prompt=PROMPT,
        explanation=f'The section says Russia views the force "{PASSAGE[62:]}"',
        source_passage=PASSAGE,
        **question_fields,
    )
    for n, (text, is_correct) in enumerate(CHOICES, 1):
        ChoiceFactory(question=question, position=n, text=text, is_correct=is_correct)
    return question

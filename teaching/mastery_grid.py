"""Mastery as a teacher sees it: the grid's "Mastery now" cells, the share of the class
whose recall of each lesson has faded, and the review figures of one student's record.

The levels are review.mastery's; every figure is aggregated by the database, whatever
the size of the class and however many cards its students hold.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from quizzes.models import QuestionStatus
from review.mastery import (
    MATURE_STABILITY_DAYS,
    RECALL_FLOOR,
    Level,
    Mastery,
    level_for,
    mastery_grid,
)
from review.mastery_panels import BADGE_CLASSES
from review.models import Card, ReviewLog, Source, State
from review.recall import recall_expression

FLOOR_PERCENT = round(100 * RECALL_FLOOR)

# What each level means, for the key under the grid (review/mastery.py has the rules).
MEANINGS = {
    Level.NOT_STARTED: "has not answered the lesson's quiz yet.",
    Level.ATTEMPTED: "has taken the quiz and not passed it yet.",
    Level.FAMILIAR: (
        "passed the quiz and is still learning some of its questions (missed last time, "
        "or right only once since), or has no review cards of it yet."
    ),
    Level.PROFICIENT: "passed the quiz and remembers every one of its questions.",
    Level.MASTERED: (
        "passed the quiz and remembers every question well: each stays above 90% "
        "predicted recall for three weeks or more after its last review."
    ),
    Level.NEEDS_REVIEW: (
        f"passed the quiz, but the predicted recall of its questions is now below "
        f"{FLOOR_PERCENT}% on average: it is fading, and a review brings it back."
    ),
}


# ---------------------------------------------------------------- the grid's cells


class MasteryCells:
    """The mastery of some students on some lessons; `row` gives one student's, in
    column order."""

    def __init__(self, grid, lessons):
        self._grid = grid  # {(user id, lesson id): Mastery}, every pair
        self._ids = [lesson.pk for lesson in lessons]

    def row(self, user_id):
        return [self._grid[user_id, pk] for pk in self._ids]


def mastery_cells(students, lessons, *, now):
    """The cells of `students` (ids: a page of the grid) on `lessons`: two queries
    (review.mastery.mastery_grid)."""
    return MasteryCells(mastery_grid(students, lessons, now=now), lessons)


@lru_cache(maxsize=64)
def level_html(level):
    """One cell's badge, built once per level and process, as grid.cell_html is."""
    level = Level(level)
    return format_html(
        '<div class="grid-cell"><span class="badge {}">{}</span></div>',
        BADGE_CLASSES[level],
        level.label,
    )


def mastery_row_html(cells, user_id):
    """One student's lesson cells as table cells."""
    return mark_safe("".join(f"<td>{level_html(m.level)}</td>" for m in cells.row(user_id)))


def mastery_legend():
    """(label, style, meaning) of every level, for the key under the grid."""
    return [(level.label, BADGE_CLASSES[level], MEANINGS[level]) for level in Level]


# ---------------------------------------------------------------- the footer: recall fading


@dataclass(frozen=True)
class FadingShare:
    """Of the class's students with cards in a lesson, how many recall it below the floor."""

    below: int = 0
    students: int = 0  # students of the class with cards of the lesson's approved questions

    @property
    def percent(self):
        return round(100 * self.below / self.students) if self.students else None

    @property
    def label(self):
        if not self.students:
            return "no cards yet"
        return f"{self.below} of {self.students} · {self.percent}%"


def fading_shares(classroom, lessons, *, now):
    """{lesson id: FadingShare} over every student of `classroom`: those whose mean
    predicted recall of the lesson's cards is below RECALL_FLOOR at `now`.

    One query however large the class: the database averages each student's recall of
    each lesson (the inner query, a row per student and a column per lesson) and counts
    the students per lesson over those rows (the outer one, which .aggregate() wraps
    around it). A column per lesson rather than a row per student and lesson: the cards
    come in the order of the (user, due) index, so the students' rows need no sorting.
    Lessons are told apart by their quiz, which spares joining every card to it."""
    quizzes = {lesson.pk: quiz.pk for lesson in lessons if (quiz := getattr(lesson, "quiz", None))}
    shares = {lesson.pk: FadingShare() for lesson in lessons}
    if not quizzes:
        return shares
    per_student = (
        Card.objects.filter(
            user_id__in=classroom.enrollments.values("student_id"),
            question__quiz_id__in=list(quizzes.values()),
            question__status=QuestionStatus.APPROVED,
        )
        # Named once rather than rebuilt in each lesson's average: the same SQL, less Python.
        .annotate(recall=recall_expression(now))
        .values("user_id")
        .annotate(
            **{
                f"recall_{pk}": Avg("recall", filter=Q(question__quiz_id=quiz))
                for pk, quiz in quizzes.items()
            }
        )
        .order_by()
    )
    counts = {}
    for pk in quizzes:
        counts[f"students_{pk}"] = Count(f"recall_{pk}")  # students with cards of the lesson
        counts[f"below_{pk}"] = Count(
            f"recall_{pk}", filter=Q(**{f"recall_{pk}__lt": RECALL_FLOOR})
        )
    found = per_student.aggregate(**counts)
    for pk in quizzes:
        shares[pk] = FadingShare(below=found[f"below_{pk}"], students=found[f"students_{pk}"])
    return shares


# ---------------------------------------------------------------- one student's record


@dataclass
class ReviewRecord:
    """A student's reviews of the class's lessons, and their mastery of each."""

    quiz_answers: int = 0  # graded quiz answers, each of which updated a card
    session_answers: int = 0  # answers in review and practice sessions
    cards: int = 0
    due: int = 0  # cards due now
    last_review: datetime | None = None
    # [(lesson, Mastery, its badge)] in the grid's column order
    lessons: list = field(default_factory=list)

    @property
    def answers(self):
        return self.quiz_answers + self.session_answers


def _per_lesson(rows, lesson, aggregate, output_field):
    """A subquery of `aggregate` over `rows` of the outer lesson: one group, one row."""
    found = rows.values(lesson).annotate(value=aggregate).values("value")
    return Subquery(found, output_field=output_field)


def review_annotations(student, *, now):
    """Annotations for a query over lessons (class_lessons) with `student`'s cards of each
    lesson and the answers logged on them: what review.mastery.mastery_grid aggregates
    for a class, as a fixed number of subqueries however many lessons and cards. The
    record page reads its lessons anyway: its review section costs no query of its own."""
    lesson = "question__quiz__lesson_id"
    cards = Card.objects.filter(
        user=student,
        question__quiz__lesson_id=OuterRef("pk"),
        question__status=QuestionStatus.APPROVED,
    ).order_by()
    logs = ReviewLog.objects.filter(
        card__user=student,
        card__question__quiz__lesson_id=OuterRef("pk"),
        card__question__status=QuestionStatus.APPROVED,
    ).order_by()
    review = Q(state=State.REVIEW)
    counts = {
        "rv_cards": (cards, lesson, Count("pk")),
        "rv_in_review": (cards, lesson, Count("pk", filter=review)),
        "rv_mature": (
            cards,
            lesson,
            Count("pk", filter=review & Q(stability__gte=MATURE_STABILITY_DAYS)),
        ),
        "rv_due": (cards, lesson, Count("pk", filter=Q(due__lte=now))),
        "rv_quiz_answers": (logs.filter(source=Source.QUIZ), f"card__{lesson}", Count("pk")),
        "rv_session_answers": (
            logs.filter(source__in=[Source.REVIEW, Source.PRACTICE]),
            f"card__{lesson}",
            Count("pk"),
        ),
    }
    annotations = {
        name: Coalesce(_per_lesson(rows, by, aggregate, IntegerField()), 0)
        for name, (rows, by, aggregate) in counts.items()
    }
    annotations["rv_recall"] = _per_lesson(cards, lesson, Avg(recall_expression(now)), FloatField())
    annotations["rv_last_review"] = _per_lesson(cards, lesson, Max("last_review"), DateTimeField())
    return annotations


def review_record(lessons, progress):
    """The ReviewRecord of lessons annotated with `review_annotations`. `progress` is
    {lesson id: LessonProgress or None}, as the record page has read it already."""
    record = ReviewRecord()
    for lesson in lessons:
        made = progress.get(lesson.pk)
        level = level_for(
            attempted=bool(made and made.attempts_submitted),
            passed=bool(made and made.passed_at),
            cards=lesson.rv_cards,
            in_review=lesson.rv_in_review,
            mature=lesson.rv_mature,
            recall=lesson.rv_recall,
        )
        mastery = Mastery(level, cards=lesson.rv_cards, due=lesson.rv_due, recall=lesson.rv_recall)
        record.lessons.append((lesson, mastery, level_html(level)))
        record.cards += lesson.rv_cards
        record.due += lesson.rv_due
        record.quiz_answers += lesson.rv_quiz_answers
        record.session_answers += lesson.rv_session_answers
        moments = [record.last_review, lesson.rv_last_review]
        record.last_review = max((m for m in moments if m), default=None)
    return record

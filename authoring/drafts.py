"""Drafted questions in the database: written as drafts, never over an editor's work.

Re-drafting a lesson (after a re-import, or from the command and the admin action)
adds the drafts it has not made before, re-ranks the untouched drafts it makes
again, and marks as stale the untouched drafts it no longer makes. A question an
editor approved, rejected, retired or edited is never changed or deleted.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from quizzes.models import Choice, Question, QuestionOrigin, QuestionStatus, Quiz

from .drafting import MIN_PER_SECTION, draft_explainer
from .models import DraftRecord, signature
from .writing import create_questions, last_positions

# Each attempt of a drafted quiz draws this many approved questions, so an editor
# can approve a pool and students see a different mix on a second try.
DRAFTED_QUESTIONS_PER_ATTEMPT = MIN_PER_SECTION


@dataclass
class Redraft:
    lesson: object
    created: int = 0
    kept: int = 0  # drafts made again, untouched, re-ranked
    stale: int = 0  # untouched drafts no longer made
    protected: int = 0  # approved, rejected, retired or edited: left as they are


def quizzes_for(lessons):
    """Each lesson's quiz by lesson pk, made with drafting's defaults where missing
    (two queries, however many lessons)."""
    quizzes = {quiz.lesson_id: quiz for quiz in Quiz.objects.filter(lesson__in=lessons)}
    missing = [
        Quiz(lesson=lesson, questions_per_attempt=DRAFTED_QUESTIONS_PER_ATTEMPT)
        for lesson in lessons
        if lesson.pk not in quizzes
    ]
    for quiz in Quiz.objects.bulk_create(missing):
        quizzes[quiz.lesson_id] = quiz
    return quizzes


def _choices_of(question):
    return [(choice.text, choice.is_correct) for choice in question.choices.all()]


def store_drafts(pairs, *, engine="text", now=None):
    """Write each (lesson, SectionDrafts) pair's drafts into the lesson's quiz; see the
    module. A constant number of queries, however many lessons."""
    now = now or timezone.now()
    lessons = [lesson for lesson, _ in pairs]
    quizzes = quizzes_for(lessons)
    results = {lesson.pk: Redraft(lesson=lesson) for lesson in lessons}
    existing = (
        Question.objects.filter(quiz__in=quizzes.values(), origin=QuestionOrigin.DRAFTED)
        .select_related("draft_record", "quiz")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position")))
    )
    wanted = {lesson.pk: {d.key: d for d in found.drafts} for lesson, found in pairs}
    seen = {lesson.pk: set() for lesson in lessons}
    touched = []
    for question in existing:
        record = getattr(question, "draft_record", None)
        lesson_id = question.quiz.lesson_id
        if record is None:
            continue
        seen[lesson_id].add(record.key)
        result = results[lesson_id]
        untouched = question.status == QuestionStatus.DRAFT and not record.edited(
            question, _choices_of(question)
        )
        if not untouched:
            result.protected += 1
            continue
        draft = wanted[lesson_id].get(record.key)
        if draft is None:
            record.stale = True
            result.stale += 1
        else:
            record.stale, record.rank = False, draft.rank
            record.warnings = list(draft.findings)
            result.kept += 1
        touched.append(record)
    DraftRecord.objects.bulk_update(touched, ["stale", "rank", "warnings"])

    top = last_positions(quizzes.values())
    questions = []
    for lesson in lessons:
        quiz = quizzes[lesson.pk]
        position = top[quiz.pk]
        for key, draft in wanted[lesson.pk].items():
            if key in seen[lesson.pk]:
                continue
            position += 1
            question = Question(
                quiz=quiz,
                position=position,
                prompt=draft.prompt,
                kind=draft.kind,
                explanation=draft.explanation,
                source_passage=draft.source_passage,
                status=QuestionStatus.DRAFT,
                origin=QuestionOrigin.DRAFTED,
            )
            questions.append((question, draft))
            results[lesson.pk].created += 1
    create_questions([(question, draft.choices) for question, draft in questions])
    records = [
        DraftRecord(
            question=question,
            key=draft.key,
            engine=engine,
            family=draft.family,
            rank=draft.rank,
            warnings=list(draft.findings),
            signature=signature(draft.prompt, draft.explanation, draft.choices),
            drafted_at=now,
        )
        for question, draft in questions
    ]
    DraftRecord.objects.bulk_create(records)
    return [results[lesson.pk] for lesson in lessons]


def section_texts(course):
    """The explainer's sections as the course's lessons keep them, in order."""
    lessons = list(course.lessons.order_by("position"))
    return lessons, [lesson.source_text or lesson.body for lesson in lessons]


def redraft(course, *, positions=None, engine=None):
    """Draft the course's lessons again (all, or those at `positions`): distractors are
    judged against the whole explainer, so every section is read."""
    lessons, texts = section_texts(course)
    drafted = draft_explainer(texts, engine=engine)  # before the transaction: the slow part
    now = timezone.now()
    pairs = [
        (lesson, found)
        for lesson, found in zip(lessons, drafted, strict=True)
        if not positions or lesson.position in positions
    ]
    with transaction.atomic():
        return store_drafts(pairs, now=now)

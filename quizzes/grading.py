"""Starting, answering and grading attempts: the rules that keep a student's work safe.

Each operation is one function in one transaction. `grade` is pure, so the
scoring rules are tested on plain data.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from learning.progress import record_result

from . import extensions
from .attempt_limits import extra_attempts
from .models import Attempt, Choice, Question, QuestionKind, Quiz, Response
from .pools import build_paper


class AttemptRefused(Exception):
    """The student may not start another attempt; the message says why."""


class AnswerRejected(ValueError):
    """A save that breaks the rules; nothing is written. The message is shown as is."""


class AttemptClosed(AnswerRejected):
    """The attempt was submitted or its time is up: its answers can no longer change."""


# ---------------------------------------------------------------- grading


def is_right(kind, selected, correct):
    """Single answer: the one correct choice. Select-all: exactly the correct set."""
    selected, correct = set(selected), set(correct)
    if kind == QuestionKind.SINGLE:
        return len(selected) == 1 and selected <= correct
    return bool(selected) and selected == correct


def score_percent(right, total):
    if not total:
        return Decimal("0.00")
    return (Decimal(100) * right / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Grade:
    results: dict  # question id -> right?
    score: Decimal
    passed: bool


def grade(questions, selected, correct, pass_mark):
    """questions: [(id, kind)]; selected / correct: {question id: [choice ids]}."""
    results = {
        qid: is_right(kind, selected.get(qid, []), correct.get(qid, [])) for qid, kind in questions
    }
    right, total = sum(results.values()), len(questions)
    # Compare whole numbers, not the rounded score: 0.995% must not pass a 1% mark.
    return Grade(results, score_percent(right, total), 100 * right >= pass_mark * total)


# ---------------------------------------------------------------- starting


def attempts_left(quiz, used, extra=0):
    """What `used` attempts leave of the quiz's limit plus the `extra` attempts a teacher
    granted this student; None when the quiz has no limit."""
    return None if quiz.max_attempts is None else max(0, quiz.max_attempts + extra - used)


def _count(rows):
    return Coalesce(Subquery(rows.order_by().values("quiz").annotate(n=Count("pk")).values("n")), 0)


def attempt_counts(user, quiz):
    """(approved questions, attempts started, extra attempts granted) of `user` at
    `quiz`, in one query: a visitor who is not signed in has neither attempts nor extras."""
    quiz_ref = OuterRef("pk")
    counts = {"approved": _count(Question.objects.approved().filter(quiz=quiz_ref))}
    if user.is_authenticated:
        counts["used"] = _count(Attempt.objects.filter(quiz=quiz_ref, user=user))
        counts["extra"] = extra_attempts(quiz=quiz_ref, user=user)
    else:
        counts["used"] = counts["extra"] = Value(0)
    return (
        Quiz.objects.filter(pk=quiz.pk)
        .annotate(**counts)
        .values_list("approved", "used", "extra")
        .get()
    )


def start_attempt(*, user, quiz, now=None, rng=random):
    """Resume the open attempt, or start the next one if attempts remain."""
    now = now or timezone.now()
    open_attempt = Attempt.objects.open().filter(user=user, quiz=quiz).first()
    if open_attempt and not is_expired(open_attempt, now):
        return open_attempt
    if open_attempt:
        submit_attempt(attempt=open_attempt, now=now)
    approved, used, extra = attempt_counts(user, quiz)
    if not quiz.is_offered(approved):
        raise AttemptRefused("This quiz is not open yet: its questions are still being written.")
    if attempts_left(quiz, used, extra) == 0:
        raise AttemptRefused(
            f"You have used all {quiz.max_attempts + extra} attempts at this quiz."
        )
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                quiz=quiz,
                number=used + 1,
                deadline=deadline,
                paper=build_paper(quiz, user=user, rng=rng),
            )
    except IntegrityError:
        # Another request (a double click, a second tab) started it first: use that one.
        existing = Attempt.objects.open().filter(user=user, quiz=quiz).first()
        if existing is None:
            raise AttemptRefused("Please try again: another attempt was being started.") from None
        return existing


def is_expired(attempt, now=None):
    return attempt.deadline is not None and (now or timezone.now()) >= attempt.deadline


# ---------------------------------------------------------------- answering


def parse_answers(paper, post):
    """Read `q<question id>` values for the questions listed in `shown`.

    Returns {question id: [choice ids]} or raises AnswerRejected; pure, so a
    tampered form is rejected before anything touches the database.
    """
    by_id = {q["id"]: q for q in paper["questions"]}
    answers = {}
    for raw in post.getlist("shown"):
        qid = _as_id(raw, "question")
        if qid not in by_id:
            raise AnswerRejected(f"Question {qid} is not part of this attempt.")
        answers[qid] = []
    for key in post:
        if not key.startswith("q") or key == "question":
            continue
        qid = _as_id(key[1:], "question")
        if qid not in by_id:
            raise AnswerRejected(f"Question {qid} is not part of this attempt.")
        question = by_id[qid]
        valid = {c["id"] for c in question["choices"]}
        chosen = [_as_id(value, "choice") for value in post.getlist(key)]
        if len(set(chosen)) != len(chosen):
            raise AnswerRejected("The same choice was sent twice.")
        if any(choice not in valid for choice in chosen):
            raise AnswerRejected(f"That choice does not belong to question {qid}.")
        if question["kind"] == QuestionKind.SINGLE and len(chosen) > 1:
            raise AnswerRejected("Choose only one answer for a single-answer question.")
        answers[qid] = chosen
    return answers


def _as_id(raw, what):
    raw = str(raw).strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise AnswerRejected(f"That is not a valid {what} id.")
    return int(raw)


@dataclass(frozen=True)
class SaveOrder:
    """Where a background save comes from: the page (a browser tab) and its counter.

    Two quick changes can reach the server in either order; a save older than the
    one stored from the same page is ignored, so the later choice stays. Saves from
    different pages (another tab, the Save button without JavaScript) replace each
    other in the order they arrive, as before.
    """

    page: str
    seq: int


def _lock_open_attempt(attempt, *, now=None, with_extra=False):
    """Lock the attempt row, then read the clock: the time of a write is the time it
    got the lock, so a request that waited past the deadline is late, whatever time it
    arrived. Returns (locked row, now); `with_extra` adds the student's extra attempts
    (`locked.extra`) to the same query."""
    rows = Attempt.objects.select_for_update().only("submitted_at", "deadline")
    if with_extra:
        rows = rows.annotate(
            extra=extra_attempts(quiz=OuterRef("quiz_id"), user=OuterRef("user_id"))
        )
    return rows.get(pk=attempt.pk), now or timezone.now()


def _check_open(locked, now):
    if locked.is_submitted:
        raise AttemptClosed(
            "This attempt has already been submitted; answers can no longer change."
        )
    if is_expired(locked, now):
        raise AttemptClosed("Time is up for this attempt; answers can no longer change.")


def _write_answers(attempt_id, answers, *, now, order=None, existing=None):
    """Upsert the answers in one statement, stamped with the server's time. A question
    deleted since the attempt began (not in `existing`, read here unless given) is
    dropped, as grading drops it."""
    if existing is None:
        existing = set(
            Question.objects.filter(pk__in=answers).order_by().values_list("pk", flat=True)
        )
    page, seq = (order.page, order.seq) if order else ("", 0)
    Response.objects.bulk_create(
        [
            Response(
                attempt_id=attempt_id,
                question_id=qid,
                selected=chosen,
                saved_at=now,
                client_page=page,
                client_seq=seq,
            )
            for qid, chosen in answers.items()
            if qid in existing
        ],
        update_conflicts=True,
        unique_fields=["attempt", "question"],
        update_fields=["selected", "saved_at", "client_page", "client_seq"],
    )
    return existing


def save_answers(*, attempt, answers, order=None, now=None):
    """Store answers on an open attempt: one small transaction, one write whatever the count.

    With an `order`, answers older than those stored from the same page are left out.
    Returns the ids of the questions whose answers were written.
    """
    with transaction.atomic():
        # The row lock makes a concurrent submit wait, so no answer lands after grading.
        locked, now = _lock_open_attempt(attempt, now=now)
        _check_open(locked, now)
        answers = dict(answers)
        if order is not None:
            newer = Response.objects.filter(
                attempt_id=attempt.pk,
                question_id__in=answers,
                client_page=order.page,
                client_seq__gt=order.seq,
            ).values_list("question_id", flat=True)
            for qid in list(newer):
                del answers[qid]
        return _write_answers(attempt.pk, answers, now=now, order=order) if answers else set()


# ---------------------------------------------------------------- submitting


def submit_attempt(*, attempt, answers=None, now=None):
    """Save the submitted form's `answers` and grade, exactly once, whatever the number
    of submits.

    The answers are written and graded in one transaction under the attempt's lock, so
    what the student submitted is what is graded: a save that got the lock first is
    overwritten, one that comes after finds the attempt submitted. Past the deadline
    (read after the lock) the submitted form is not written and the answers saved in
    time are graded (`attempt.timed_out` then says so).

    What does not change once the attempt exists (its questions' key, explanations
    and feedback) is read before the transaction: with SQLite every transaction holds
    the one write lock from its first statement, so only the answers, the grade and
    the writes happen inside it. The attempt row is locked first, so a concurrent
    save or submit waits and the answers graded are the answers stored.
    """
    if attempt.is_submitted:
        return attempt
    quiz = attempt.quiz
    paper_questions = attempt.paper["questions"]
    ids = [q["id"] for q in paper_questions]
    current = {
        pk: (explanation, passage)
        for pk, explanation, passage in Question.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "explanation", "source_passage")
    }
    # A question deleted since the attempt began cannot be graded: drop it.
    paper_questions = [q for q in paper_questions if q["id"] in current]
    correct, feedback = {}, {}
    for qid, cid, is_correct, note in (
        Choice.objects.filter(question_id__in=ids)
        .order_by()
        .values_list("question_id", "pk", "is_correct", "feedback")
    ):
        if is_correct:
            correct.setdefault(qid, []).append(cid)
        if note:
            feedback[cid] = note
    for q in paper_questions:
        q["correct"] = sorted(correct.get(q["id"], []))
        q["explanation"], q["source_passage"] = current[q["id"]]
        for choice in q["choices"]:
            choice["feedback"] = feedback.get(choice["id"], "")
    kinds = [(q["id"], q["kind"]) for q in paper_questions]

    with transaction.atomic():
        # The row lock (PostgreSQL) or the write lock (SQLite) first: answers are final.
        locked, now = _lock_open_attempt(attempt, now=now, with_extra=True)
        if locked.is_submitted:
            return Attempt.objects.get(pk=attempt.pk)  # another request graded it
        attempt.deadline = locked.deadline
        if answers and not is_expired(locked, now):
            _write_answers(attempt.pk, answers, now=now, existing=set(current))
        # Graded at the deadline at the latest: what was saved by then is what counts.
        submitted_at = min(now, locked.deadline) if locked.deadline else now
        selected = dict(
            Response.objects.filter(attempt_id=attempt.pk)
            .order_by()
            .values_list("question_id", "selected")
        )
        result = grade(kinds, selected, correct, quiz.pass_mark)
        for outcome in (True, False):
            qids = [qid for qid in selected if result.results.get(qid) is outcome]
            if qids:
                Response.objects.filter(attempt_id=attempt.pk, question_id__in=qids).update(
                    is_correct=outcome
                )
        Response.objects.bulk_create(
            [
                Response(
                    attempt_id=attempt.pk,
                    question_id=qid,
                    selected=[],
                    is_correct=False,
                    saved_at=submitted_at,
                )
                for qid, _kind in kinds
                if qid not in selected
            ]
        )
        attempt.paper = {"questions": paper_questions}
        attempt.submitted_at = submitted_at
        attempt.score = result.score
        attempt.passed = result.passed
        Attempt.objects.filter(pk=attempt.pk).update(
            paper=attempt.paper,
            submitted_at=attempt.submitted_at,
            score=attempt.score,
            passed=attempt.passed,
        )
        record_result(
            user=attempt.user_id,
            lesson=quiz.lesson,
            score=result.score,
            passed=result.passed,
            at=attempt.submitted_at,
            attempts_left=attempts_left(quiz, attempt.number, locked.extra),
        )
        for hook in extensions.after_grading:  # spaced review's cards, in this transaction
            hook(attempt=attempt, results=result.results, now=attempt.submitted_at)
        return attempt


def close_expired_attempts(*, now=None):
    """Grade every open attempt whose time is up, each at its deadline, through the same
    submit as a student's own: idempotent, and safe beside a student submitting.

    Returns the number of attempts graded."""
    expired = (
        Attempt.objects.open()
        .filter(deadline__lte=now or timezone.now())
        .select_related("quiz__lesson")
        .order_by("deadline")
    )
    closed = 0
    for attempt in expired.iterator(chunk_size=200):
        closed += submit_attempt(attempt=attempt) is attempt  # else another request graded it
    return closed

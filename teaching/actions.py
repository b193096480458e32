"""What a teacher can do to a student's work and account, from the student record:
extra attempts, closing an open attempt, a new attempt after a failed last one, a new
one-time password. Each checks that it applies, then changes and logs (TeacherAction)
in one go; each refusal says why, and changes nothing."""

from dataclasses import dataclass

from axes.utils import reset as reset_login_failures
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Profile
from learning.templatetags.learning_tags import percent
from quizzes.attempt_limits import AllowanceRefused
from quizzes.attempt_limits import grant_extra_attempts as add_allowance
from quizzes.grading import attempts_left, submit_attempt
from quizzes.models import Attempt, AttemptAllowance, Quiz

from .models import ActionKind, TeacherAction
from .passwords import one_time_hash, one_time_password
from .roles import is_teacher


class ActionRefused(Exception):
    """The action does not apply (any more); the message says why. `status` is the
    HTTP status a page answers with: 409 for the state of things, 403 for a person."""

    def __init__(self, message, *, status=409):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------- where a student stands


@dataclass(frozen=True)
class Standing:
    """One student at one quiz: what the record shows and what the actions check."""

    quiz: Quiz
    used: int  # attempts started, an open one included
    extra: int  # extra attempts granted by teachers
    passed: bool
    open_attempt_id: int | None
    open_attempt_number: int | None

    @property
    def allowed(self):
        return None if self.quiz.max_attempts is None else self.quiz.max_attempts + self.extra

    @property
    def left(self):
        return attempts_left(self.quiz, self.used, self.extra)

    @property
    def limited(self):
        return self.quiz.max_attempts is not None

    @property
    def needs_new_attempt(self):
        """Failed with nothing left: the case for "give a new attempt"."""
        return self.limited and self.left == 0 and not self.passed and not self.open_attempt_id


def standing_annotations(student, **quiz_is):
    """Annotations that make a Standing, for a query over quizzes (`quiz=OuterRef("pk")`)
    or over lessons (`quiz__lesson=OuterRef("pk")`): a fixed number of subqueries,
    however many rows."""
    attempts = Attempt.objects.filter(user=student, **quiz_is).order_by()
    open_attempt = attempts.filter(submitted_at__isnull=True)
    used = attempts.values("quiz").annotate(n=Count("pk")).values("n")
    extra = AttemptAllowance.objects.filter(user=student, **quiz_is).values("extra_attempts")
    return {
        "st_used": Coalesce(Subquery(used), 0),
        "st_extra": Coalesce(Subquery(extra[:1]), 0),
        "st_passed": Exists(attempts.filter(passed=True)),
        "st_open_id": Subquery(open_attempt.values("pk")[:1]),
        "st_open_number": Subquery(open_attempt.values("number")[:1]),
    }


def standing_from(row, quiz):
    """The Standing of a row annotated with `standing_annotations`."""
    return Standing(
        quiz=quiz,
        used=row.st_used,
        extra=row.st_extra,
        passed=row.st_passed,
        open_attempt_id=row.st_open_id,
        open_attempt_number=row.st_open_number,
    )


def standing(student, quiz):
    """Where `student` stands at `quiz`, read fresh in one query."""
    row = Quiz.objects.annotate(**standing_annotations(student, quiz=OuterRef("pk"))).get(
        pk=quiz.pk
    )
    return standing_from(row, quiz)


# ---------------------------------------------------------------- attempts


def _log(*, classroom, teacher, student, kind, quiz=None, detail=""):
    return TeacherAction.objects.create(
        classroom=classroom,
        teacher=teacher,
        student=student,
        quiz=quiz,
        kind=kind,
        detail=detail[:200],
    )


def _grant(*, classroom, teacher, student, quiz, count, kind, detail):
    try:
        with transaction.atomic():
            allowance = add_allowance(user=student, quiz=quiz, count=count)
            total = quiz.max_attempts + allowance.extra_attempts
            _log(
                classroom=classroom,
                teacher=teacher,
                student=student,
                quiz=quiz,
                kind=kind,
                detail=detail.format(count=count, total=total),
            )
    except AllowanceRefused as refused:
        raise ActionRefused(str(refused), status=400) from None
    return allowance


def grant_extra_attempts(*, classroom, teacher, student, quiz, count):
    """`count` more attempts for `student` at `quiz`, beyond its limit. Returns the
    allowance (its `extra_attempts` is the new total of extras)."""
    if quiz.max_attempts is None:
        raise ActionRefused("This quiz has no attempt limit: no extra attempts are needed.")
    return _grant(
        classroom=classroom,
        teacher=teacher,
        student=student,
        quiz=quiz,
        count=count,
        kind=ActionKind.EXTRA_ATTEMPTS,
        detail="{count} extra attempt(s): {total} allowed in all",
    )


def why_no_new_attempt(now):
    """The refusal a new attempt meets for this Standing, or None when it applies."""
    if not now.limited:
        return ActionRefused("This quiz has no attempt limit: the student can always retake it.")
    if now.passed:
        return ActionRefused("This student has passed this quiz already.")
    if now.open_attempt_id:
        return ActionRefused("This student has an attempt open: they can finish it.")
    if now.left:
        return ActionRefused(
            f"This student still has {now.left} attempt{'s' if now.left != 1 else ''} left."
        )
    return None


def give_new_attempt(*, classroom, teacher, student, quiz):
    """One more attempt for a student who failed and has none left. Nothing of their
    history goes: the new attempt is the next number, beside the others."""
    refused = why_no_new_attempt(standing(student, quiz))
    if refused:
        raise refused
    return _grant(
        classroom=classroom,
        teacher=teacher,
        student=student,
        quiz=quiz,
        count=1,
        kind=ActionKind.NEW_ATTEMPT,
        detail="a new attempt after a failed last one: {total} allowed in all",
    )


def close_open_attempt(*, classroom, teacher, student, attempt):
    """Grade an open attempt as if the student had submitted it, with the answers they
    saved: nothing they chose is lost. Returns the graded attempt."""
    if attempt.is_submitted:
        raise ActionRefused("This attempt has been submitted already.")
    # Not inside a transaction of ours: submit_attempt reads the paper before it takes
    # the write lock, and grading twice is impossible (it locks and checks).
    graded = submit_attempt(attempt=attempt)
    if graded is not attempt:
        raise ActionRefused("This attempt was submitted meanwhile, by the student or its timer.")
    _log(
        classroom=classroom,
        teacher=teacher,
        student=student,
        quiz=attempt.quiz,
        kind=ActionKind.CLOSE_ATTEMPT,
        detail=f"attempt {graded.number} graded with the answers saved: "
        f"{percent(graded.score, attempt.quiz.pass_mark)}",
    )
    return graded


# ---------------------------------------------------------------- passwords


def check_password_resettable(student):
    """A teacher resets students' passwords only: never a teacher's or staff's."""
    if student.is_staff or student.is_superuser or is_teacher(student):
        raise ActionRefused(
            "This account belongs to a teacher or a member of staff: only an administrator "
            "can reset its password.",
            status=403,
        )


def reset_password(*, classroom, teacher, student):
    """A new one-time password for `student`, who must choose their own at the next
    sign-in. Returns the password: it is shown once and kept nowhere in clear."""
    check_password_resettable(student)
    password = one_time_password()
    with transaction.atomic():
        student.password = one_time_hash(password)
        student.save(update_fields=["password"])
        Profile.objects.update_or_create(user=student, defaults={"must_change_password": True})
        _log(
            classroom=classroom,
            teacher=teacher,
            student=student,
            kind=ActionKind.RESET_PASSWORD,
            detail="a one-time password, to change at the next sign-in",
        )
    # A student locked out by failed sign-ins can use the new password at once.
    reset_login_failures(username=student.get_username())
    return password

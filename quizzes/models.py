from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from learning.models import Lesson


class RevealAnswers(models.TextChoices):
    PASSED_OR_NO_ATTEMPTS_LEFT = (
        "passed_or_no_attempts_left",
        "Once the student has passed or has no attempts left",
    )
    ALWAYS = "always", "Always, after each attempt (for practice quizzes)"
    ONCE_PASSED = "once_passed", "Only once the student has passed"
    NO_ATTEMPTS_LEFT = "no_attempts_left", "Only once no attempts are left"


class QuizManager(models.Manager):
    def get_by_natural_key(self, course_slug, lesson_slug):
        return self.get(lesson__course__slug=course_slug, lesson__slug=lesson_slug)


class Quiz(models.Model):
    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="quiz")
    pass_mark = models.PositiveSmallIntegerField(
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Lowest score, in percent, that passes.",
    )
    max_attempts = models.PositiveSmallIntegerField(
        null=True, blank=True, default=3, help_text="Leave empty for unlimited attempts."
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many approved questions each attempt draws from the pool. "
        "Leave empty for the whole pool.",
    )
    shuffle_questions = models.BooleanField(default=False)
    shuffle_choices = models.BooleanField(default=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty for no time limit."
    )
    reveal_answers = models.CharField(
        max_length=30,
        choices=RevealAnswers.choices,
        default=RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT,
        help_text="When the result page shows which choices were correct.",
    )

    objects = QuizManager()

    class Meta:
        verbose_name_plural = "quizzes"
        ordering = ["lesson__course", "lesson__position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="quiz_pass_mark_lte_100"
            ),
            models.CheckConstraint(
                condition=models.Q(max_attempts__isnull=True) | models.Q(max_attempts__gte=1),
                name="quiz_max_attempts_gte_1",
            ),
            models.CheckConstraint(
                condition=models.Q(questions_per_attempt__isnull=True)
                | models.Q(questions_per_attempt__gte=1),
                name="quiz_questions_per_attempt_gte_1",
            ),
        ]

    def __str__(self):
        return f"Quiz: {self.lesson.title}"

    def attempt_size(self, approved):
        """How many questions an attempt shows, given `approved` questions in the pool."""
        return self.questions_per_attempt or approved

    def is_offered(self, approved):
        """A quiz is offered once its pool holds enough approved questions for one attempt."""
        return approved > 0 and approved >= self.attempt_size(approved)

    def natural_key(self):
        return self.lesson.natural_key()

    natural_key.dependencies = ["learning.lesson"]

    def get_absolute_url(self):
        return reverse("quizzes:quiz", args=[self.lesson.course.slug, self.lesson.slug])


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single answer"
    MULTIPLE = "multiple", "Select all that apply"


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    RETIRED = "retired", "Retired"
    REJECTED = "rejected", "Rejected"


class QuestionOrigin(models.TextChoices):
    WRITTEN = "written", "Written by an editor"
    DRAFTED = "drafted", "Drafted from the explainer"
    IMPORTED = "imported", "Imported from a file"


class QuestionQuerySet(models.QuerySet):
    def approved(self):
        """What students may be shown."""
        return self.filter(status=QuestionStatus.APPROVED)

    def in_pool(self):
        """What editors still work on: drafts and approved questions, not retired or
        rejected ones."""
        return self.exclude(status__in=[QuestionStatus.RETIRED, QuestionStatus.REJECTED])


class QuestionManager(models.Manager.from_queryset(QuestionQuerySet)):
    def get_by_natural_key(self, course_slug, lesson_slug, position):
        return self.get(
            quiz__lesson__course__slug=course_slug,
            quiz__lesson__slug=lesson_slug,
            position=position,
        )


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    prompt = models.TextField()
    kind = models.CharField(
        max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    explanation = models.TextField(
        blank=True, help_text="Shown after submission: why the answer is right."
    )
    source_passage = models.TextField(
        blank=True, help_text="The sentence of the lesson's section that answers the question."
    )
    status = models.CharField(
        max_length=10,
        choices=QuestionStatus.choices,
        default=QuestionStatus.DRAFT,
        help_text="Students see approved questions only. Retiring keeps past attempts intact.",
    )
    origin = models.CharField(
        max_length=10,
        choices=QuestionOrigin.choices,
        default=QuestionOrigin.WRITTEN,
        editable=False,
    )

    objects = QuestionManager()

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "position"], name="question_unique_position_per_quiz"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=QuestionStatus.values), name="question_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(origin__in=QuestionOrigin.values), name="question_origin_valid"
            ),
        ]

    def __str__(self):
        return f"Q{self.position}. {self.prompt[:80]}"

    def natural_key(self):
        return (*self.quiz.natural_key(), self.position)

    natural_key.dependencies = ["quizzes.quiz"]


def validate_choices(kind, choices):
    """The rules a question's set of choices must keep, as form-level errors.

    `choices` is a list of (text, is_correct) pairs that will exist after saving.
    """
    errors = []
    if len(choices) < 2:
        errors.append("A question needs at least two choices.")
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if kind == QuestionKind.SINGLE and correct != 1:
        errors.append(
            f"A single-answer question needs exactly one correct choice; it has {correct}."
        )
    if kind == QuestionKind.MULTIPLE and correct < 1:
        errors.append("A select-all-that-apply question needs at least one correct choice.")
    if errors:
        raise ValidationError(errors)


class ChoiceManager(models.Manager):
    def get_by_natural_key(self, course_slug, lesson_slug, question_position, position):
        return self.get(
            question__quiz__lesson__course__slug=course_slug,
            question__quiz__lesson__slug=lesson_slug,
            question__position=question_position,
            position=position,
        )


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    feedback = models.CharField(
        max_length=500, blank=True, help_text="Optional: shown when a student picked this choice."
    )

    objects = ChoiceManager()

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="choice_unique_position_per_question"
            ),
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (*self.question.natural_key(), self.position)

    natural_key.dependencies = ["quizzes.question"]


class AttemptQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def open(self):
        return self.filter(submitted_at__isnull=True)


class Attempt(models.Model):
    """One try at a quiz. `paper` freezes what the student was shown, in order,
    and after grading what was right, so later edits never move history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    paper = models.JSONField(default=dict, help_text="Questions and choices in the order shown.")

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="attempt_unique_number_per_user_quiz"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(submitted_at__isnull=True),
                name="attempt_one_open_per_user_quiz",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "submitted_at"], name="attempt_quiz_submitted")]

    def __str__(self):
        return f"{self.user} - {self.quiz} #{self.number}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def timed_out(self):
        """Graded at its deadline: what was saved in time counted, nothing later."""
        return (
            self.deadline is not None and self.is_submitted and self.submitted_at >= self.deadline
        )

    def get_absolute_url(self):
        if self.is_submitted:
            return reverse("quizzes:result", args=[self.pk])
        return reverse("quizzes:attempt", args=[self.pk])


class Response(models.Model):
    """A student's answer to one question of one attempt, saved as they go."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    selected = models.JSONField(default=list, help_text="Ids of the chosen choices.")
    is_correct = models.BooleanField(null=True, blank=True)
    # Set by grading with the server's time taken after the attempt's lock.
    saved_at = models.DateTimeField(default=timezone.now)
    client_page = models.CharField(
        max_length=40, blank=True, help_text="The page (browser tab) that saved this answer."
    )
    client_seq = models.PositiveBigIntegerField(
        default=0,
        help_text="That page's save counter: an older save from the same page is ignored.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="response_unique_question_per_attempt"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} - Q{self.question_id}"


class ReportReason(models.TextChoices):
    WRONG_KEY = "wrong_key", "The answer marked correct is wrong"
    UNCLEAR = "unclear", "The question or its choices are unclear"
    TYPO = "typo", "A typo or a mistake in the wording"
    OTHER = "other", "Something else"


class QuestionReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class QuestionReport(models.Model):
    """A learner's report of a faulty question, from the result page, for editors."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_reports"
    )
    attempt = models.ForeignKey(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(
        blank=True, max_length=2000, help_text="What was done about it, for the record."
    )

    objects = QuestionReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=models.Q(resolved_at__isnull=True),
                name="report_one_open_per_user_question",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.question}"

    @property
    def is_open(self):
        return self.resolved_at is None


class AttemptAllowance(models.Model):
    """Attempts a teacher granted one student beyond the quiz's limit."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="allowances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempt_allowances"
    )
    extra_attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user"], name="allowance_unique_per_student"),
        ]

    def __str__(self):
        return f"{self.user}: {self.extra_attempts} extra on {self.quiz}"

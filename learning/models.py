from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse

from .rendering import MAX_BODY_CHARS, lesson_html, validate_glossary, validate_lesson_body


class CourseQuerySet(models.QuerySet):
    def published(self):
        """Listed to students: published, with at least one published lesson."""
        lessons = Lesson.objects.filter(course=models.OuterRef("pk"), published=True)
        return self.filter(published=True).filter(models.Exists(lessons))


class CourseManager(models.Manager.from_queryset(CourseQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Course(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in the course's address.")
    summary = models.TextField(blank=True, help_text="One or two sentences shown on the home page.")
    source_text = models.TextField(
        blank=True, help_text="The explainer this course was made from, verbatim."
    )
    published = models.BooleanField(
        default=False, help_text="Only published courses are listed for students."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseManager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("learning:course", args=[self.slug])


class LessonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True, course__published=True)

    def visible_to(self, user):
        """Staff preview drafts; everyone else sees published lessons only."""
        return self if user.is_staff else self.published()


class LessonManager(models.Manager.from_queryset(LessonQuerySet)):
    def get_by_natural_key(self, course_slug, slug):
        return self.get(course__slug=course_slug, slug=slug)


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveIntegerField(help_text="Order of the lesson in its course, from 1.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    summary = models.CharField(max_length=400, blank=True, help_text="One sentence.")
    body = models.TextField(
        validators=[validate_lesson_body],
        help_text=(
            f"Markdown (CommonMark, with tables), at most {MAX_BODY_CHARS:,} characters. "
            "Raw HTML is removed."
        ),
    )
    body_html = models.TextField(
        editable=False, blank=True, help_text="The body as sanitised HTML, made on every save."
    )
    key_points = models.TextField(blank=True, help_text="One key point per line.")
    glossary = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_glossary],
        help_text='Terms the section defines: a list of {"term": ..., "meaning": ...}. '
        "Each term is emphasised where it first appears in the body.",
    )
    source_text = models.TextField(
        blank=True, help_text="The section of the explainer this lesson comes from, verbatim."
    )
    published = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonManager()

    class Meta:
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "position"], name="lesson_unique_position_per_course"
            ),
            models.UniqueConstraint(
                fields=["course", "slug"], name="lesson_unique_slug_per_course"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="lesson_position_gte_1"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def natural_key(self):
        return (*self.course.natural_key(), self.slug)

    natural_key.dependencies = ["learning.course"]

    def get_absolute_url(self):
        return reverse("learning:lesson", args=[self.course.slug, self.slug])

    @property
    def key_point_list(self):
        return [line.strip() for line in self.key_points.splitlines() if line.strip()]

    @property
    def glossary_terms(self):
        entries = self.glossary if isinstance(self.glossary, list) else []
        return [
            e["term"] for e in entries if isinstance(e, dict) and isinstance(e.get("term"), str)
        ]

    @property
    def shows_source(self):
        """The verbatim section is worth a second look only when the body rewrote it."""
        return bool(self.source_text) and self.source_text.split() != self.body.split()

    @property
    def reading_minutes(self):
        return max(1, round(len(self.body.split()) / 200))


@receiver(pre_save, sender=Lesson)
def store_body_html(sender, instance, update_fields=None, **kwargs):
    """Render the body when it is saved, so no page ever runs the parser.

    A receiver rather than save(): loaddata saves fixtures raw, past save(), but
    still sends pre_save. bulk_create and bulk_update send nothing, so the
    importer renders with lesson_html itself; a save(update_fields=...) that names
    body must name body_html too."""
    if update_fields is None or "body" in update_fields:
        instance.body_html = lesson_html(instance.body, terms=instance.glossary_terms)


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    READ = "read", "Read"
    ATTEMPTED = "attempted", "Not passed yet"
    PASSED = "passed", "Passed"


class LessonProgress(models.Model):
    """What one learner has done with one lesson; kept up to date by grading."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    first_viewed_at = models.DateTimeField(null=True, blank=True)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    attempts_submitted = models.PositiveIntegerField(default=0)
    best_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True, db_index=True)
    out_of_attempts = models.BooleanField(
        default=False, help_text="Not passed, and no attempts are left to pass with."
    )

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="progress_unique_user_lesson"),
        ]

    def __str__(self):
        return f"{self.user} - {self.lesson}"

    @property
    def status(self):
        if self.passed_at:
            return Status.PASSED
        if self.attempts_submitted:
            return Status.ATTEMPTED
        if self.first_viewed_at:
            return Status.READ
        return Status.NOT_STARTED

"""Classes a teacher teaches, and the students enrolled in them."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from learning.models import Course, Lesson
from quizzes.models import Quiz


def new_join_code():
    # No 0/O or 1/I/L: codes are read aloud and copied from a board.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Classroom(models.Model):
    name = models.CharField(max_length=120)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classes_taught")
    courses = models.ManyToManyField(Course, related_name="classrooms", blank=True)
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Enrollment", related_name="classes_joined", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # An archived class is hidden from its teachers' lists; nothing in it is deleted.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "learning_classroom"  # made by the learning app, where classes began
        ordering = ["name"]
        verbose_name = "class"
        verbose_name_plural = "classes"
        permissions = [("teach_class", "Can teach classes and see their students' progress")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("teaching:class_grid", args=[self.pk])


class Enrollment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "learning_enrollment"
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="enrollment_unique_student_per_class"
            ),
        ]

    def __str__(self):
        return f"{self.student} in {self.classroom}"


class LessonDueDate(models.Model):
    """When a class should have finished a lesson; shown to its students."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="due_dates")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="due_dates")
    due_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "lesson"], name="due_date_unique_lesson_per_class"
            ),
        ]

    def __str__(self):
        return f"{self.lesson} due {self.due_at:%Y-%m-%d} for {self.classroom}"


class ActionKind(models.TextChoices):
    EXTRA_ATTEMPTS = "extra_attempts", "granted extra attempts"
    CLOSE_ATTEMPT = "close_attempt", "closed an open attempt"
    NEW_ATTEMPT = "new_attempt", "gave a new attempt"
    ADD_STUDENT = "add_student", "made the account"
    RESET_PASSWORD = "reset_password", "reset the password"
    REMOVE_STUDENT = "remove_student", "removed from the class"


class TeacherAction(models.Model):
    """Who did what to a student's work or account, and when: the student record's
    history. Kept when the teacher's account goes."""

    classroom = models.ForeignKey(
        Classroom, on_delete=models.SET_NULL, null=True, related_name="actions"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_actions"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["student", "-created_at"], name="action_student_recent")]

    def __str__(self):
        return f"{self.teacher} {self.get_kind_display()} for {self.student}"

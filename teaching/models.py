"""Classes a teacher teaches, and the students enrolled in them."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from learning.models import Course


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

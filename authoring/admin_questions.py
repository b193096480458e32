"""Question files in the course admin: import GIFT, Aiken, Moodle XML or CSV into a
lesson's quiz (preview first, then one transaction), and export courses or lessons
as any of the four. Editors may do both; the admin itself keeps out everyone else."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import slugify

from learning.models import Course, Lesson

from . import question_export, question_import
from .forms import FORMAT_CHOICES, QuestionImportForm

CONTENT_TYPES = {
    "gift": "text/plain",
    "aiken": "text/plain",
    "moodle-xml": "application/xml",
    "csv": "text/csv",
}
FORMAT_NAMES = dict(FORMAT_CHOICES[1:])


def _ids(value):
    return [int(part) for part in value.split(",") if part.isdigit()]


def export_scope(request):
    """The courses and lessons an export page was opened for, from its query string."""
    courses = list(Course.objects.filter(pk__in=_ids(request.GET.get("courses", ""))))
    lessons = list(
        Lesson.objects.filter(pk__in=_ids(request.GET.get("lessons", ""))).select_related("course")
    )
    return courses, lessons


class QuestionFilesMixin:
    """For the course admin: the import page per course, the export page, and the
    action that opens it for the selected courses."""

    def question_file_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/import-questions/",
                wrap(self.import_questions_view),
                name="learning_course_import_questions",
            ),
            path(
                "export-questions/",
                wrap(self.export_questions_view),
                name="learning_course_export_questions",
            ),
        ]

    @admin.action(description="Export questions (GIFT, Aiken, Moodle XML, CSV)…")
    def export_questions(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:learning_course_export_questions')}?courses={ids}")

    def import_questions_view(self, request, pk):
        if not request.user.has_perm("quizzes.add_question"):
            raise PermissionDenied
        course = get_object_or_404(Course, pk=pk)
        form = QuestionImportForm(request.POST or None, request.FILES or None, course=course)
        plan = None
        if request.method == "POST" and form.is_valid():
            lesson = form.cleaned_data["lesson"]
            try:
                plan = question_import.plan(
                    form.cleaned_data["format"], form.cleaned_data["parsed"], lesson
                )
            except question_import.QuestionFileError as exc:
                form.add_error(None, str(exc))
            if plan is not None and "confirm" in request.POST and not plan.malformed:
                made = question_import.write(plan, lesson, approve=form.cleaned_data["approve"])
                self.message_user(request, _imported(made, lesson, plan), messages.SUCCESS)
                return redirect(_after_import(course, lesson, made))
            if plan is not None:
                # Carry the decoded text to the confirm step, so the file need not be
                # sent again; the format found is kept too.
                form = QuestionImportForm(
                    initial={
                        **form.cleaned_data,
                        "file": None,
                        "text": form.cleaned_data["text"],
                    },
                    course=course,
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Import questions into {course}",
            "course": course,
            "form": form,
            "plan": plan,
            "format_name": FORMAT_NAMES.get(plan.format, "") if plan else "",
        }
        return render(request, "admin/authoring/import_questions.html", context)

    def export_questions_view(self, request):
        if not request.user.has_perm("quizzes.view_question"):
            raise PermissionDenied
        courses, lessons = export_scope(request)
        if not courses and not lessons:
            self.message_user(request, "Choose the courses or lessons to export.", messages.ERROR)
            return redirect("admin:learning_course_changelist")
        format_name = request.GET.get("format", "")
        questions = list(question_export.in_use(courses=courses, lessons=lessons))
        if format_name in question_export.WRITERS:
            text, _ = question_export.write(questions, format_name)
            return _download(text, format_name, courses, lessons)
        _, skipped = question_export.write(questions, "aiken")
        # The writer numbers what it skips by position in the list it was given.
        skipped_by_aiken = [(questions[entry.line - 1], entry) for entry in skipped]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Export questions",
            "courses": courses,
            "lessons": lessons,
            "questions": len(questions),
            "formats": FORMAT_NAMES.items(),
            "skipped_by_aiken": skipped_by_aiken,
            "query": request.GET.urlencode(),
        }
        return render(request, "admin/authoring/export_questions.html", context)


def _imported(made, lesson, plan):
    approved = sum(1 for question in made if question.status == "approved")
    state = (
        f"{approved} approved, {len(made) - approved} as drafts to review"
        if approved
        else "as drafts to review"
    )
    skipped = f"; {len(plan.skipped)} could not be imported" if plan.skipped else ""
    return (
        f"Imported {len(made)} question{'s' if len(made) != 1 else ''} into lesson "
        f"{lesson.position}, {lesson.title} ({state}){skipped}."
    )


def _after_import(course, lesson, made):
    """Drafts go to the lesson's review queue; approved questions to the course's."""
    if any(question.status == "draft" for question in made):
        return reverse("admin:learning_course_review_lesson", args=[course.pk, lesson.position])
    return reverse("admin:learning_course_review", args=[course.pk])


def _download(text, format_name, courses, lessons):
    names = [course.slug for course in courses] + [
        f"{lesson.course.slug}-{lesson.position}" for lesson in lessons
    ]
    stem = slugify("-".join(names))[:80] or "questions"
    extension = question_export.EXTENSIONS[format_name]
    response = HttpResponse(text, content_type=f"{CONTENT_TYPES[format_name]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response

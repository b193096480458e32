"""The editor's side of the course admin: import an explainer, review its drafted
questions lesson by lesson, publish the course once every quiz can be offered."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from learning.admin import CourseAdmin, LessonAdmin
from learning.models import Course, Lesson
from quizzes.models import Question, QuestionStatus

from . import review
from .admin_questions import QuestionFilesMixin
from .drafts import redraft
from .forms import ExplainerImportForm
from .importing import import_explainer, plan_import
from .publishing import publish, shortfalls

admin.site.unregister(Course)
admin.site.unregister(Lesson)


class CourseForm(forms.ModelForm):
    def clean_published(self):
        published = self.cleaned_data["published"]
        if published and self.instance.pk and not self.instance.published:
            missing = shortfalls(self.instance)
            if missing:
                raise forms.ValidationError(
                    ["Not every lesson can offer its quiz yet:", *(str(m) for m in missing)]
                )
        return published


@admin.register(Course)
class AuthoringCourseAdmin(QuestionFilesMixin, CourseAdmin):
    form = CourseForm
    change_list_template = "admin/authoring/course_change_list.html"
    change_form_template = "admin/authoring/course_change_form.html"
    list_display = ["title", "slug", "lesson_count", "drafts_to_review", "published", "updated_at"]
    actions = ["publish_courses", "unpublish_courses", "redraft_questions", "export_questions"]

    def get_queryset(self, request):
        drafts = (
            Question.objects.filter(
                quiz__lesson__course=OuterRef("pk"), status=QuestionStatus.DRAFT
            )
            .order_by()
            .values("quiz__lesson__course")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(drafts_left=Coalesce(Subquery(drafts), 0))

    @admin.display(ordering="drafts_left", description="Drafts to review")
    def drafts_to_review(self, course):
        url = reverse("admin:learning_course_review", args=[course.pk])
        return format_html('<a href="{}">{} to review</a>', url, course.drafts_left)

    # Publishing a course publishes its lessons, once each can offer its quiz.
    def save_model(self, request, obj, form, change):
        newly = "published" in form.changed_data and obj.published
        super().save_model(request, obj, form, change)
        if newly:
            obj.lessons.update(published=True)
            self.message_user(request, "The course and all its lessons are published.")

    @admin.action(description="Publish selected courses and their lessons")
    def publish_courses(self, request, queryset):
        for course in queryset:
            missing = publish(course)
            if missing:
                self.message_user(
                    request,
                    f"'{course}' is not published: " + " ".join(str(m) for m in missing),
                    messages.WARNING,
                )
            else:
                self.message_user(request, f"Published '{course}' and its lessons.")

    @admin.action(description="Unpublish selected courses")
    def unpublish_courses(self, request, queryset):
        count = queryset.update(published=False)
        self.message_user(
            request, f"Unpublished {count} course(s); their lessons keep their state."
        )

    @admin.action(description="Draft questions again (never changes reviewed or edited ones)")
    def redraft_questions(self, request, queryset):
        for course in queryset:
            results = redraft(course)
            created = sum(r.created for r in results)
            stale = sum(r.stale for r in results)
            protected = sum(r.protected for r in results)
            self.message_user(
                request,
                f"'{course}': {created} new drafts, {stale} marked stale, "
                f"{protected} reviewed or edited questions left as they are.",
            )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_explainer_view), name="learning_course_import"),
            path("<int:pk>/review/", wrap(self.review_course_view), name="learning_course_review"),
            path(
                "<int:pk>/review/<int:position>/",
                wrap(self.review_lesson_view),
                name="learning_course_review_lesson",
            ),
            *self.question_file_urls(),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def import_explainer_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ExplainerImportForm(request.POST or None, request.FILES or None)
        plan = None
        if request.method == "POST" and form.is_valid():
            options = {
                "parsed": form.cleaned_data["parsed"],
                "title": form.cleaned_data["title"] or None,
                "slug": form.cleaned_data["slug"] or None,
            }
            if "confirm" in request.POST:
                result = import_explainer(**options, publish=form.cleaned_data["publish"])
                self.message_user(request, result.message(), messages.SUCCESS)
                for reason in result.not_published:
                    self.message_user(request, f"Not published yet: {reason}", messages.WARNING)
                return redirect(reverse("admin:learning_course_review", args=[result.course.pk]))
            # The preview only reads: it takes no write lock, however long the explainer.
            plan = plan_import(**options)
            # Carry the decoded text to the confirm step so the file need not be sent
            # again, and offer the title the course will get, for the editor to change.
            form = ExplainerImportForm(
                initial={
                    **form.cleaned_data,
                    "text": form.cleaned_data["text"],
                    "file": None,
                    "title": plan.title,
                }
            )
        context = self._context(request, "Import explainer", form=form, plan=plan)
        return render(request, "admin/authoring/import.html", context)

    def _reviewable(self, request, pk):
        if not request.user.has_perm("quizzes.change_question"):
            raise Http404  # the admin's own answer to a page one may not see
        return get_object_or_404(Course, pk=pk)

    def review_course_view(self, request, pk):
        course = self._reviewable(request, pk)
        if request.method == "POST" and "publish" in request.POST:
            if not self.has_change_permission(request, course):
                raise Http404
            missing = publish(course)
            if missing:
                self.message_user(request, "Not published yet.", messages.WARNING)
            else:
                self.message_user(request, f"Published '{course}' and its lessons.")
            return redirect(request.path)
        counts = review.course_counts(course)
        context = self._context(
            request,
            f"Review drafted questions: {course}",
            course=course,
            counts=counts,
            drafts_left=sum(c.drafts for c in counts),
            short=[c.short for c in counts if c.short],
            can_publish=self.has_change_permission(request, course),
        )
        return render(request, "admin/authoring/review_course.html", context)

    def review_lesson_view(self, request, pk, position):
        course = self._reviewable(request, pk)
        lesson = get_object_or_404(Lesson, course=course, position=position)
        drafts = review.queue(lesson)
        if request.method == "POST":
            if "approve_clean" in request.POST:
                decisions = {q.pk: review.APPROVE for q in review.clean_drafts(drafts)}
            else:
                decisions = {}
                for question in drafts:
                    choice = request.POST.get(f"decision-{question.pk}", review.LEAVE)
                    if choice in (review.APPROVE, review.REJECT):
                        decisions[question.pk] = choice
            outcome = review.decide(lesson, decisions)
            self.message_user(
                request, str(outcome), messages.WARNING if outcome.refused else messages.SUCCESS
            )
            left = Question.objects.filter(quiz__lesson=lesson, status=QuestionStatus.DRAFT)
            if left.exists():
                return redirect(request.path)
            following = (
                Lesson.objects.filter(
                    course=course,
                    position__gt=position,
                    quiz__questions__status=QuestionStatus.DRAFT,
                )
                .order_by("position")
                .first()
            )
            if following:
                return redirect(
                    reverse("admin:learning_course_review_lesson", args=[pk, following.position])
                )
            return redirect(reverse("admin:learning_course_review", args=[pk]))
        counts = {c.lesson.pk: c for c in review.course_counts(course)}
        context = self._context(
            request,
            f"Review lesson {lesson.position}: {lesson.title}",
            course=course,
            lesson=lesson,
            drafts=drafts,
            counts=counts[lesson.pk],
            course_left=sum(c.drafts for c in counts.values()),
            clean=len(review.clean_drafts(drafts)),
            back=request.path,
        )
        return render(request, "admin/authoring/review_lesson.html", context)


@admin.register(Lesson)
class AuthoringLessonAdmin(LessonAdmin):
    actions = [*LessonAdmin.actions, "redraft_questions", "export_questions"]

    @admin.action(description="Export questions (GIFT, Aiken, Moodle XML, CSV)…")
    def export_questions(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:learning_course_export_questions')}?lessons={ids}")

    @admin.action(description="Draft questions again (never changes reviewed or edited ones)")
    def redraft_questions(self, request, queryset):
        by_course = {}
        for lesson in queryset.select_related("course"):
            by_course.setdefault(lesson.course, set()).add(lesson.position)
        for course, positions in by_course.items():
            for result in redraft(course, positions=positions):
                self.message_user(
                    request,
                    f"{result.lesson}: {result.created} new drafts, {result.stale} marked stale, "
                    f"{result.protected} reviewed or edited questions left as they are.",
                )

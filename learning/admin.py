from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse

from .forms import ExplainerImportForm
from .importer import import_explainer, plan_import
from .models import Course, Lesson, LessonProgress


@admin.action(description="Publish selected")
def publish(modeladmin, request, queryset):
    queryset.update(published=True)


@admin.action(description="Unpublish selected")
def unpublish(modeladmin, request, queryset):
    queryset.update(published=False)


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["position", "title", "slug", "published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "lesson_count", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LessonInline]
    actions = [publish, unpublish]
    change_list_template = "admin/learning/course/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lesson_count=Count("lessons"))

    @admin.display(ordering="lesson_count", description="Lessons")
    def lesson_count(self, course):
        return course.lesson_count

    # The import page is a form of its own, not a model change page.
    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_explainer_view)
        return [path("import/", import_view, name="learning_course_import"), *super().get_urls()]

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
                self.message_user(
                    request,
                    f"Imported '{result.course.title}': {len(result.created)} lessons created, "
                    f"{len(result.updated)} updated.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:learning_course_change", args=[result.course.pk]))
            # The preview only reads: it takes no write lock, however long the explainer.
            plan = plan_import(**options)
            # Carry the decoded text to the confirm step so the file need not be sent again.
            form = ExplainerImportForm(
                initial={**form.cleaned_data, "text": form.cleaned_data["text"], "file": None}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import explainer",
            "form": form,
            "plan": plan,
        }
        return render(request, "admin/learning/course/import.html", context)


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position", "published", "updated_at"]
    list_filter = ["published", "course"]
    list_select_related = ["course"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    actions = [publish, unpublish]
    fieldsets = [
        (None, {"fields": ["course", "position", "title", "slug", "published"]}),
        ("Lesson", {"fields": ["summary", "body", "key_points"]}),
        ("Source", {"fields": ["source_text"], "classes": ["collapse"]}),
    ]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "best_score", "passed_at", "last_activity_at"]
    list_filter = ["lesson__course"]
    list_select_related = ["user", "lesson"]
    search_fields = ["user__username", "lesson__title"]
    raw_id_fields = ["user", "lesson"]

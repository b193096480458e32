from django.contrib import admin
from django.db.models import Count

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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lesson_count=Count("lessons"))

    @admin.display(ordering="lesson_count", description="Lessons")
    def lesson_count(self, course):
        return course.lesson_count


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
        ("Lesson", {"fields": ["summary", "body", "key_points", "glossary"]}),
        ("Source", {"fields": ["source_text"], "classes": ["collapse"]}),
    ]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "best_score", "passed_at", "last_activity_at"]
    list_filter = ["lesson__course"]
    list_select_related = ["user", "lesson"]
    search_fields = ["user__username", "lesson__title"]
    raw_id_fields = ["user", "lesson"]

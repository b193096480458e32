from django.contrib import admin
from django.db.models import Count

from .models import Classroom, Enrollment


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    raw_id_fields = ["student"]
    extra = 0


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "join_code", "student_count", "created_at"]
    search_fields = ["name", "join_code", "teachers__username"]
    filter_horizontal = ["teachers", "courses"]
    inlines = [EnrollmentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(student_count=Count("enrollments", distinct=True))
        )

    @admin.display(ordering="student_count", description="Students")
    def student_count(self, classroom):
        return classroom.student_count

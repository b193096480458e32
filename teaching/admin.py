from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import User
from django.db.models import Count

from .models import Classroom, Enrollment
from .roles import EDITORS_GROUP, TEACHERS_GROUP, set_roles, teachers_group


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


class RolesUserChangeForm(UserChangeForm):
    """The user form with the two roles a school hands out, as two ticks."""

    teacher = forms.BooleanField(
        required=False, help_text="Teaches classes: sees and acts on their students' progress."
    )
    editor = forms.BooleanField(
        required=False,
        help_text="Edits content in the admin (courses, lessons, quizzes, questions, imports "
        "and review queues), never users. Gives staff status.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            names = {group.name for group in self.instance.groups.all()}
            self.fields["teacher"].initial = TEACHERS_GROUP in names
            self.fields["editor"].initial = EDITORS_GROUP in names


admin.site.unregister(User)


@admin.register(User)
class RolesUserAdmin(UserAdmin):
    form = RolesUserChangeForm
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Roles", {"fields": ["teacher", "editor"]}),
        *UserAdmin.fieldsets[1:],
    ]
    list_display = ["username", "email", "first_name", "last_name", "roles", "is_staff"]
    list_filter = ["groups", "is_staff", "is_superuser", "is_active"]
    actions = ["make_teachers", "make_editors"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, user):
        return ", ".join(sorted(group.name for group in user.groups.all())) or "–"

    def save_related(self, request, form, formsets, change):
        # After the groups field is saved, so the role ticks have the last word.
        super().save_related(request, form, formsets, change)
        if {"teacher", "editor"} & set(form.changed_data):
            set_roles(
                form.instance,
                teacher=form.cleaned_data["teacher"],
                editor=form.cleaned_data["editor"],
            )

    @admin.action(description="Make the selected users teachers")
    def make_teachers(self, request, queryset):
        group = teachers_group()
        for user in queryset:
            user.groups.add(group)
        self.message_user(request, f"{queryset.count()} user(s) can now teach classes.")

    @admin.action(description="Make the selected users editors (gives staff status)")
    def make_editors(self, request, queryset):
        for user in queryset.prefetch_related("groups"):
            names = {group.name for group in user.groups.all()}
            set_roles(user, teacher=TEACHERS_GROUP in names, editor=True)
        self.message_user(request, f"{queryset.count()} user(s) can now edit content.")

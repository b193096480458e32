"""The review queue of learners' question reports, and how item-check findings read
in the admin (the question page uses them too)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .models import Attempt, QuestionReport
from .quiz_checks import findings_by_question
from .stats import statistics_for


def findings_html(findings):
    if not findings:
        return "No findings."
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li><strong>{}</strong> {}</li>",
            ((("Error: " if f.hard else "") + f"rule {f.rule}", f.message) for f in findings),
        ),
    )


class OpenReports(admin.SimpleListFilter):
    title = "state"
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", "Open"), ("no", "Resolved")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class ReportForm(forms.ModelForm):
    resolve = forms.BooleanField(
        required=False, help_text="Mark resolved, with the note above saying what was done."
    )

    class Meta:
        model = QuestionReport
        fields = ["resolution"]


@admin.register(QuestionReport)
class QuestionReportAdmin(admin.ModelAdmin):
    """The review queue of learners' reports, beside the question's checks and figures."""

    form = ReportForm
    list_display = ["question", "reason", "user", "created_at", "is_open"]
    list_filter = [OpenReports, "reason", "question__quiz__lesson__course"]
    list_select_related = ["question", "user"]
    search_fields = ["comment", "question__prompt", "user__username"]
    date_hierarchy = "created_at"
    actions = ["mark_resolved"]
    readonly_fields = [
        "question_link",
        "user",
        "attempt",
        "reason",
        "comment",
        "created_at",
        "resolved_at",
        "resolved_by",
        "question_checks",
        "question_figures",
    ]
    fieldsets = [
        (None, {"fields": ["question_link", "user", "attempt", "reason", "comment", "created_at"]}),
        ("The question", {"fields": ["question_checks", "question_figures"]}),
        ("Resolution", {"fields": ["resolution", "resolve", "resolved_at", "resolved_by"]}),
    ]

    def has_add_permission(self, request):
        return False  # reports come from learners' result pages

    @admin.display(boolean=True, description="Open")
    def is_open(self, report):
        return report.is_open

    @admin.display(description="Question")
    def question_link(self, report):
        url = reverse("admin:quizzes_question_change", args=[report.question_id])
        return format_html('<a href="{}">{}</a>', url, report.question)

    @admin.display(description="Item checks")
    def question_checks(self, report):
        findings = findings_by_question({report.question.quiz_id})
        return findings_html(findings.get(report.question_id, []))

    @admin.display(description="Statistics (all submitted attempts)")
    def question_figures(self, report):
        quiz = report.question.quiz
        stats = statistics_for(quiz, Attempt.objects.submitted().filter(quiz=quiz))
        stat = next((q for q in stats.questions if q.id == report.question_id), None)
        if stat is None or not stat.attempts:
            return "Not answered yet."
        facility = f"{stat.facility:.0%}"
        discrimination = "–" if stat.discrimination is None else f"{stat.discrimination:.2f}"
        return f"{stat.attempts} answers · facility {facility} · discrimination {discrimination}"

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("resolve") and obj.is_open:
            obj.resolved_at = timezone.now()
            obj.resolved_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark resolved")
    def mark_resolved(self, request, queryset):
        count = queryset.filter(resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=request.user
        )
        self.message_user(request, f"Resolved {count} report(s).")

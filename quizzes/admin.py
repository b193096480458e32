from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from .checks import hard_errors
from .models import (
    Attempt,
    Choice,
    Question,
    QuestionStatus,
    Quiz,
    validate_choices,
)
from .quiz_checks import findings_by_question, questions_needing_checks
from .report_admin import findings_html


class ChoiceFormSet(BaseInlineFormSet):
    """The choice rules span several rows, so they are checked on the whole formset."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            (form.cleaned_data.get("text"), form.cleaned_data.get("is_correct", False))
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("text")
        ]
        validate_choices(self.instance.kind, kept)
        texts = [
            form.cleaned_data.get("text", "")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if errors := hard_errors(texts):
            raise ValidationError(errors)


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "text", "is_correct", "feedback"]
    min_num = 2

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 0  # a new question starts with four rows


class NeedsChecking(admin.SimpleListFilter):
    title = "item checks"
    parameter_name = "checks"

    def lookups(self, request, model_admin):
        return [("needed", "Needs checking"), ("clean", "No findings")]

    def queryset(self, request, queryset):
        if self.value() not in {"needed", "clean"}:
            return queryset
        quizzes = Quiz.objects.filter(pk__in=queryset.values("quiz_id"))
        flagged = questions_needing_checks(quizzes)
        if self.value() == "needed":
            return queryset.filter(pk__in=flagged)
        return queryset.exclude(pk__in=flagged)


class QuestionChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # One pass of the checks over the page's quizzes, not one per row.
        findings = findings_by_question({q.quiz_id for q in self.result_list})
        for question in self.result_list:
            question.findings = findings.get(question.pk, [])


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quiz", "position", "kind", "status", "choice_count", "checks"]
    list_filter = ["status", "origin", NeedsChecking, "kind", "quiz__lesson__course"]
    list_select_related = ["quiz__lesson__course"]
    search_fields = ["prompt", "explanation", "choices__text"]
    inlines = [ChoiceInline]
    actions = ["approve", "reject", "retire", "return_to_draft"]
    change_form_template = "admin/quizzes/question/change_form.html"
    readonly_fields = ["item_checks", "open_reports"]
    fieldsets = [
        (None, {"fields": ["quiz", "position", "kind", "prompt", "status"]}),
        ("After submission", {"fields": ["explanation", "source_passage"]}),
        ("Review", {"fields": ["item_checks", "open_reports"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                choice_count=Count("choices", distinct=True),
                open_report_count=Count(
                    "reports", filter=Q(reports__resolved_at__isnull=True), distinct=True
                ),
            )
        )

    def get_changelist(self, request, **kwargs):
        return QuestionChangeList

    # The quiz list names each quiz's course: two courses may share lesson titles.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "quiz":
            field.queryset = field.queryset.select_related("lesson__course")
            field.label_from_instance = lambda quiz: f"{quiz.lesson.course} · {quiz.lesson}"
        return field

    @admin.display(ordering="choice_count", description="Choices")
    def choice_count(self, question):
        return question.choice_count

    @admin.display(description="Checks")
    def checks(self, question):
        findings = getattr(question, "findings", [])
        if not findings:
            return "✓"
        hard = sum(f.hard for f in findings)
        label = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
        return f"{label} ({hard} error{'s' if hard != 1 else ''})" if hard else label

    @admin.display(description="Item checks")
    def item_checks(self, question):
        if question.pk is None:
            return "Shown once the question is saved."
        return findings_html(findings_by_question({question.quiz_id}).get(question.pk, []))

    @admin.display(description="Open reports from learners")
    def open_reports(self, question):
        count = getattr(question, "open_report_count", 0)
        if not count:
            return "None."
        url = reverse("admin:quizzes_questionreport_changelist")
        return format_html(
            '<a href="{}?question__id__exact={}&amp;open=yes">{} open report{}</a>',
            url,
            question.pk,
            count,
            "s" if count != 1 else "",
        )

    @admin.action(description="Approve: show to students")
    def approve(self, request, queryset):
        approved, refused = [], []
        for question in queryset.prefetch_related("choices"):
            choices = list(question.choices.all())
            try:
                validate_choices(question.kind, [(c.text, c.is_correct) for c in choices])
                if errors := hard_errors([c.text for c in choices]):
                    raise ValidationError(errors)
            except ValidationError as exc:
                refused.append(f"{question}: {' '.join(exc.messages)}")
                continue
            approved.append(question.pk)
        Question.objects.filter(pk__in=approved).update(status=QuestionStatus.APPROVED)
        if approved:
            self.message_user(request, f"Approved {len(approved)} question(s).")
        for reason in refused:
            self.message_user(request, f"Not approved: {reason}", messages.ERROR)

    @admin.action(description="Reject: a draft not worth keeping")
    def reject(self, request, queryset):
        count = queryset.filter(status=QuestionStatus.DRAFT).update(status=QuestionStatus.REJECTED)
        self.message_user(request, f"Rejected {count} draft(s).")

    # "Save and approve": the edited question is saved and validated by the form as
    # usual, then approved, and the editor returns to the review page they came from.
    def response_change(self, request, obj):
        if "_approve" in request.POST:
            obj.status = QuestionStatus.APPROVED
            obj.save(update_fields=["status"])
            self.message_user(request, f"Saved and approved: {obj}.", messages.SUCCESS)
            back = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return redirect(back)
            return redirect(reverse("admin:quizzes_question_changelist"))
        return super().response_change(request, obj)

    @admin.action(description="Retire: no longer shown (past attempts keep it)")
    def retire(self, request, queryset):
        count = queryset.update(status=QuestionStatus.RETIRED)
        self.message_user(request, f"Retired {count} question(s).")

    @admin.action(description="Return to draft")
    def return_to_draft(self, request, queryset):
        count = queryset.update(status=QuestionStatus.DRAFT)
        self.message_user(request, f"Returned {count} question(s) to draft.")

    def view_on_site(self, question):
        return question.quiz.lesson.get_absolute_url()

    # Attempts hold a question without an answer row until it is answered, so
    # the PROTECT on answers alone would not stop this delete.
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        in_use = Attempt.objects.filter(quiz__questions__in=objs).distinct()
        protected = [*protected, *(f"Attempt: {attempt}" for attempt in in_use[:20])]
        return deleted, counts, perms_needed, protected


class QuestionInlineFormSet(BaseInlineFormSet):
    """Changing a question's kind here must still respect its saved choices."""

    def clean(self):
        super().clean()
        for form in self.forms:
            question = form.instance
            if not form.has_changed() or "kind" not in form.changed_data or not question.pk:
                continue
            choices = [(c.text, c.is_correct) for c in question.choices.all()]
            try:
                validate_choices(form.cleaned_data["kind"], choices)
            except ValidationError as exc:
                form.add_error("kind", exc)


class QuestionInline(admin.TabularInline):
    """Questions added here start as drafts: their choices are written on their own
    page (the change link), and approving checks them."""

    model = Question
    formset = QuestionInlineFormSet
    fields = ["position", "prompt", "kind", "status"]
    readonly_fields = ["status"]
    show_change_link = True
    extra = 1

    # A question students have been shown is part of their history: unpublish instead.
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.attempts.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = [
        "lesson",
        "course",
        "question_count",
        "approved_count",
        "questions_per_attempt",
        "pass_mark",
        "max_attempts",
    ]
    list_filter = ["lesson__course", "reveal_answers"]
    list_select_related = ["lesson__course"]
    search_fields = ["lesson__title"]
    inlines = [QuestionInline]

    # The lesson list names each lesson's course: two courses may share lesson titles.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "lesson":
            field.queryset = field.queryset.select_related("course")
            field.label_from_instance = lambda lesson: f"{lesson.course} · {lesson}"
        return field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                question_count=Count("questions"),
                approved_count=Count(
                    "questions", filter=Q(questions__status=QuestionStatus.APPROVED)
                ),
            )
        )

    @admin.display(ordering="question_count", description="Questions")
    def question_count(self, quiz):
        return quiz.question_count

    @admin.display(ordering="approved_count", description="Approved")
    def approved_count(self, quiz):
        return quiz.approved_count

    @admin.display(ordering="lesson__course", description="Course")
    def course(self, quiz):
        return quiz.lesson.course


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "quiz", "number", "started_at", "submitted_at", "score", "passed"]
    list_filter = ["passed", "quiz__lesson__course"]
    list_select_related = ["user", "quiz__lesson"]
    search_fields = ["user__username"]
    date_hierarchy = "started_at"
    # Attempts are records of what a student did: read them, never rewrite them.
    readonly_fields = [f.name for f in Attempt._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

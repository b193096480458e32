from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet

from .models import Attempt, Choice, Question, Quiz, validate_choices


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


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "text", "is_correct", "feedback"]
    extra = 0
    min_num = 2


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quiz", "position", "kind", "choice_count"]
    list_filter = ["kind", "quiz__lesson__course"]
    list_select_related = ["quiz__lesson"]
    search_fields = ["prompt", "explanation", "choices__text"]
    inlines = [ChoiceInline]
    fieldsets = [
        (None, {"fields": ["quiz", "position", "kind", "prompt"]}),
        ("After submission", {"fields": ["explanation", "source_passage"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(choice_count=Count("choices"))

    @admin.display(ordering="choice_count", description="Choices")
    def choice_count(self, question):
        return question.choice_count

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
    model = Question
    formset = QuestionInlineFormSet
    fields = ["position", "prompt", "kind"]
    show_change_link = True
    extra = 0

    # New questions need their choices, which only the question page can hold.
    def has_add_permission(self, request, obj=None):
        return False

    # A question students have been shown is part of their history: unpublish instead.
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.attempts.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["lesson", "course", "question_count", "pass_mark", "max_attempts"]
    list_filter = ["lesson__course", "reveal_answers"]
    list_select_related = ["lesson__course"]
    search_fields = ["lesson__title"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(ordering="question_count", description="Questions")
    def question_count(self, quiz):
        return quiz.question_count

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

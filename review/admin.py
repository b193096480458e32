"""Cards and their logs, for staff to look into: the scheduler writes them, nobody edits."""

from django.contrib import admin

from .models import Card, ReviewLog


class ReadOnlyAdmin(admin.ModelAdmin):
    # A hand-edited memory state would make the schedule lie; deleting stays possible.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewLogInline(admin.TabularInline):
    model = ReviewLog
    fields = ["reviewed_at", "rating", "source", "duration_ms"]
    readonly_fields = fields
    ordering = ["-reviewed_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ["user", "question", "state", "due", "last_review", "last_rating", "stability"]
    list_filter = ["state", "last_rating", "question__quiz__lesson__course"]
    list_select_related = ["user", "question"]
    search_fields = ["user__username", "question__prompt"]
    date_hierarchy = "due"
    inlines = [ReviewLogInline]


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnlyAdmin):
    list_display = ["card", "rating", "source", "reviewed_at", "duration_ms"]
    list_filter = ["source", "rating"]
    list_select_related = ["card__user"]
    search_fields = ["card__user__username"]
    date_hierarchy = "reviewed_at"

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from learning.models import Status

register = template.Library()

STATUS_BADGES = {
    Status.NOT_STARTED: "text-bg-light border",
    Status.READ: "text-bg-info",
    Status.ATTEMPTED: "text-bg-warning",
    Status.PASSED: "text-bg-success",
}


@register.simple_tag
def status_badge(status, score=None):
    """A status badge: a class grid shows hundreds, so each is built once per process."""
    return badge_html(Status(status), score)


@lru_cache(maxsize=4096)
def badge_html(status, score):
    label = status.label
    if score is not None and status != Status.NOT_STARTED:
        label = f"{label} · {percent(score)}"
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGES[status], label)


@register.filter
def percent(value, pass_mark=None):
    """A score as a whole percentage (67%, not 66.67%), except where rounding up could
    make it read as a pass it is not: onto or over `pass_mark` when it is given, onto a
    multiple of 5 (where pass marks sit) when it is not. Then it shows as graded (69.5%)."""
    if value is None:
        return "–"
    exact = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole = exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if whole > exact:
        misleading = whole % 5 == 0 if pass_mark is None else exact < pass_mark <= whole
        if misleading:
            return f"{exact:f}".rstrip("0").rstrip(".") + "%"
    return f"{whole:f}%"


@register.filter
def duration(start, end):
    """How long from start to end, for people: "under a minute", "1 minute", "2 hours"."""
    if start is None or end is None:
        return "–"
    if (end - start).total_seconds() < 60:
        return "under a minute"
    return timesince(start, end)


@register.filter
def ago(moment):
    """How long ago, for people: "just now" rather than "0 minutes ago"."""
    if moment is None:
        return "–"
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment)} ago"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None

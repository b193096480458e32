from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.utils.html import format_html

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
def percent(value):
    """A score as graded (66.67%, 62.5%, 100%): never rounded to a whole number,
    so a score just under the pass mark never reads as the pass mark."""
    if value is None:
        return "–"
    value = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:f}".rstrip("0").rstrip(".") + "%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.safestring import mark_safe

from learning.models import Status
from learning.rendering import render_markdown

register = template.Library()

STATUS_BADGES = {
    Status.NOT_STARTED: "text-bg-light border",
    Status.READ: "text-bg-info",
    Status.ATTEMPTED: "text-bg-warning",
    Status.PASSED: "text-bg-success",
}


@register.filter
def markdown(text):
    return mark_safe(render_markdown(text or ""))  # sanitised by nh3 in render_markdown


@register.inclusion_tag("learning/_status_badge.html")
def status_badge(status, score=None):
    status = Status(status)
    return {"label": status.label, "css": STATUS_BADGES[status], "score": score, "status": status}


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

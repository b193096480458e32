from django.utils import timezone

from .scheduling import nav_due_summary


def due_now(request):
    """The navigation's count of questions due for review: counted only when a template
    asks, at most once a request, and from the cache while it holds (due_counts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"review_due": 0}

    def count():
        summary = getattr(request, "review_summary", None)
        if summary is None:
            summary = request.review_summary = nav_due_summary(user, now=timezone.now())
        return summary.count

    return {"review_due": count}

from .roles import is_teacher


def roles(request):
    """Which role pages the navigation bar offers; evaluated only when a template asks."""
    user = getattr(request, "user", None)
    return {"is_teacher": (lambda: is_teacher(user)) if user is not None else False}

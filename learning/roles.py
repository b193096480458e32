TEACHERS_GROUP = "Teachers"


def is_teacher(user):
    """Staff count as teachers: they may see every class. Asked by the page and the
    navigation bar alike, so the answer is kept on the user for the request."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_teacher"):
        user._is_teacher = user.is_staff or user.groups.filter(name=TEACHERS_GROUP).exists()
    return user._is_teacher

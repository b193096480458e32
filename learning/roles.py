TEACHERS_GROUP = "Teachers"


def is_teacher(user):
    """Staff count as teachers: they may see every class."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.groups.filter(name=TEACHERS_GROUP).exists()

"""The admin's change forms as a browser posts them: every field as it is, changed where asked."""


def lesson_form(lesson, **changes):
    """The lesson change form of `lesson`, with `changes` (field: posted value) made."""
    data = {
        "course": lesson.course_id,
        "position": lesson.position,
        "title": lesson.title,
        "slug": lesson.slug,
        "published": "on",
        "summary": lesson.summary,
        "body": lesson.body,
        "key_points": lesson.key_points,
        "source_text": lesson.source_text,
    }
    return {**data, **changes}

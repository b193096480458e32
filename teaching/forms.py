import unicodedata

from django import forms
from django.db.models import Q
from django.utils import timezone

from learning.models import Course

from .due_dates import MAX_YEARS_AWAY, date_in_range, due_at_from
from .models import Classroom


class ClassroomForm(forms.ModelForm):
    courses = forms.ModelMultipleChoiceField(
        queryset=Course.objects.published(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The courses this class follows.",
    )

    class Meta:
        model = Classroom
        fields = ["name", "courses"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A course unpublished since must stay ticked, or renaming the class would drop it.
            self.fields["courses"].queryset = Course.objects.filter(
                Q(published=True) | Q(classrooms=self.instance)
            ).distinct()


class GridFilterForm(forms.Form):
    sort = forms.ChoiceField(
        choices=[("name", "Name"), ("progress", "Progress"), ("activity", "Last activity")],
        required=False,
    )
    attention = forms.BooleanField(required=False, label="Only students who need attention")
    show = forms.ChoiceField(
        choices=[("progress", "Progress"), ("mastery", "Mastery now")],
        required=False,
        help_text="Progress: quiz status and best score. Mastery now: what memory predicts today.",
    )


class JoinClassForm(forms.Form):
    # Longer than any code: people type it with spaces or dashes between the letters.
    code = forms.CharField(
        max_length=40, label="Class code", help_text="Your teacher gives you this code."
    )

    def clean_code(self):
        # Invisible characters (zero-width spaces, direction marks) come along when a
        # code is copied from a document or a chat: drop them with the spaces.
        typed = self.cleaned_data["code"]
        code = "".join(ch for ch in typed if unicodedata.category(ch) != "Cf")
        code = "".join(code.split()).replace("-", "").upper()
        try:
            classroom = Classroom.objects.get(join_code=code)
        except Classroom.DoesNotExist:
            raise forms.ValidationError(
                "No class has that code. Check it with your teacher and try again."
            ) from None
        if classroom.archived_at is not None:
            # An archived class is over: it takes no one new, nor anyone back.
            raise forms.ValidationError(
                "That class has been archived and no longer takes students. "
                "Ask your teacher for the code of a current class."
            )
        self.cleaned_data["classroom"] = classroom
        return code


class DueDatesForm(forms.Form):
    """One optional date and time per lesson of a class, in the teacher's time zone.
    An empty date removes the lesson's due date; an empty time means the end of
    the day."""

    def __init__(self, *args, lessons, due_dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.lessons = list(lessons)
        for lesson in self.lessons:
            due_at = due_dates.get(lesson.pk)
            local = timezone.localtime(due_at) if due_at else None
            name = f"{lesson.course.title}, lesson {lesson.position}: {lesson.title}"
            self.fields[f"date_{lesson.pk}"] = forms.DateField(
                required=False,
                label=f"Due date of {name}",
                initial=local.date() if local else None,
                widget=forms.DateInput(
                    attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
                ),
            )
            self.fields[f"time_{lesson.pk}"] = forms.TimeField(
                required=False,
                label=f"Due time of {name}",
                initial=local.time() if local else None,
                widget=forms.TimeInput(
                    attrs={"type": "time", "class": "form-control"}, format="%H:%M"
                ),
            )

    def clean(self):
        cleaned = super().clean()
        for lesson in self.lessons:
            day = cleaned.get(f"date_{lesson.pk}")
            if day is not None and not date_in_range(day):
                self.add_error(
                    f"date_{lesson.pk}",
                    f"Choose a date within {MAX_YEARS_AWAY} years of today.",
                )
        return cleaned

    def full_clean(self):
        super().full_clean()
        # Mark the fields in error, for the eye and for screen readers.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {
                        "class": "form-control is-invalid",
                        "aria-invalid": "true",
                        "aria-describedby": f"id_{name}_error",
                    }
                )

    def rows(self):
        """[(course, [(lesson, date field, time field)])] in the grid's order."""
        groups = []
        for lesson in self.lessons:
            row = (lesson, self[f"date_{lesson.pk}"], self[f"time_{lesson.pk}"])
            if groups and groups[-1][0].pk == lesson.course_id:
                groups[-1][1].append(row)
            else:
                groups.append((lesson.course, [row]))
        return groups

    def due_dates(self):
        """{lesson id: aware due_at, or None to clear it}, once the form is valid."""
        return {
            lesson.pk: (
                due_at_from(day, self.cleaned_data.get(f"time_{lesson.pk}"))
                if (day := self.cleaned_data.get(f"date_{lesson.pk}"))
                else None
            )
            for lesson in self.lessons
        }

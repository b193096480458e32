import unicodedata

from django import forms
from django.db.models import Q

from learning.models import Course

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
            self.cleaned_data["classroom"] = Classroom.objects.get(join_code=code)
        except Classroom.DoesNotExist:
            raise forms.ValidationError(
                "No class has that code. Check it with your teacher and try again."
            ) from None
        return code

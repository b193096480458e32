from django import forms
from django.db.models import Q

from .models import Classroom, Course


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

from django import forms

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


class GridFilterForm(forms.Form):
    sort = forms.ChoiceField(
        choices=[("name", "Name"), ("progress", "Progress"), ("activity", "Last activity")],
        required=False,
    )
    attention = forms.BooleanField(required=False, label="Only students who need attention")

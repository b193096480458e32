from django import forms

from .models import QuestionReport, ReportReason


class ReportForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        choices=ReportReason.choices, widget=forms.RadioSelect, label="What is wrong?"
    )
    comment = forms.CharField(
        required=False,
        max_length=QuestionReport._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Tell us more (optional)",
    )

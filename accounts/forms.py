from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from .profiles import time_zone_choices

EMAIL_HELP = (
    "Optional. With an email address you can reset a forgotten password yourself; "
    "without one, ask your teacher or an admin."
)


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text=EMAIL_HELP)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]


class NameAndEmailForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]
        labels = {"email": "Email address"}
        help_texts = {"email": EMAIL_HELP}


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        required=False,
        label="Time zone",
        help_text="Every date and time on the site is shown in this time zone.",
    )

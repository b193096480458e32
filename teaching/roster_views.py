"""Rosters: a teacher adds students to a class by pasting names or uploading a CSV, then
sees the new accounts' one-time passwords, once.

The passwords in clear stay on the server only from the POST that made them to the
page that shows them (the redirect between the two carries them in the session); that
page takes them out of the session and holds the CSV of them itself, as a data: link,
so a reload, the back button or a later visit finds them gone.
"""

import csv
import io
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .access import get_class_for_teacher, teacher_required
from .roster import (
    MAX_NAMES,
    MAX_UPLOAD_BYTES,
    RosterError,
    add_students,
    decode_upload,
    parse_roster,
)
from .views import spreadsheet_safe

PASSWORDS_KEY = "teaching_new_passwords"


class RosterForm(forms.Form):
    names = forms.CharField(
        required=False,
        max_length=MAX_UPLOAD_BYTES,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        label="Names, one per line",
        help_text="First and last name, optionally followed by a comma and an email "
        "address, for example: Ada Lovelace, ada@example.com",
        error_messages={
            "max_length": "This list is too long to paste: at most %(limit_value)d characters "
            "(it has %(show_value)d). Split it, or upload it as a file.",
        },
    )
    file = forms.FileField(
        required=False,
        label="Or a CSV file",
        help_text="Columns name, email or first_name, last_name, email; the first row may "
        "name them. UTF-8, as Excel ('CSV UTF-8') and LibreOffice save it; at most "
        f"{MAX_UPLOAD_BYTES // 1024} KB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"This file is {-(-upload.size // 1024)} KB: the limit is "
                f"{MAX_UPLOAD_BYTES // 1024} KB. Split the list into smaller files."
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, upload = cleaned.get("names", "").strip(), cleaned.get("file")
        if text and upload:
            raise forms.ValidationError("Paste names or choose a file, not both.")
        if not text and not upload:
            raise forms.ValidationError("Paste some names, or choose a CSV file.")
        try:
            text = decode_upload(upload.read()) if upload else text
        except RosterError as problem:
            raise forms.ValidationError(str(problem)) from None
        parsed = parse_roster(text)
        if parsed.errors:
            raise forms.ValidationError(
                ["Nothing was added: correct these rows and send the list again."] + parsed.errors
            )
        cleaned["entries"] = parsed.entries
        return cleaned


@require_http_methods(["GET", "POST"])
@never_cache
@teacher_required
def roster(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    form = RosterForm(request.POST, request.FILES) if request.method == "POST" else RosterForm()
    if request.method == "POST" and form.is_valid():
        try:
            accounts = add_students(
                classroom=classroom, teacher=request.user, entries=form.cleaned_data["entries"]
            )
        except RosterError as problem:
            form.add_error(None, str(problem))
        else:
            rows = [(a.user.username, a.user.get_full_name(), a.password) for a in accounts]
            stash_passwords(request, classroom, rows)
            messages.success(
                request,
                f"{len(rows)} student{'s' if len(rows) != 1 else ''} added to {classroom.name}.",
            )
            return redirect("teaching:new_passwords", classroom.pk)
    context = {"classroom": classroom, "form": form, "max_names": MAX_NAMES}
    return render(request, "teaching/roster.html", context, status=400 if form.errors else 200)


def stash_passwords(request, classroom, rows, *, student=None):
    """Keep (username, name, password) rows for the next page, and for nothing else:
    any earlier rows not yet shown are replaced."""
    request.session[PASSWORDS_KEY] = {
        "class": classroom.pk,
        "student": student.pk if student else None,
        "rows": [list(row) for row in rows],
    }


def pop_passwords(request, classroom):
    """The rows stashed for this class, taken out of the session; None if there are none."""
    stashed = request.session.get(PASSWORDS_KEY)
    if not stashed or stashed.get("class") != classroom.pk:
        return None
    del request.session[PASSWORDS_KEY]
    return stashed


def passwords_csv(rows):
    out = io.StringIO()
    out.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(out)
    writer.writerow(["username", "name", "password"])
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
    return out.getvalue()


@require_GET
@never_cache
@teacher_required
def new_passwords(request, pk):
    classroom = get_class_for_teacher(request.user, pk)
    stashed = pop_passwords(request, classroom)
    rows = stashed["rows"] if stashed else []
    context = {
        "classroom": classroom,
        "rows": rows,
        "student_id": stashed["student"] if stashed else None,
        "csv_href": "data:text/csv;charset=utf-8," + quote(passwords_csv(rows), safe="")
        if rows
        else "",
        "csv_name": f"class-{classroom.pk}-new-passwords.csv",
    }
    return render(request, "teaching/roster_passwords.html", context)


# Added to teaching.urls at its end.
urlpatterns = [
    path("teach/classes/<int:pk>/roster/", roster, name="roster"),
    path("teach/classes/<int:pk>/passwords/", new_passwords, name="new_passwords"),
]

from django import forms

from . import question_import
from .parsing import (
    MAX_EXPLAINER_BYTES,
    MAX_SECTIONS,
    ExplainerError,
    check_explainer_size,
    course_title_and_slug,
    decode_explainer,
    describe_size,
    parse_explainer,
)

LIMITS = f"At most {describe_size(MAX_EXPLAINER_BYTES)} and {MAX_SECTIONS} sections."


class ExplainerImportForm(forms.Form):
    file = forms.FileField(
        required=False, help_text=f"A UTF-8 .txt or .md file. {LIMITS}", label="Explainer file"
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        label="…or paste the text",
        help_text=f"One paragraph per line, or paragraphs separated by blank lines. {LIMITS}",
    )
    title = forms.CharField(required=False, max_length=200, help_text="Default: the '# ' heading.")
    slug = forms.SlugField(
        required=False, max_length=100, help_text="An existing course with this slug is updated."
    )
    publish = forms.BooleanField(required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if not upload.name.lower().endswith((".txt", ".md", ".markdown")):
            raise forms.ValidationError("Upload a .txt or .md file.")
        try:
            check_explainer_size(upload.size, what="The file")  # before reading it
            return decode_explainer(upload.read())
        except ExplainerError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            check_explainer_size(len(text.encode("utf-8")), what="The pasted text")
        except ExplainerError as exc:
            raise forms.ValidationError(str(exc)) from None
        return text

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("file") or cleaned.get("text", "")
        if self.errors:
            return cleaned
        if not text.strip():
            raise forms.ValidationError("Upload a file or paste the explainer's text.")
        try:
            cleaned["parsed"] = parse_explainer(text)
            course_title_and_slug(
                cleaned["parsed"], title=cleaned.get("title"), slug=cleaned.get("slug")
            )
        except ExplainerError as exc:
            raise forms.ValidationError(str(exc)) from None
        cleaned["text"] = text
        return cleaned


QUESTION_LIMITS = (
    f"At most {describe_size(question_import.MAX_FILE_BYTES)} and "
    f"{question_import.MAX_QUESTIONS} questions."
)
FORMAT_CHOICES = [
    ("", "Detect from the content"),
    ("gift", "GIFT"),
    ("aiken", "Aiken"),
    ("moodle-xml", "Moodle XML"),
    ("csv", "CSV (spreadsheet)"),
]


class QuestionImportForm(forms.Form):
    """Questions from a file or pasted text into one lesson's quiz. Valid once the
    text can be read as its format; what each entry becomes is the preview's job."""

    lesson = forms.ModelChoiceField(queryset=None, empty_label=None)
    file = forms.FileField(
        required=False,
        label="Question file",
        help_text=f"GIFT or Aiken (.txt, .gift), Moodle XML (.xml) or CSV (.csv), in UTF-8. "
        f"{QUESTION_LIMITS}",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        label="…or paste the questions",
        help_text=QUESTION_LIMITS,
    )
    format = forms.ChoiceField(choices=FORMAT_CHOICES, required=False)
    approve = forms.BooleanField(
        required=False,
        label="Approve on import",
        help_text="Students see approved questions at once; otherwise they arrive as drafts "
        "for the review queue.",
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].queryset = course.lessons.order_by("position")
        self.fields["lesson"].label_from_instance = lambda lesson: (
            f"{lesson.position}. {lesson.title}"
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > question_import.MAX_FILE_BYTES:  # before reading it
            raise forms.ValidationError(
                f"The file is {describe_size(upload.size)}; {QUESTION_LIMITS}"
            )
        return upload.read()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = cleaned.get("file") or cleaned.get("text", "").encode("utf-8")
        if not data.strip():
            raise forms.ValidationError("Upload a file or paste the questions.")
        try:
            name, parsed = question_import.read(data, format_name=cleaned.get("format") or None)
        except question_import.QuestionFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        cleaned.update(format=name, parsed=parsed, text=data.decode("utf-8-sig"))
        return cleaned

from django import forms

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

"""The editor's side of the course admin: importing an explainer."""

from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse

from learning.admin import CourseAdmin
from learning.models import Course

from .forms import ExplainerImportForm
from .importing import import_explainer, plan_import

admin.site.unregister(Course)


@admin.register(Course)
class AuthoringCourseAdmin(CourseAdmin):
    change_list_template = "admin/authoring/course_change_list.html"

    # The import page is a form of its own, not a model change page.
    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_explainer_view)
        return [path("import/", import_view, name="learning_course_import"), *super().get_urls()]

    def import_explainer_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ExplainerImportForm(request.POST or None, request.FILES or None)
        plan = None
        if request.method == "POST" and form.is_valid():
            options = {
                "parsed": form.cleaned_data["parsed"],
                "title": form.cleaned_data["title"] or None,
                "slug": form.cleaned_data["slug"] or None,
            }
            if "confirm" in request.POST:
                result = import_explainer(**options, publish=form.cleaned_data["publish"])
                self.message_user(
                    request,
                    f"Imported '{result.course.title}': {len(result.created)} lessons created, "
                    f"{len(result.updated)} updated.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:learning_course_change", args=[result.course.pk]))
            # The preview only reads: it takes no write lock, however long the explainer.
            plan = plan_import(**options)
            # Carry the decoded text to the confirm step so the file need not be sent again.
            form = ExplainerImportForm(
                initial={**form.cleaned_data, "text": form.cleaned_data["text"], "file": None}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import explainer",
            "form": form,
            "plan": plan,
        }
        return render(request, "admin/authoring/import.html", context)

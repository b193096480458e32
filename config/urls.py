from django.contrib import admin
from django.urls import include, path

from learning import views as learning_views

from . import health

admin.site.site_header = "Explainer Learning admin"
admin.site.site_title = "Explainer Learning admin"

urlpatterns = [
    path("", learning_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("quizzes.urls")),
    path("", include("learning.urls")),
    path("", include("review.urls")),
    path("", include("teaching.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

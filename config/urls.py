from django.contrib import admin
from django.urls import include, path

from learning import views as learning_views

admin.site.site_header = "Explainer Learning admin"
admin.site.site_title = "Explainer Learning admin"

urlpatterns = [
    path("", learning_views.home, name="home"),
    path("healthz", learning_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("learning.account_urls")),
    path("", include("quizzes.urls")),
    path("", include("learning.urls")),
    path("", include("teaching.urls")),
]

handler400 = "learning.views.bad_request"
handler403 = "learning.views.permission_denied"
handler404 = "learning.views.page_not_found"
handler500 = "learning.views.server_error"

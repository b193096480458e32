from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("courses/<slug:course>/", views.course_detail, name="course"),
    path("courses/<slug:course>/<slug:lesson>/", views.lesson_detail, name="lesson"),
]

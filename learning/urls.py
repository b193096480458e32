from django.urls import path

from . import teach_views, views

app_name = "learning"

urlpatterns = [
    path("courses/<slug:course>/", views.course_detail, name="course"),
    path("courses/<slug:course>/<slug:lesson>/", views.lesson_detail, name="lesson"),
    path("classes/join/", views.join_class, name="join"),
    path("teach/", teach_views.teach_home, name="teach"),
    path("teach/classes/new/", teach_views.class_create, name="class_create"),
    path("teach/classes/<int:pk>/", teach_views.class_grid, name="class_grid"),
    path("teach/classes/<int:pk>/edit/", teach_views.class_edit, name="class_edit"),
    path("teach/classes/<int:pk>/code/", teach_views.regenerate_code, name="regenerate_code"),
    path(
        "teach/classes/<int:pk>/students/<int:user_id>/remove/",
        teach_views.remove_student,
        name="remove_student",
    ),
    path("teach/classes/<int:pk>/progress.csv", teach_views.class_csv, name="class_csv"),
]

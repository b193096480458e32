from django.urls import path

from . import record_views, views

app_name = "teaching"

urlpatterns = [
    path("classes/join/", views.join_class, name="join"),
    path("teach/", views.teach_home, name="teach"),
    path("teach/classes/new/", views.class_create, name="class_create"),
    path("teach/classes/<int:pk>/", views.class_grid, name="class_grid"),
    path("teach/classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("teach/classes/<int:pk>/code/", views.regenerate_code, name="regenerate_code"),
    path(
        "teach/classes/<int:pk>/students/<int:user_id>/remove/",
        views.remove_student,
        name="remove_student",
    ),
    path("teach/classes/<int:pk>/progress.csv", views.class_csv, name="class_csv"),
    path(
        "teach/classes/<int:pk>/students/<int:user_id>/",
        record_views.student_record,
        name="student_record",
    ),
    path("teach/quizzes/<int:pk>/stats/", record_views.quiz_stats, name="stats"),
]

from . import student_views  # noqa: E402

urlpatterns += student_views.urlpatterns

from . import class_views  # noqa: E402

urlpatterns += class_views.urlpatterns

from . import roster_views  # noqa: E402

urlpatterns += roster_views.urlpatterns
urlpatterns += record_views.urlpatterns

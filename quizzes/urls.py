from django.urls import path

from . import progress_views, views

app_name = "quizzes"

urlpatterns = [
    path("courses/<slug:course>/<slug:lesson>/quiz/", views.quiz_detail, name="quiz"),
    path("courses/<slug:course>/<slug:lesson>/quiz/start/", views.start, name="start"),
    path("attempts/<int:pk>/", views.take, name="attempt"),
    path("attempts/<int:pk>/save/", views.save, name="save"),
    path("attempts/<int:pk>/submit/", views.submit, name="submit"),
    path("attempts/<int:pk>/result/", views.result, name="result"),
    path("attempts/<int:pk>/report/", views.report, name="report"),
    path("progress/", progress_views.my_progress, name="progress"),
]

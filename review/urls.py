from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("review/", views.session, name="session"),
    path("review/answer/", views.answer, name="answer"),
    path("review/answered/<int:pk>/", views.answered, name="answered"),
    path("review/practice/<slug:course>/<slug:lesson>/", views.practice, name="practice"),
]

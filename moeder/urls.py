from django.urls import path

from . import views

app_name = "moeder"
urlpatterns = [
    path("", views.index, name="index"),
]

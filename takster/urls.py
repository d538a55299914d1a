from django.urls import path

from . import views

app_name = "takster"
urlpatterns = [
    path("", views.index, name="index"),
]

from django.urls import path

from . import views

app_name = "tilbud"
urlpatterns = [
    path("", views.offer_list, name="list"),
]

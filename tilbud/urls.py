from django.urls import path

from . import views

app_name = "tilbud"
urlpatterns = [
    path("", views.offer_list, name="list"),
    path("<int:pk>/", views.offer_detail, name="detail"),
    path("ledig-kapacitet/", views.kapacitet_overview, name="kapacitet"),
    path("ledig-kapacitet/indberet/", views.kapacitet_bulk, name="kapacitet_bulk"),
    path("<int:pk>/ledig-kapacitet/", views.kapacitet_report, name="kapacitet_report"),
]

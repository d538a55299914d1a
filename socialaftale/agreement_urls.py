from django.urls import path

from . import agreement_views as views

urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("sammenlign/", views.periods_compare_view, name="compare"),
    path("<int:start_year>-<int:end_year>/", views.period_detail, name="period_detail"),
    path("<int:start_year>-<int:end_year>/pdf/", views.period_pdf, name="period_pdf"),
    path("<int:start_year>-<int:end_year>/pdf/status/", views.period_pdf_status,
         name="period_pdf_status"),
]

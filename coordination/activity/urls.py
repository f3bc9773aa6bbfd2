from django.urls import path, re_path

from coordination.activity import views

app_name = "activity"

urlpatterns = [
    path("sessions/<int:pk>/headcount/", views.headcount, name="headcount"),
    path("report/", views.report, name="report"),
    re_path(r"^report\.(?P<kind>csv|xlsx|pdf)$", views.report_export, name="report_export"),
    path("totals/", views.public_totals, name="public_totals"),
]

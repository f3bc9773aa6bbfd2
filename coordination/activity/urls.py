from django.urls import path, re_path

from coordination.activity import report_views, views

app_name = "activity"

urlpatterns = [
    path("sessions/to-record/", views.to_record, name="to_record"),
    path("sessions/<int:pk>/headcount/", views.headcount, name="headcount"),
    path("sessions/<int:pk>/training/", views.training_outcome, name="training_outcome"),
    path("surveys/<int:pk>/qr/", views.survey_qr, name="survey_qr"),
    path("report/", report_views.report, name="report"),
    re_path(r"^report\.(?P<kind>csv|xlsx|pdf)$", report_views.report_export, name="report_export"),
    path("totals/", report_views.public_totals, name="public_totals"),
]

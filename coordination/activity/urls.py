from django.urls import path

from coordination.activity import views

app_name = "activity"

urlpatterns = [
    path("sessions/<int:pk>/headcount/", views.headcount, name="headcount"),
]

from django.urls import path

from coordination.line import views

app_name = "line"
urlpatterns = [
    path("", views.about, name="about"),
    path("webhook/", views.webhook, name="webhook"),
    path("manage/", views.manage, name="manage"),
]

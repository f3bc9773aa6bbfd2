"""The newsletter's addresses, under /newsletter/ (the issues themselves are Wagtail pages)."""

from django.urls import path

from cms.newsletter import views

app_name = "newsletter"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("issues/<int:page_id>/print.pdf", views.pdf, name="pdf"),
]

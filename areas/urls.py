"""The network's people, all under /partners/: invitations, members and roles."""

from django.urls import path

from areas import views

app_name = "areas"
urlpatterns = [
    path("invite/", views.invite, name="invite"),
    path("organisations/<int:pk>/", views.organisation_members, name="organisation_members"),
    path("memberships/<int:pk>/role/", views.change_role, name="membership_change_role"),
    path("memberships/<int:pk>/remove/", views.remove_member, name="membership_remove"),
    path("invitations/<str:token>/", views.accept_invitation, name="invitation_accept"),
]

from django.urls import path

from areas import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("partners/invite/", views.invite, name="invite"),
    path("partners/organisations/<int:pk>/", views.organisation_members, name="organisation_members"),
    path("partners/memberships/<int:pk>/role/", views.change_role, name="membership_change_role"),
    path("partners/memberships/<int:pk>/remove/", views.remove_member, name="membership_remove"),
    path("invitations/<str:token>/", views.accept_invitation, name="invitation_accept"),
]

"""The signups app's addresses, all under /signups/: applying, the applicant's link, the
organisers' lists, the volunteer roster."""

from django.urls import path

from coordination.signups import organiser_views, roster_views, views

app_name = "signups"
urlpatterns = [
    path("apply/<int:page_id>/", views.apply, name="apply"),
    path("apply/<int:page_id>/sent/<str:key>/", views.sent, name="sent"),
    path("organisers/<int:page_id>/", organiser_views.signup_list, name="list"),
    path("organisers/<int:page_id>/applications.csv", organiser_views.signup_csv, name="csv"),
    path("organisers/<int:page_id>/add/", organiser_views.enter, name="enter"),
    path("organisers/<int:page_id>/<int:signup_id>/decide/", organiser_views.decide, name="decide"),
    path("organisers/<int:page_id>/slots/<int:slot_id>/draw/", organiser_views.draw, name="draw"),
    path(
        "organisers/<int:page_id>/slots/<int:slot_id>/took-part/", organiser_views.took_part, name="took_part"
    ),
    path("roster/", roster_views.roster, name="roster"),
    path("roster/invite/", roster_views.roster_invite, name="roster_invite"),
    path("roster/leave/<str:token>/", roster_views.roster_leave, name="roster_leave"),
    path("<str:token>/confirm/", views.confirm, name="confirm"),
    path("<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:token>/", views.manage, name="manage"),
]

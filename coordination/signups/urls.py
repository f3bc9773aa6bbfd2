from django.urls import path

from coordination.signups import organiser_views, views

urlpatterns = [
    path("apply/<int:page_id>/", views.apply, name="signup_apply"),
    path("apply/<int:page_id>/sent/<str:key>/", views.sent, name="signup_sent"),
    path("signups/<str:token>/confirm/", views.confirm, name="signup_confirm"),
    path("signups/<str:token>/withdraw/", views.withdraw, name="signup_withdraw"),
    path("signups/<str:token>/", views.manage, name="signup_manage"),
    path("partners/applications/<int:page_id>/", organiser_views.signup_list, name="signup_list"),
    path(
        "partners/applications/<int:page_id>/applications.csv", organiser_views.signup_csv, name="signup_csv"
    ),
    path("partners/applications/<int:page_id>/add/", organiser_views.enter, name="signup_enter"),
    path(
        "partners/applications/<int:page_id>/<int:signup_id>/decide/",
        organiser_views.decide,
        name="signup_decide",
    ),
    path(
        "partners/applications/<int:page_id>/slots/<int:slot_id>/draw/",
        organiser_views.draw,
        name="signup_draw",
    ),
]

from django.urls import path

from . import views

urlpatterns = [
    path("account/confirm-password/", views.confirm_password, name="confirm_password"),
    path("account/parental-pin/", views.parental_pin, name="parental_pin"),
    path("account/time-zone/", views.time_zone, name="time_zone"),
    path("profiles/<uuid:public_id>/parental/", views.profile_parental, name="profile_parental"),
    path(
        "profiles/<uuid:public_id>/parental/titles/",
        views.title_search,
        name="parental_title_search",
    ),
    path(
        "profiles/<uuid:public_id>/parental/titles/block/",
        views.title_block,
        name="parental_title_block",
    ),
    path("profiles/<uuid:public_id>/unlock/", views.profile_unlock, name="profile_unlock"),
]

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("account/parental/", views.parental_overview, name="parental_overview"),
    path("account/parental-pin/", views.parental_pin, name="parental_pin"),
    path("account/parental-pin/remove/", views.parental_pin_remove, name="parental_pin_remove"),
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
    path(
        "profiles/<uuid:public_id>/parental/titles/unblock/",
        views.title_unblock,
        name="parental_title_unblock",
    ),
    path("profiles/<uuid:public_id>/pick/", views.profile_open, name="profile_pick"),
    path("profiles/<uuid:public_id>/unlock/", views.profile_unlock, name="profile_unlock"),
]

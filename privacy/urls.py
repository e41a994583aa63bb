from __future__ import annotations

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("account/data/", views.data_download, name="data_download"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/deleted/", views.account_deleted, name="account_deleted"),
]

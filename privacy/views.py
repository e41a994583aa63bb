"""'Download your data' and 'Delete account'."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.decorators import password_confirmation_required
from accounts.gate import Purpose
from accounts.http import AuthedHttpRequest, client_ip

from . import services
from .exports import data_export_zip
from .forms import AccountDeleteForm


@never_cache
@password_confirmation_required(purpose=Purpose.DATA_DOWNLOAD)
def data_download(request: AuthedHttpRequest) -> HttpResponse:
    """ "Download your data": what is in it, then one streamed ZIP (POST)."""
    if request.method != "POST":
        return render(request, "privacy/data_download.html")
    services.data_exported(user=request.user, ip=client_ip(request))
    response = StreamingHttpResponse(data_export_zip(request.user), content_type="application/zip")
    name = f"streamguard-data-{timezone.now():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response  # type: ignore[return-value]  # the gate's View type names HttpResponse


@never_cache
@password_confirmation_required(purpose=Purpose.ACCOUNT_DELETE)
def account_delete(request: AuthedHttpRequest) -> HttpResponse:
    """ "Delete account": what goes, the password once more, then everything ends."""
    user = request.user
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=user)
        request.session.flush()
        return redirect("privacy:account_deleted")
    context = {"form": form, "counts": services.account_contents(user=user)}
    return render(request, "privacy/account_delete.html", context)


@login_not_required
def account_deleted(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "privacy/account_deleted.html")

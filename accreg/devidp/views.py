"""The provider's sign-in page: the developer says who the platform has verified (name and ID number),
as a real platform would after its face check. Then django-oauth-toolkit carries on the flow."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

ID_NUMBER_LENGTH = 18


def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    values = {
        "name": request.POST.get("name", "").strip(),
        "id_number": request.POST.get("id_number", "").strip().upper(),
    }
    error = ""
    if request.method == "POST":
        if not values["name"] or len(values["id_number"]) != ID_NUMBER_LENGTH:
            error = "请填写姓名和18位身份证号码"
        else:
            user, _ = User.objects.get_or_create(username=values["id_number"])
            if user.first_name != values["name"]:
                user.first_name = values["name"]
                user.save(update_fields=["first_name"])
            login(request, user)  # type: ignore[arg-type]  # the provider's own User, not the site's Staff
            return HttpResponseRedirect(next_url)
    return render(
        request,
        "devidp/sign_in.html",
        {"values": values, "error": error, "next": next_url},
        status=400 if error else 200,
    )

"""Thin page views: find the portal, render it. Rules come from the province profile."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accreg.notices.models import Notice
from accreg.notices.selectors import directory, published_notices
from accreg.provinces.fields import EXTRA_STEPS
from accreg.provinces.loader import served_profile, served_profiles
from accreg.provinces.schema import Province

SIGN_IN_LABELS = {
    "id_password": "证件号码 + 密码",
    "name_id_password": "姓名 + 证件号码 + 密码",
    "mobile_password": "手机号 + 密码",
    "mobile_sms": "手机号 + 短信验证码",
    "oidc": "统一身份认证",
}


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/landing.html", {"provinces": list(served_profiles().values())})


def province_home(request: HttpRequest, province: str) -> HttpResponse:
    profile = served_profile(province)
    if profile is None:
        raise Http404("未开通该省份")
    steps = [profile.sections[s].title if s in profile.sections else EXTRA_STEPS[s] for s in profile.steps]
    methods = [
        profile.sign_in.oidc_provider_name if m == "oidc" else SIGN_IN_LABELS[m] for m in profile.sign_in.methods
    ]
    return render(
        request,
        "portal/home.html",
        {
            "province": profile,
            "steps": steps,
            "sign_in_methods": methods,
            "notice_paragraphs": _paragraphs(profile.notice.text),
            "notices": published_notices(profile)[:5],
        },
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def _served(province: str) -> Province:
    profile = served_profile(province)
    if profile is None:
        raise Http404("未开通该省份")
    return profile


def notice_list(request: HttpRequest, province: str) -> HttpResponse:
    profile = _served(province)
    kind = request.GET.get("kind", "")
    notices = published_notices(profile, kind if kind in ("notice", "guide") else "")[:100]
    return render(request, "portal/notices.html", {"province": profile, "notices": notices, "kind": kind})


def notice_detail(request: HttpRequest, province: str, notice_id: int) -> HttpResponse:
    profile = _served(province)
    notice = Notice.objects.published(profile.code).filter(pk=notice_id).first()
    if notice is None:
        raise Http404("没有这条通知，或尚未发布")
    return render(
        request,
        "portal/notice.html",
        {"province": profile, "notice": notice, "paragraphs": _paragraphs(notice.body)},
    )


def directory_page(request: HttpRequest, province: str) -> HttpResponse:
    profile = _served(province)
    q = request.GET.get("q", "").strip()[:50]
    return render(request, "portal/directory.html", {"province": profile, "groups": directory(profile, q), "q": q})

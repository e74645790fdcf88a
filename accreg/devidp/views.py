"""Discovery, authorization (a page where the developer says who they are), token and keys."""

from __future__ import annotations

import base64
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from joserfc import jwt

from accreg.accounts.oidc import DEV_CLIENT_ID

from .keys import KEY_ID, dev_client_secret, signing_key


def _base() -> str:
    return settings.DEV_IDP_BASE_URL


def configuration(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "issuer": _base(),
            "authorization_endpoint": f"{_base()}/authorize",
            "token_endpoint": f"{_base()}/token",
            "jwks_uri": f"{_base()}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile"],
        }
    )


def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"keys": [signing_key().as_dict(private=False)]})


def authorize(request: HttpRequest) -> HttpResponse:
    params = request.GET if request.method == "GET" else request.POST
    keep = {k: params.get(k, "") for k in ("client_id", "redirect_uri", "state", "nonce", "scope", "response_type")}
    if keep["client_id"] != DEV_CLIENT_ID or keep["response_type"] != "code" or not keep["redirect_uri"]:
        return HttpResponse("无效的认证请求", status=400)
    if request.method == "GET":
        return render(request, "devidp/authorize.html", {"params": keep, "values": {}})
    name, id_number = request.POST.get("name", "").strip(), request.POST.get("id_number", "").strip().upper()
    if not name or not id_number:
        return render(
            request,
            "devidp/authorize.html",
            {"params": keep, "values": {"name": name, "id_number": id_number}, "error": "请填写姓名和身份证号码"},
        )
    code = secrets.token_urlsafe(24)
    claims = {"sub": f"dev-{id_number}", "name": name, "id_number": id_number, "nonce": keep["nonce"]}
    cache.set(f"devidp:code:{code}", {"claims": claims, "redirect_uri": keep["redirect_uri"]}, 120)
    return HttpResponseRedirect(f"{keep['redirect_uri']}?{urlencode({'code': code, 'state': keep['state']})}")


def _client_authenticated(request: HttpRequest) -> bool:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    else:
        client_id, secret = request.POST.get("client_id", ""), request.POST.get("client_secret", "")
    return client_id == DEV_CLIENT_ID and secrets.compare_digest(secret, dev_client_secret())


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    if not _client_authenticated(request):
        return JsonResponse({"error": "invalid_client"}, status=401)
    grant: dict[str, Any] | None = cache.get(f"devidp:code:{request.POST.get('code', '')}")
    cache.delete(f"devidp:code:{request.POST.get('code', '')}")  # a code works once
    if (
        request.POST.get("grant_type") != "authorization_code"
        or grant is None
        or grant["redirect_uri"] != request.POST.get("redirect_uri")
    ):
        return JsonResponse({"error": "invalid_grant"}, status=400)
    now = int(time.time())
    claims = {**grant["claims"], "iss": _base(), "aud": DEV_CLIENT_ID, "iat": now, "exp": now + 300}
    id_token = jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, signing_key())
    return JsonResponse(
        {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
            "scope": "openid profile",
        }
    )

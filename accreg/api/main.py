"""The NinjaAPI instance, its routers and the one error shape of API.md."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer

from accreg.errors import DomainError, RateLimitedError

from . import accounts, claims, collection, desk, health, materials, notices, reference, review


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes: smaller on slow networks, readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="会计人员信息采集与管理平台 API",
    version="1.0",
    description="会计人员信息采集与管理平台的公开接口：路径、字段和状态值固定，错误统一为 "
    '`{"error": {"code", "message", "fields"}}`。',
    urls_namespace="api",
)


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, RateLimitedError):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("not_signed_in", "请先登录，或登录已过期"), status=401)


def _field_key(location: list[Any]) -> str:
    # ninja prefixes the source ("body", "query", "path") and the parameter name; keep the request's keys.
    parts = [str(p) for p in location]
    if parts and parts[0] in {"body", "query", "path", "form", "file"}:
        parts = parts[1:]
        if parts and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "body"


_MESSAGES = {
    "missing": "必填",
    "string_too_short": "内容太短",
    "string_too_long": "内容太长",
    "string_pattern_mismatch": "格式不正确",
    "int_parsing": "应为整数",
    "bool_parsing": "应为是或否",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "literal_error": "不是可选的值",
    "json_invalid": "请求内容不是有效的 JSON",
    "object_expected": "请求内容应为 JSON 对象",
}


@api.exception_handler(ValidationError)
def schema_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_key(list(error.get("loc", []))), []).append(
            _MESSAGES.get(error.get("type", ""), "格式不正确")
        )
    return api.create_response(request, error_body("invalid", "请求内容有误，请检查标出的字段", fields), status=400)


@csrf_exempt  # no session is involved; a POST to a wrong path gets the 404, not a CSRF page
def unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other path under /api/ answers the error shape too (API.md), not Django's HTML page."""
    return api.create_response(request, error_body("not_found", "没有这个接口，请检查请求的地址"), status=404)


api.add_router("/v1", health.router)
api.add_router("/v1", reference.router)
api.add_router("/v1", accounts.router)
api.add_router("/v1", collection.router)
api.add_router("/v1", materials.router)
api.add_router("/v1", review.router)
api.add_router("/v1", desk.router)
api.add_router("/v1", claims.router)
api.add_router("/v1", claims.staff_router)
api.add_router("/v1", notices.router)

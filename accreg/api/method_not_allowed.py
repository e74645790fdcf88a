"""A known /api/ path asked with a method it does not take answers 405 in the API's error shape
(API.md), with its Allow header, instead of django-ninja's plain-text "Method not allowed"."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from .main import error_body


class JsonMethodNotAllowedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or not request.path.startswith("/api/")
            or "json" in response.get("Content-Type", "")
        ):
            return response
        allowed = response.get("Allow", "")
        message = f"该接口不支持 {request.method} 请求" + (f"，可用：{allowed}" if allowed else "")
        answer = JsonResponse(
            error_body("method_not_allowed", message), status=405, json_dumps_params={"ensure_ascii": False}
        )
        if allowed:
            answer["Allow"] = allowed
        return answer

"""No text in this system may hold a NUL character, and PostgreSQL refuses to store or compare one
(psycopg DataError: a 500). A request that carries one in its path, its query, its form fields or
a JSON body is refused here with 400 before any view reads it. Uploaded files are bytes and pass."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

MESSAGE = "请求中含有不允许的字符（NUL），请检查后重新提交"


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
        return True
    content_type = request.content_type or ""
    if content_type == "application/json":
        return b"\x00" in request.body or b"\\u0000" in request.body
    if request.method == "POST" and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _carries_nul(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            body = {"error": {"code": "invalid", "message": MESSAGE, "fields": {}}}
            return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")

"""What every router shares: the one error shape of API.md as a schema for the OpenAPI document,
the error responses an operation declares, and the base of request bodies that must be objects."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ValidatorFunctionWrapHandler, model_validator
from pydantic_core import PydanticCustomError


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """`{"error": {"code", "message", "fields"}}`: `code` is stable snake_case, `message` is shown
    as written (Chinese), `fields` names every bad field with the request's keys."""

    error: ErrorDetail


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses an operation can give, for its `response={...}` (400 bad input, 401 not
    signed in, 403 not allowed, 404 not found or outside the jurisdiction, 409 conflict, 413 too
    large, 429 too many attempts). Schema errors are 400 `invalid`, never 422 (accreg/api/main.py)."""
    return dict.fromkeys(sorted(statuses), ErrorOut)


def file_response(description: str, media_type: str) -> dict[str, Any]:
    """`openapi_extra` for an operation that answers a file (ninja documents JSON bodies only)."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {200: {"description": description, "content": content}}}


IMAGE_200 = file_response("图片", "image/*")
PDF_200 = file_response("PDF 文件", "application/pdf")


class ObjectIn(Schema):
    """A request body that must be a JSON object. ninja reads a body's fields as attributes, so a
    bare number or string would pass as an object whose fields all take their defaults."""

    @model_validator(mode="wrap")
    @classmethod
    def _an_object(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if not isinstance(value, dict | cls):
            raise PydanticCustomError("object_expected", "the body must be a JSON object")
        return handler(value)

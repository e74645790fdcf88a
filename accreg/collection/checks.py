"""Checking one value against its field's kind; each failure is a Chinese sentence saying how to fix it."""

from __future__ import annotations

import datetime
import re
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from stdnum.cn import uscc

from accreg.codelists.registry import code_list
from accreg.regions.tree import region_node

from .field_specs import Spec


class BadValue(ValueError):
    """The value cannot be used; the message says why, in Chinese."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_value(spec: Spec, value: Any, *, today: datetime.date) -> Any:
    """The value normalised for storage, or BadValue. Blank values are the caller's business."""
    if spec.kind == "text":
        if not isinstance(value, str | int):
            raise BadValue(f"{spec.label}应为文字")
        text = re.sub(r"\s+", " ", str(value)).strip()
        if len(text) > spec.max_length:
            raise BadValue(f"{spec.label}不能超过{spec.max_length}个字")
        return text
    if spec.kind == "code":
        codes = code_list(spec.code_list)
        if str(value) not in codes:
            raise BadValue(f"请从列表中选择{spec.label}")
        return str(value)
    if spec.kind == "date":
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise BadValue(f"{spec.label}应为有效日期（年-月-日）") from exc
        if day > today:
            raise BadValue(f"{spec.label}不能晚于今天")
        if day.year < 1900:
            raise BadValue(f"{spec.label}不正确")
        return day.isoformat()
    if spec.kind == "bool":
        if value in (True, "true", "1", 1, "是"):
            return True
        if value in (False, "false", "0", 0, "否"):
            return False
        raise BadValue(f"请选择{spec.label}")
    if spec.kind in ("count", "rank"):
        try:
            number = int(str(value).strip())
        except ValueError as exc:
            raise BadValue(f"{spec.label}只能填数字") from exc
        if spec.kind == "rank" and number < 1:
            raise BadValue(f"{spec.label}应为正整数，如第1作者填1")
        if number < 0 or number > 80:
            raise BadValue(f"{spec.label}应在0到80之间")
        return number
    if spec.kind == "email":
        try:
            validate_email(str(value).strip())
        except ValidationError as exc:
            raise BadValue("请填写正确的电子邮箱，如 name@example.com") from exc
        return str(value).strip()
    if spec.kind == "credit_code":
        credit_code = re.sub(r"\s", "", str(value)).upper()
        if not uscc.is_valid(credit_code):
            raise BadValue("统一社会信用代码应为18位且校验位正确，请与营业执照核对")
        return credit_code
    if spec.kind == "phone":
        return _phone(str(value))
    if spec.kind == "region":
        code = str(value).strip()
        node = region_node(code)
        if node is None:
            raise BadValue(f"请选择{spec.label}")
        if node.has_children:
            raise BadValue(f"{spec.label}请选到区县")
        return code
    if spec.kind in ("choice", "department"):
        choice = str(value).strip()
        if spec.choices and choice not in spec.choices:
            raise BadValue(f"请选择{spec.label}")
        return choice
    raise AssertionError(f"unknown field kind {spec.kind}")


def _phone(raw: str) -> str:
    """A mobile, or a landline as area code + number (CQ 2.3: 02320000000)."""
    digits = re.sub(r"[\s\-()（）]", "", raw)
    try:
        parsed = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not digits.isdigit() or not phonenumbers.is_valid_number(parsed):
        raise BadValue("单位电话请填手机号码，或区号加号码，如02320000000")
    if not digits.startswith(("0", "1")):
        raise BadValue("固定电话请带区号，如02320000000")
    return digits

"""Checks of ID numbers by type, and of mobile numbers (SPEC §2).

居民身份证 numbers use python-stdnum for the GB 11643 check digit and birth date; the region
part must be a division code that has ever existed, whatever the birth year (see
`_region_ever_existed`). Birth date and gender are derived, never typed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from accreg.errors import DomainError

RESIDENT_ID = "111"  # 居民身份证 (GA/T 2000.156)
HK_MACAO_PERMIT = "516"
TAIWAN_PERMIT = "511"
PASSPORT = "414"
OFFICER_ID = "114"
FOREIGN_PERMANENT_RESIDENT = "553"
HMT_RESIDENCE_PERMIT = "991"  # 港澳台居民居住证: 18 characters with the same check digit as 身份证


@dataclass(frozen=True)
class IdentityFacts:
    id_type: str
    number: str  # normalised: upper case, no spaces
    birth_date: datetime.date | None = None
    gender: str | None = None  # GB/T 2261.1: "1" 男, "2" 女


def _bad(message: str) -> DomainError:
    return DomainError("invalid_id_number", message, fields={"id_number": [message]})


@lru_cache(maxsize=8192)
def _region_ever_existed(prefix: str) -> bool:
    """Whether the first six digits were ever a division code. python-stdnum's own birth-place check
    also demands that the code existed in the birth year (its issue #442), yet a number's region is
    where it was first issued, often years after birth: a person born in 1970 may carry 410105, a
    code from 1983. So only existence is checked here."""
    results = numdb.get("cn/loc").info(prefix)
    return any(props for _part, props in results)


_SPACES = re.compile(r"\s")


def check_resident_id(raw: str, *, today: datetime.date | None = None) -> IdentityFacts:
    number = _SPACES.sub("", raw).upper()
    if len(number) == 15 and number.isdigit():
        raise _bad("这是15位的第一代身份证号码，请填写18位的第二代居民身份证号码")
    if len(number) != 18:
        raise _bad("居民身份证号码应为18位")
    try:
        if not number[:17].isdigit():
            raise InvalidFormat()
        if number[-1] != ric.calc_check_digit(number):
            raise InvalidChecksum()
        # ric.get_birth_date, without its cleaning of a number that is already clean
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except InvalidChecksum as exc:
        raise _bad("身份证号码校验位不正确，请核对后重新填写") from exc
    except (InvalidFormat, InvalidLength) as exc:
        raise _bad("身份证号码前17位应为数字，最后一位为数字或X") from exc
    except ValueError as exc:
        raise _bad("身份证号码中的出生日期不是有效日期") from exc
    if birth_date > (today or datetime.date.today()):
        raise _bad("身份证号码中的出生日期晚于今天")
    if birth_date.year < 1900:
        raise _bad("身份证号码中的出生日期不正确")
    if not _region_ever_existed(number[:6]):
        raise _bad("身份证号码前6位不是有效的行政区划代码")
    gender = "1" if int(number[16]) % 2 else "2"
    return IdentityFacts(RESIDENT_ID, number, birth_date, gender)


# Format checks for the other document types: (pattern, what the message says a number looks like).
_FORMATS: dict[str, tuple[str, str]] = {
    HK_MACAO_PERMIT: (r"[HM]\d{8}(\d{2})?", "港澳居民来往内地通行证号码为H或M开头加8位或10位数字"),
    TAIWAN_PERMIT: (r"\d{8}|\d{10}|[A-Z]\d{9}", "台湾居民来往大陆通行证号码为8位数字（旧版10位）"),
    PASSPORT: (r"[A-Z0-9]{5,17}", "护照号码应为5至17位字母或数字"),
    OFFICER_ID: (r"[\u4e00-\u9fa5A-Z0-9]{4,20}", "军官证号码应为4至20位汉字、字母或数字"),
    FOREIGN_PERMANENT_RESIDENT: (
        r"[A-Z]{3}\d{12}|9\d{16}[0-9X]",
        "外国人永久居留身份证号码应为15位（旧版）或以9开头的18位",
    ),
}


def check_id_number(id_type: str, raw: str, *, today: datetime.date | None = None) -> IdentityFacts:
    """Validate an ID number of any accepted type; raise DomainError naming `id_number` otherwise."""
    if not raw or not raw.strip():
        raise _bad("请填写证件号码")
    if id_type == RESIDENT_ID:
        return check_resident_id(raw, today=today)
    number = re.sub(r"\s", "", raw).upper()
    if id_type == HMT_RESIDENCE_PERMIT:
        if not re.fullmatch(r"8[123]0000\d{11}[0-9X]", number) or number[-1] != ric.calc_check_digit(number):
            raise _bad("港澳台居民居住证号码应为810000、820000或830000开头的18位，且校验位正确")
        birth_date = ric.get_birth_date(number)
        return IdentityFacts(id_type, number, birth_date, "1" if int(number[16]) % 2 else "2")
    if id_type not in _FORMATS:
        msg = "请选择证件类型"
        raise DomainError("invalid_id_type", msg, fields={"id_type": [msg]})
    pattern, message = _FORMATS[id_type]
    if not re.fullmatch(pattern, number):
        raise _bad(message)
    return IdentityFacts(id_type, number)


# libphonenumber's own pattern of mainland mobile numbers. A number it matches in full is what
# `normalise_mobile` would accept anyway (1 followed by 10 digits, none of the carrier prefixes the
# parser strips, no other number type of that length); matching it first spares the parser for
# the usual well-formed number, which matters when an archive of a million rows is imported.
def _mobile_pattern() -> re.Pattern[str]:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    assert metadata is not None and metadata.mobile is not None and metadata.mobile.national_number_pattern
    return re.compile(metadata.mobile.national_number_pattern)


_MOBILE = _mobile_pattern()
_SEPARATORS = re.compile(r"[\s-]")


def normalise_mobile(raw: str) -> str:
    """An 11-digit mainland mobile number, or DomainError naming `mobile`."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if _MOBILE.fullmatch(digits):
        return digits
    try:
        parsed = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        parsed = None
    if (
        parsed is None
        or not re.fullmatch(r"1\d{10}", digits)
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed)
        not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    ):
        msg = "请填写正确的11位手机号码"
        raise DomainError("invalid_mobile", msg, fields={"mobile": [msg]})
    return digits


def check_name(raw: str) -> str:
    """A person's name as on the ID: Chinese characters (with · for many minority names) or Latin letters."""
    name = re.sub(r"\s+", " ", raw or "").strip()
    if not name:
        msg = "请填写姓名"
    elif len(name) > 50:
        msg = "姓名不能超过50个字"
    elif not re.fullmatch(r"[\u4e00-\u9fa5\u3400-\u4dbf·•.A-Za-z \-]+", name):
        msg = "姓名只能包含汉字、字母、空格和间隔号“·”，请与证件上的姓名完全一致"
    else:
        return name.replace("•", "·")
    raise DomainError("invalid_name", msg, fields={"name": [msg]})

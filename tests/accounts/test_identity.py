"""ID numbers, mobiles and names as registration checks them (SPEC §2)."""

import datetime

import phonenumbers
import pytest
from stdnum.cn import ric

from accreg.accounts.identity import check_id_number, check_name, normalise_mobile
from accreg.errors import DomainError
from tests.conftest import valid_id_number


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def id_error(id_type: str, number: str) -> list[str]:
    with pytest.raises(DomainError) as caught:
        check_id_number(id_type, number)
    return caught.value.fields["id_number"]


def test_resident_id_gives_birth_date_and_gender():
    facts = check_id_number("111", valid_id_number(birth="19851203", male=False))

    assert facts.birth_date == datetime.date(1985, 12, 3)
    assert facts.gender == "2"


def test_lower_case_x_check_digit_is_accepted_and_normalised():
    number = next(n for n in (with_check_digit(f"11010519491231{s:03d}") for s in range(200)) if n.endswith("X"))

    assert check_id_number("111", number.lower()).number == number


def test_wrong_check_digit_is_refused():
    number = valid_id_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")

    assert id_error("111", wrong) == ["身份证号码校验位不正确，请核对后重新填写"]


def test_31_february_is_refused_even_with_a_right_check_digit():
    assert id_error("111", with_check_digit("41010519900231001")) == ["身份证号码中的出生日期不是有效日期"]


def test_future_birth_date_is_refused():
    next_year = datetime.date.today().year + 1
    assert id_error("111", with_check_digit(f"410105{next_year}0101001")) == ["身份证号码中的出生日期晚于今天"]


def test_region_that_never_existed_is_refused():
    assert id_error("111", with_check_digit("99999919900307001")) == ["身份证号码前6位不是有效的行政区划代码"]


def test_region_created_after_the_birth_year_is_accepted():
    # 金水区 410105 dates from 1983; a person born in 1970 may carry it (python-stdnum #442).
    facts = check_id_number("111", with_check_digit("41010519700101001"))

    assert facts.birth_date == datetime.date(1970, 1, 1)


def test_retired_region_code_is_accepted():
    # 410181 巩义市 replaced 巩县 (410122) in 1991: a number issued in 巩县 stays valid.
    assert check_id_number("111", with_check_digit("41012219650505001")).number.startswith("410122")


def test_fifteen_digit_number_asks_for_the_eighteen_digit_one():
    assert id_error("111", "410105700101001") == ["这是15位的第一代身份证号码，请填写18位的第二代居民身份证号码"]


def test_letters_inside_the_number_are_refused():
    assert id_error("111", "41010519900307A011") == ["身份证号码前17位应为数字，最后一位为数字或X"]


@pytest.mark.parametrize(
    ("id_type", "good", "bad"),
    [
        ("516", "H12345678", "12345678"),
        ("511", "12345678", "1234"),
        ("414", "E12345678", "E1"),
        ("114", "南字1234567", "12"),
    ],
)
def test_other_documents_get_format_checks(id_type, good, bad):
    assert check_id_number(id_type, good).birth_date is None
    assert id_error(id_type, bad)


def test_unknown_id_type_names_the_type_field():
    with pytest.raises(DomainError) as caught:
        check_id_number("999", "ABC")

    assert caught.value.fields == {"id_type": ["请选择证件类型"]}


@pytest.mark.parametrize("raw", ["13912345678", "139 1234 5678", "+86 139-1234-5678"])
def test_mobile_numbers_are_normalised(raw):
    assert normalise_mobile(raw) == "13912345678"


@pytest.mark.parametrize("raw", ["1391234567", "23912345678", "02320000000", "", "abc"])
def test_bad_mobiles_are_refused(raw):
    with pytest.raises(DomainError) as caught:
        normalise_mobile(raw)

    assert caught.value.fields == {"mobile": ["请填写正确的11位手机号码"]}


def test_a_mobile_is_accepted_exactly_when_libphonenumber_calls_it_a_mainland_mobile():
    # normalise_mobile accepts the usual number without running the parser (a million-row import
    # would spend much of its time there): it must still agree with the parser on every prefix.
    for number in (f"{prefix}{tail}" for prefix in range(1000, 2000) for tail in ("0000000", "5999999", "6000000")):
        parsed = phonenumbers.parse(number, "CN")
        mobile = phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        try:
            accepted = normalise_mobile(number) == number
        except DomainError:
            accepted = False
        assert accepted == mobile, number


def test_minority_names_with_a_middle_dot_are_accepted():
    assert check_name(" 阿依古丽•买买提 ") == "阿依古丽·买买提"


@pytest.mark.parametrize("raw", ["", "张三<script>", "王5"])
def test_bad_names_are_refused(raw):
    with pytest.raises(DomainError):
        check_name(raw)

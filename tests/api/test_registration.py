"""POST /api/v1/accounts: registration with an SMS code, and every way it can go wrong."""

import pytest
from django.db import connection

from accreg.accounts.models import Person, SmsCode
from accreg.audit.models import AuditEvent
from tests.conftest import latest_code, outbox_messages, valid_id_number

pytestmark = pytest.mark.django_db


def form(**changes):
    body = {
        "province": "henan",
        "name": "张伟",
        "id_type": "111",
        "id_number": valid_id_number(),
        "mobile": "13912345678",
        "sms_code": "",
        "password": "kuaiji2026",
    }
    return {**body, **changes}


def with_code(api, body):
    api.post("/api/v1/sms-codes", {"mobile": body["mobile"], "purpose": "register", "province": body["province"]})
    return {**body, "sms_code": latest_code(body["mobile"])}


def test_registering_signs_the_person_in(api):
    body = with_code(api, form(id_number=valid_id_number(birth="19880412", male=False)))

    response = api.post("/api/v1/accounts", body)

    assert response.status_code == 201
    api.token = response.json()["token"]
    me = api.get("/api/v1/me").json()
    assert me == {
        "id": response.json()["id"],
        "name": "张伟",
        "province": "henan",
        "id_type": "111",
        "id_number": body["id_number"][:3] + "*" * 11 + body["id_number"][-4:],
        "mobile": "139****5678",
        "birth_date": "1988-04-12",
        "gender": "2",
        "is_legacy": False,
    }
    assert AuditEvent.objects.filter(action="account.registered", actor=f"person:{me['id']}").exists()


def test_the_code_message_carries_the_provinces_signature(api):
    api.post("/api/v1/sms-codes", {"mobile": "13912345678", "purpose": "register", "province": "chongqing"})

    assert outbox_messages("13912345678")[-1].startswith("【重庆会计之家】您的注册验证码为")


def test_id_number_and_mobile_are_not_stored_in_clear(api):
    body = with_code(api, form())
    api.post("/api/v1/accounts", body)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_person")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert body["id_number"] not in row and body["id_number"][6:14] + body["id_number"][14:] not in row
    assert "13912345678" not in row
    assert Person.objects.get().mobile_masked == "139****5678"


def test_every_bad_field_is_named_at_once(api):
    response = api.post(
        "/api/v1/accounts",
        form(name="", id_number="410105199002310011", mobile="139123", password="abc", sms_code=""),
    )

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "请检查标出的内容",
        "fields": {
            "name": ["请填写姓名"],
            "id_number": ["身份证号码校验位不正确，请核对后重新填写"],
            "mobile": ["请填写正确的11位手机号码"],
            "password": ["密码至少8位", "密码须包含数字"],
            "sms_code": ["请填写短信验证码"],
        },
    }
    assert not Person.objects.exists()


def test_missing_keys_are_400_with_fields_keyed_as_in_the_request(api):
    response = api.post("/api/v1/accounts", {"province": "henan"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["fields"]["id_number"] == ["必填"]


def test_chongqing_forbids_symbols_in_passwords(api):
    response = api.post("/api/v1/accounts", with_code(api, form(province="chongqing", password="kuaiji#2026")))

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"password": ["密码只能由字母或数字组成，不能输入特殊符号"]}


def test_chongqing_accepts_digits_only_but_henan_wants_a_letter(api):
    chongqing = api.post("/api/v1/accounts", with_code(api, form(province="chongqing", password="20262026")))
    henan = api.post(
        "/api/v1/accounts",
        form(id_number=valid_id_number(seq=2), mobile="13700000001", password="20262026", sms_code="123456"),
    )

    assert chongqing.status_code == 201
    assert henan.json()["error"]["fields"] == {"password": ["密码须包含字母"]}


def test_wrong_code_is_refused_and_counts_down(api):
    body = with_code(api, form())
    wrong = "000000" if body["sms_code"] != "000000" else "111111"

    response = api.post("/api/v1/accounts", {**body, "sms_code": wrong})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"sms_code": ["验证码不正确，还可尝试4次"]}
    assert SmsCode.objects.get().failed_attempts == 1


def test_five_wrong_tries_end_the_code(api):
    body = with_code(api, form())
    wrong = "000000" if body["sms_code"] != "000000" else "111111"
    for _ in range(5):
        api.post("/api/v1/accounts", {**body, "sms_code": wrong})

    response = api.post("/api/v1/accounts", body)  # now even the right code

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"sms_code": ["验证码错误次数过多，请重新获取"]}


def test_expired_code_is_refused(api):
    body = with_code(api, form())
    SmsCode.objects.update(expires_at=SmsCode.objects.get().created_at)  # five minutes have passed

    response = api.post("/api/v1/accounts", body)

    assert response.json()["error"]["fields"] == {"sms_code": ["验证码已失效，请重新获取"]}


def test_a_code_works_once(api):
    body = with_code(api, form())
    assert api.post("/api/v1/accounts", body).status_code == 201

    again = api.post("/api/v1/accounts", {**body, "id_number": valid_id_number(seq=5)})

    assert again.status_code == 400
    assert again.json()["error"]["fields"] == {"sms_code": ["验证码已失效，请重新获取"]}


def test_duplicate_id_number_says_what_to_do_without_naming_the_owner(api, register):
    first = register(province="liaoning", name="李娜")

    response = api.post(
        "/api/v1/accounts",
        with_code(api, form(province="liaoning", name="王强", id_number=first["id_number"], mobile="13600000002")),
    )

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "id_number_taken",
        "message": "该证件号码已被占用，请联系当地会计管理部门进行核实处理。",
        "fields": {"id_number": ["该证件号码已被占用，请联系当地会计管理部门进行核实处理。"]},
    }
    assert "李娜" not in response.content.decode()
    assert Person.objects.count() == 1


def test_a_taken_id_number_is_refused_before_the_code_is_sent(api, register):
    first = register(province="liaoning", name="李娜")

    response = api.post(
        "/api/v1/sms-codes",
        {"mobile": "13600000009", "purpose": "register", "province": "liaoning", "id_number": first["id_number"]},
    )

    assert response.status_code == 409 and response.json()["error"]["code"] == "id_number_taken"
    assert response.json()["error"]["fields"]["id_number"] == [
        "该证件号码已被占用，请联系当地会计管理部门进行核实处理。"
    ]
    assert outbox_messages("13600000009") == []


def test_duplicate_id_keeps_the_code_for_a_corrected_number(api, register):
    first = register()
    body = with_code(api, form(id_number=first["id_number"], mobile="13600000003"))
    assert api.post("/api/v1/accounts", body).status_code == 409

    corrected = api.post("/api/v1/accounts", {**body, "id_number": valid_id_number(seq=9)})

    assert corrected.status_code == 201


def test_a_mobile_belongs_to_one_id_number(api, register):
    register(mobile="13912345678")

    code_request = api.post("/api/v1/sms-codes", {"mobile": "13912345678", "purpose": "register"})

    assert code_request.status_code == 409
    assert code_request.json()["error"]["code"] == "mobile_taken"


def test_a_mobile_taken_between_code_and_submit_is_refused(api, register):
    body = with_code(api, form(id_number=valid_id_number(seq=3), mobile="13500000004"))
    SmsCode.objects.update(created_at=SmsCode.objects.get().created_at.replace(year=2000))  # cool-down over
    register(mobile="13500000004", id_number=valid_id_number(seq=4))

    response = api.post("/api/v1/accounts", body)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "mobile_taken"


def test_unknown_province_is_named(api):
    response = api.post("/api/v1/accounts", form(province="hainan", sms_code="123456"))

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"province": ["请选择开通的省份门户"]}

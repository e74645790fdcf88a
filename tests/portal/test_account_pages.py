"""The accountant's account pages as a phone browser without JavaScript uses them."""

import re

import pytest

from accreg.accounts.models import Person, SmsCode
from accreg.accounts.people import id_number_of
from tests.conftest import latest_code, outbox_messages, valid_id_number

pytestmark = pytest.mark.django_db


def registration_form(**changes):
    body = {
        "name": "张伟",
        "id_type": "111",
        "id_number": valid_id_number(),
        "mobile": "13912345678",
        "sms_code": "",
        "password": "kuaiji2026",
    }
    return {**body, **changes}


def test_register_page_fits_a_phone_and_shows_the_rules(client):
    page = client.get("/chongqing/register/").content.decode()

    assert 'name="viewport"' in page
    assert "证件号码是您的会计人员信息唯一档案号" in page
    assert "密码至少8位，只能由字母或数字组成，不能输入特殊符号" in page  # CQ 1.2 ③ from the profile
    assert '<option value="111" selected>居民身份证</option>' in page


def test_the_code_button_works_without_javascript_and_keeps_the_form(client):
    form = registration_form()

    page = client.post("/chongqing/register/", {**form, "action": "send_code"}).content.decode()

    assert "验证码已发送，5分钟内有效" in page
    assert f'value="{form["id_number"]}"' in page and 'value="张伟"' in page
    assert "kuaiji2026" not in page  # passwords are never sent back
    assert latest_code("13912345678")


def test_registering_signs_in_and_shows_the_masked_account(client):
    form = registration_form()
    client.post("/chongqing/register/", {**form, "action": "send_code"})

    response = client.post("/chongqing/register/", {**form, "sms_code": latest_code("13912345678")})
    page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302 and response["Location"] == "/chongqing/me/?welcome=1"
    assert "您好，张伟" in page
    assert form["id_number"][:3] + "*" * 11 + form["id_number"][-4:] in page
    assert form["id_number"] not in page
    assert "139****5678" in page


def test_errors_appear_beside_the_fields_and_nothing_typed_is_lost(client):
    form = registration_form(id_number="410105199002310011", password="abc")

    response = client.post("/yunnan/register/", {**form, "sms_code": "123456"})
    page = response.content.decode()

    assert response.status_code == 400
    assert "身份证号码校验位不正确，请核对后重新填写" in page
    assert "密码至少8位；密码须包含数字" in page
    assert 'value="410105199002310011"' in page and 'value="13912345678"' in page
    assert Person.objects.count() == 0


def test_a_taken_id_number_shows_the_provinces_advice_before_a_code_is_sent(client, register):
    first = register(province="yunnan")
    form = registration_form(id_number=first["id_number"], mobile="13600000001")

    page = client.post("/yunnan/register/", {**form, "action": "send_code"}).content.decode()

    assert "该证件号码已被占用，请直接登录；如与本人身份信息不符，请联系当地会计管理部门进行核实处理。" in page
    assert outbox_messages("13600000001") == []  # no text message to wait for, no code to type


def test_login_page_offers_the_provinces_methods(client):
    henan = client.get("/henan/login/").content.decode()
    liaoning = client.get("/liaoning/login/").content.decode()
    yunnan = client.get("/yunnan/login/").content.decode()

    assert "证件号码 + 密码" in henan and "手机号 + 密码" in henan
    assert 'name="name"' in liaoning  # LN 4: 姓名 + 证件号 + 密码
    assert 'alt="图形验证码"' in yunnan and "data:image/png;base64," in yunnan  # YN 3


def test_sign_in_sign_out_and_back(client, register):
    person = register(province="henan")

    signed = client.post(
        "/henan/login/",
        {"method": "id_password", "id_number": person["id_number"], "password": person["password"]},
    )
    me = client.get("/henan/me/")
    out = client.post("/henan/logout/")
    after = client.get("/henan/me/")

    assert signed["Location"] == "/henan/me/" and me.status_code == 200
    assert out["Location"] == "/henan/"
    assert after.status_code == 302 and after["Location"] == "/henan/login/"


def test_wrong_password_keeps_the_id_number_and_says_so(client, register):
    person = register(province="henan")

    page = client.post(
        "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": "wrong2026"}
    ).content.decode()

    assert "证件号码或密码不正确" in page
    assert f'value="{person["id_number"]}"' in page


def test_a_direct_visit_to_sign_out_lands_on_the_account_page(client, register):
    person = register(province="henan")
    client.post(
        "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": person["password"]}
    )

    response = client.get("/henan/logout/")  # a bookmark: nothing changes without the button

    assert response["Location"] == "/henan/me/"
    assert client.get("/henan/me/").status_code == 200


def test_a_person_from_another_province_lands_in_their_own_portal(client, register):
    person = register(province="henan")

    response = client.post(
        "/chongqing/login/",
        {"method": "id_password", "id_number": person["id_number"], "password": person["password"]},
    )

    assert response["Location"] == "/henan/me/"


def test_a_password_reset_ends_the_other_browsers_session(client, register):
    from tests.conftest import CommittingClient

    person = register(province="chongqing", mobile="13300000011")
    other = CommittingClient()
    other.post(
        "/chongqing/login/",
        {"method": "id_password", "id_number": person["id_number"], "password": person["password"]},
    )
    SmsCode.objects.update(created_at=SmsCode.objects.get().created_at.replace(year=2000))
    client.post("/chongqing/password-reset/", {"mobile": "13300000011", "action": "send_code"})

    done = client.post(
        "/chongqing/password-reset/",
        {"mobile": "13300000011", "sms_code": latest_code("13300000011"), "new_password": "new12345"},
    )

    assert "密码已重设" in done.content.decode()
    assert other.get("/chongqing/me/")["Location"] == "/chongqing/login/"


def test_legacy_people_activate_in_two_steps(client, legacy_person):
    person = legacy_person(name="赵云")
    number = id_number_of(person)

    step_two = client.post("/liaoning/activate/", {"step": "1", "name": "赵云", "id_number": number}).content.decode()
    client.post(
        "/liaoning/activate/",
        {"step": "2", "name": "赵云", "id_number": number, "mobile": "13300000012", "action": "send_code"},
    )
    done = client.post(
        "/liaoning/activate/",
        {
            "step": "2",
            "name": "赵云",
            "id_number": number,
            "mobile": "13300000012",
            "sms_code": latest_code("13300000012"),
            "password": "kuaiji2026",
        },
    )

    assert "已找到 赵云 的档案" in step_two
    assert done["Location"] == "/liaoning/me/?welcome=1"
    person.refresh_from_db()
    assert not person.needs_activation


def test_activation_answers_an_unknown_id_number_as_a_wrong_name(client, legacy_person):
    person = legacy_person(name="赵云")

    wrong_name = client.post("/liaoning/activate/", {"step": "1", "name": "赵子龙", "id_number": id_number_of(person)})
    unknown = client.post(
        "/liaoning/activate/", {"step": "1", "name": "赵子龙", "id_number": valid_id_number(region="210102", seq=88)}
    )

    message = "姓名与证件号码不匹配或不在原系统档案中，请核对后重试或联系管理部门"
    assert wrong_name.status_code == unknown.status_code == 400
    assert message in wrong_name.content.decode() and message in unknown.content.decode()
    assert "请直接注册" not in unknown.content.decode()


def test_signing_in_as_a_legacy_person_leads_to_activation(client, legacy_person):
    person = legacy_person(name="赵云")

    response = client.post(
        "/liaoning/login/",
        {
            "method": "name_id_password",
            "name": "赵云",
            "id_number": id_number_of(person),
            "password": "whatever1",
        },
    )

    assert response["Location"] == "/liaoning/activate/?legacy=1"


def test_activation_is_only_where_the_province_offers_it(client):
    assert client.get("/henan/activate/").status_code == 404


def test_a_code_typed_before_an_error_is_kept_and_the_password_asked_again(client):
    form = registration_form(name="")
    client.post("/chongqing/register/", {**form, "action": "send_code"})
    code = latest_code("13912345678")

    page = client.post("/chongqing/register/", {**form, "sms_code": code}).content.decode()

    assert f'value="{code}"' in page
    assert "为安全起见，请重新输入密码" in page


def test_a_wrong_password_is_said_once_on_top_with_the_tries_left(client, register):
    person = register(province="henan")
    for _ in range(2):
        client.post(
            "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": "x1234567"}
        )

    page = client.post(
        "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": "x1234567"}
    ).content.decode()

    assert page.count("证件号码或密码不正确，再错2次账户将锁定15分钟") == 1
    assert "请检查标出的内容" not in page


def test_a_locked_henan_account_can_still_reset_its_password(client, register):
    person = register(province="henan", mobile="13300000031", name="王芳")
    for _ in range(5):
        client.post(
            "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": "x1234567"}
        )
    SmsCode.objects.update(created_at=SmsCode.objects.get().created_at.replace(year=2000))
    client.post("/henan/password-reset/", {"mobile": "13300000031", "action": "send_code"})

    done = client.post(
        "/henan/password-reset/",
        {
            "name": "王芳",
            "id_number": person["id_number"],
            "mobile": "13300000031",
            "sms_code": latest_code("13300000031"),
            "new_password": "xinmima2026",
        },
    )
    signed = client.post(
        "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": "xinmima2026"}
    )

    assert "密码已重设" in done.content.decode()
    assert signed["Location"] == "/henan/me/"


def test_henan_reset_names_every_missing_field_at_once(client):
    page = client.post("/henan/password-reset/", {}).content.decode()

    for message in ("请填写姓名", "请填写证件号码", "请填写正确的11位手机号码", "请填写短信验证码", "请设置新密码"):
        assert message in page


def test_activation_keeps_what_was_typed_at_sign_in_and_no_id_in_the_page(client, legacy_person):
    person = legacy_person(name="赵云")
    number = id_number_of(person)
    client.post(
        "/liaoning/login/", {"method": "name_id_password", "name": "赵云", "id_number": number, "password": "whatever1"}
    )

    step_one = client.get("/liaoning/activate/?legacy=1").content.decode()
    step_two = client.post("/liaoning/activate/", {"step": "1", "name": "赵云", "id_number": number}).content.decode()

    assert f'value="{number}"' in step_one and 'value="赵云"' in step_one
    assert number not in step_two


def test_without_javascript_the_captcha_picture_brings_a_new_one(client):
    first = client.get("/yunnan/login/").content.decode()

    again = client.post(
        "/yunnan/login/", {"method": "id_password", "id_number": "530102199003010011", "action": "new_captcha"}
    ).content.decode()

    key = 'name="captcha_key" value="'
    assert first.split(key)[1][:20] != again.split(key)[1][:20]
    assert 'value="530102199003010011"' in again


def test_a_wrong_captcha_keeps_the_password_and_asks_only_for_the_new_picture(client):
    first = client.get("/yunnan/login/").content.decode()
    key = first.split('name="captcha_key" value="')[1].split('"')[0]
    form = {"method": "id_password", "id_number": "530102199003010011", "password": "kuaiji2026"}

    again = client.post("/yunnan/login/", {**form, "captcha_key": key, "captcha": "ZZZZ"}).content.decode()

    assert "图形验证码不正确，请重新输入" in again
    assert re.search(r'name="password" type="password"\s+value="kuaiji2026"', again)
    assert "为安全起见，请重新输入密码" not in again


def test_a_wrong_password_still_has_to_be_typed_again(client, register):
    person = register(province="henan")

    again = client.post(
        "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": "wrong2026"}
    ).content.decode()

    assert "wrong2026" not in again and "为安全起见，请重新输入密码" in again


def test_the_captcha_alphabet_has_no_look_alikes():
    from accreg.accounts.captchas import ALPHABET, LOOK_ALIKES

    for group in LOOK_ALIKES:
        assert sum(c in ALPHABET for c in group) <= 1, group
    assert not {"E", "F"} <= set(ALPHABET) and not {"8", "B"} <= set(ALPHABET) and not {"5", "S"} <= set(ALPHABET)


def test_enter_submits_the_form_not_the_code_button(client):
    page = client.get("/chongqing/register/").content.decode()
    form = page.split('<form method="post"')[1]

    assert form.index('class="visually-hidden"') < form.index('value="send_code"')


def test_an_expired_form_gets_a_chinese_page():
    from tests.conftest import CommittingClient

    strict = CommittingClient(enforce_csrf_checks=True)

    response = strict.post("/henan/login/", {"method": "id_password"})

    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_the_account_page_shows_the_collection_progress_in_province_order(client, register):
    person = register(province="henan")
    client.post(
        "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": person["password"]}
    )

    page = client.get("/henan/me/").content.decode()

    assert "必填步骤已完成 0 / 6" in page  # HN: 11 steps, five of them optional lists and sections
    assert page.count("选填") == 5
    assert page.index("第1步 阅读须知") < page.index("第2步 个人信息") < page.index("第5步 专业技术资格信息")

"""修改密码 and 更换手机号 (issue 15 item 5), over the API and on the account page."""

from __future__ import annotations

import pytest

from accreg.accounts.models import Person
from accreg.audit.models import AuditEvent
from tests.conftest import Api, CommittingClient, latest_code, outbox_messages, valid_id_number

from .conftest import after_cooldown

pytestmark = pytest.mark.django_db
NEW_MOBILE = "13811112222"


def sign_in(api, mobile: str, password: str):  # type: ignore[no-untyped-def]
    return api.post("/api/v1/sessions", {"method": "mobile_password", "mobile": mobile, "password": password})


def test_changing_the_password_ends_the_other_tokens_only(api, register):
    person = register()
    here, elsewhere = Api(person["token"]), Api(sign_in(api, person["mobile"], person["password"]).json()["token"])

    changed = here.post("/api/v1/me/password", {"old_password": "kuaiji2026", "new_password": "xinmima2027"})

    assert changed.status_code == 200
    assert here.get("/api/v1/me").status_code == 200
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert sign_in(api, person["mobile"], "kuaiji2026").status_code == 400
    assert sign_in(api, person["mobile"], "xinmima2027").status_code == 201
    assert AuditEvent.objects.filter(action="password.changed", actor=f"person:{person['id']}").exists()


def test_a_wrong_old_password_is_refused_and_counted(api, register):
    person = Api(register()["token"])

    wrong = person.post("/api/v1/me/password", {"old_password": "cuowu2026", "new_password": "xinmima2027"})
    weak = person.post("/api/v1/me/password", {"old_password": "kuaiji2026", "new_password": "short"})

    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"]["old_password"][0].startswith("原密码不正确")
    assert weak.status_code == 400 and "new_password" in weak.json()["error"]["fields"]
    assert AuditEvent.objects.filter(action="password.change_failed").count() == 1


def test_wrong_old_passwords_lock_the_account_as_at_sign_in(api, register):
    person = register()
    client = Api(person["token"])
    body = {"old_password": "cuowu2026", "new_password": "xinmima2027"}

    answers = [client.post("/api/v1/me/password", body) for _ in range(6)]
    right = client.post("/api/v1/me/password", {"old_password": "kuaiji2026", "new_password": "xinmima2027"})

    assert [a.status_code for a in answers] == [400, 400, 400, 400, 400, 429]
    assert "再错1次账户将锁定15分钟" in answers[3].json()["error"]["message"]
    assert right.status_code == 429 and right.json()["error"]["code"] == "account_locked"
    assert sign_in(api, person["mobile"], "kuaiji2026").status_code == 429


def test_the_password_endpoints_need_a_person(api):
    assert api.post("/api/v1/me/password", {"old_password": "a", "new_password": "b"}).status_code == 401
    assert api.post("/api/v1/me/mobile", {"mobile": NEW_MOBILE, "sms_code": "123456"}).status_code == 401


def test_changing_the_mobile_binds_the_new_number_and_tells_the_old(api, register):
    person = register()
    client = Api(person["token"])
    assert api.post("/api/v1/sms-codes", {"mobile": NEW_MOBILE, "purpose": "bind"}).status_code == 202

    changed = client.post("/api/v1/me/mobile", {"mobile": NEW_MOBILE, "sms_code": latest_code(NEW_MOBILE)})

    assert changed.status_code == 200
    assert changed.json() == {"status": "mobile_changed", "mobile": "138****2222"}
    assert client.get("/api/v1/me").json()["mobile"] == "138****2222"
    assert "已将绑定手机号更换为138****2222" in outbox_messages(person["mobile"])[-1]
    assert sign_in(api, NEW_MOBILE, person["password"]).status_code == 201
    assert sign_in(api, person["mobile"], person["password"]).status_code == 400
    assert AuditEvent.objects.filter(action="mobile.changed").exists()


def test_a_mobile_of_another_person_is_a_conflict(api, register):
    first = register()
    register(mobile=NEW_MOBILE, id_number=valid_id_number(seq=9))

    taken = Api(first["token"]).post("/api/v1/me/mobile", {"mobile": NEW_MOBILE, "sms_code": "123456"})

    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "mobile_taken"
    assert taken.json()["error"]["fields"]["mobile"]
    assert Person.objects.get(pk=first["id"]).mobile_masked == "139****5678"


def test_a_wrong_code_keeps_the_old_mobile(api, register):
    person = register()
    api.post("/api/v1/sms-codes", {"mobile": NEW_MOBILE, "purpose": "bind"})

    wrong = Api(person["token"]).post("/api/v1/me/mobile", {"mobile": NEW_MOBILE, "sms_code": "000000"})

    assert wrong.status_code == 400 and "sms_code" in wrong.json()["error"]["fields"]
    assert Person.objects.get(pk=person["id"]).mobile_masked == "139****5678"


def browser_for(person: dict) -> CommittingClient:
    client = CommittingClient()
    response = client.post(
        "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": person["password"]}
    )
    assert response.status_code == 302
    return client


def test_the_account_page_links_both_changes(register):
    page = browser_for(register()).get("/henan/me/").content.decode()

    assert 'href="/henan/me/password/">修改密码</a>' in page
    assert 'href="/henan/me/mobile/">更换手机号</a>' in page


def test_the_password_page_keeps_this_browser_and_ends_the_others(register):
    person = register()
    here, other = browser_for(person), browser_for(person)

    changed = here.post("/henan/me/password/", {"old_password": "kuaiji2026", "new_password": "xinmima2027"})

    assert changed["Location"] == "/henan/me/?changed=password"
    assert "密码已修改，其他设备上的登录已退出。" in here.get(changed["Location"]).content.decode()
    assert other.get("/henan/me/")["Location"] == "/henan/login/"
    assert Api(person["token"]).get("/api/v1/me").status_code == 401


def test_the_password_page_says_what_is_wrong_beside_the_field(register):
    here = browser_for(register())

    wrong = here.post("/henan/me/password/", {"old_password": "cuowu2026", "new_password": "xinmima2027"})

    page = wrong.content.decode()
    assert wrong.status_code == 400
    assert "原密码不正确" in page and "为安全起见，请重新输入密码" in page
    assert "xinmima2027" not in page  # a password is never sent back


def test_the_mobile_page_keeps_the_typed_number_and_refuses_a_taken_one(register):
    person = register()
    register(mobile=NEW_MOBILE, id_number=valid_id_number(seq=9))
    here = browser_for(person)

    taken = here.post("/henan/me/mobile/", {"mobile": NEW_MOBILE, "sms_code": "123456"})
    own = here.post("/henan/me/mobile/", {"mobile": person["mobile"], "action": "send_code"})

    assert taken.status_code == 409
    assert f'value="{NEW_MOBILE}"' in taken.content.decode()
    assert "该手机号已绑定其他证件号码" in taken.content.decode()
    assert "这已是您当前绑定的手机号" in own.content.decode()


def test_the_mobile_page_changes_the_number_keeps_this_browser_and_ends_the_others(register):
    person = register()
    here, other = browser_for(person), browser_for(person)
    after_cooldown()
    here.post("/henan/me/mobile/", {"mobile": NEW_MOBILE, "action": "send_code"})

    changed = here.post("/henan/me/mobile/", {"mobile": NEW_MOBILE, "sms_code": latest_code(NEW_MOBILE)})

    assert changed["Location"] == "/henan/me/?changed=mobile"
    assert "手机号已更换为 138****2222" in here.get(changed["Location"]).content.decode()
    assert other.get("/henan/me/")["Location"] == "/henan/login/"  # a browser left on the old number
    assert Api(person["token"]).get("/api/v1/me").status_code == 200  # tokens stay: the password did not change


def test_the_self_service_pages_need_a_signed_in_person(client):
    assert client.get("/henan/me/password/")["Location"] == "/henan/login/"
    assert client.get("/henan/me/mobile/")["Location"] == "/henan/login/"

"""Password reset (mobile + SMS code, HN adds identity verification) and legacy activation."""

import datetime

import pytest

from accreg.accounts.models import Person, SignInFailure, SmsCode
from accreg.accounts.people import id_number_of, mobile_of
from accreg.audit.models import AuditEvent
from tests.conftest import latest_code, valid_id_number

pytestmark = pytest.mark.django_db

MESSAGE = "姓名与证件号码不匹配或不在原系统档案中，请核对后重试或联系管理部门"
NOT_MATCHED = {"code": "name_mismatch", "message": MESSAGE, "fields": {"name": [MESSAGE], "id_number": [MESSAGE]}}


def cool_down() -> None:
    for code in SmsCode.objects.all():
        SmsCode.objects.filter(pk=code.pk).update(created_at=code.created_at - datetime.timedelta(seconds=61))


def reset_code(api, mobile):
    cool_down()
    assert api.post("/api/v1/sms-codes", {"mobile": mobile, "purpose": "reset"}).status_code == 202
    return latest_code(mobile)


def test_reset_sets_the_new_password_and_ends_old_tokens(api, register):
    person = register(province="chongqing", mobile="13300000002", password="old12345")
    old = api.__class__(person["token"])
    code = reset_code(api, "13300000002")

    response = api.post(
        "/api/v1/password-resets", {"mobile": "13300000002", "sms_code": code, "new_password": "new12345"}
    )

    assert response.status_code == 200
    assert old.get("/api/v1/me").status_code == 401
    signed = api.post(
        "/api/v1/sessions",
        {"method": "id_password", "id_number": person["id_number"], "password": "new12345"},
    )
    assert signed.status_code == 201
    assert AuditEvent.objects.filter(action="password.reset").count() == 1


def test_reset_follows_the_provinces_password_policy(api, register):
    register(province="chongqing", mobile="13300000003")
    code = reset_code(api, "13300000003")

    response = api.post(
        "/api/v1/password-resets", {"mobile": "13300000003", "sms_code": code, "new_password": "new#12345"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"new_password": ["密码只能由字母或数字组成，不能输入特殊符号"]}


def test_reset_lifts_the_lock_out(api, register):
    person = register(province="chongqing", mobile="13300000004")
    for _ in range(5):
        api.post(
            "/api/v1/sessions",
            {"method": "id_password", "id_number": person["id_number"], "password": "x1234567"},
        )
    code = reset_code(api, "13300000004")

    api.post("/api/v1/password-resets", {"mobile": "13300000004", "sms_code": code, "new_password": "new12345"})

    assert not SignInFailure.objects.exists()


def test_reset_with_a_wrong_code_changes_nothing(api, register):
    person = register(province="chongqing", mobile="13300000005", password="old12345")
    code = reset_code(api, "13300000005")

    response = api.post(
        "/api/v1/password-resets",
        {
            "mobile": "13300000005",
            "sms_code": "000000" if code != "000000" else "111111",
            "new_password": "new12345",
        },
    )

    assert response.status_code == 400
    signed = api.post(
        "/api/v1/sessions",
        {"method": "id_password", "id_number": person["id_number"], "password": "old12345"},
    )
    assert signed.status_code == 201


def test_henan_reset_needs_identity_verification_first(api, register):
    person = register(province="henan", mobile="13300000006", name="王芳")
    code = reset_code(api, "13300000006")
    body = {"mobile": "13300000006", "sms_code": code, "new_password": "new12345abc"}

    without = api.post("/api/v1/password-resets", body)
    verification = api.post("/api/v1/identity-verifications", {"name": "王芳", "id_number": person["id_number"]})
    with_it = api.post("/api/v1/password-resets", {**body, "verification_id": verification.json()["id"]})

    assert without.status_code == 400
    assert without.json()["error"]["code"] == "identity_verification_required"
    assert verification.status_code == 201 and verification.json()["status"] == "passed"
    assert with_it.status_code == 200


def test_identity_verification_refuses_a_wrong_name(api, register):
    person = register(province="henan", mobile="13300000007", name="王芳")

    response = api.post("/api/v1/identity-verifications", {"name": "王方", "id_number": person["id_number"]})

    assert response.status_code == 400
    assert response.json()["error"] == NOT_MATCHED


def test_legacy_person_is_found_by_name_and_id(api, legacy_person):
    person = legacy_person(name="赵云")

    response = api.post("/api/v1/legacy-activations", {"name": "赵云", "id_number": id_number_of(person)})

    assert response.status_code == 200
    assert response.json() == {
        "status": "found",
        "province": "liaoning",
        "next": ["mobile", "sms_code", "password"],
    }


def test_wrong_name_with_the_right_id_is_refused_and_counted(api, legacy_person):
    person = legacy_person(name="赵云")

    response = api.post("/api/v1/legacy-activations", {"name": "赵子龙", "id_number": id_number_of(person)})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "name_mismatch"
    assert "赵云" not in response.content.decode()
    assert SignInFailure.objects.filter(account_key=f"person:{person.pk}").count() == 1


def test_guessing_names_locks_the_record(api, legacy_person):
    person = legacy_person(name="赵云")
    for guess in ["赵一", "赵二", "赵三", "赵四", "赵五"]:
        api.post("/api/v1/legacy-activations", {"name": guess, "id_number": id_number_of(person)})

    response = api.post("/api/v1/legacy-activations", {"name": "赵云", "id_number": id_number_of(person)})

    assert response.status_code == 429


def test_an_unknown_id_number_and_a_wrong_name_get_the_same_answer(api, legacy_person):
    person = legacy_person(name="赵云")

    wrong_name = api.post("/api/v1/legacy-activations", {"name": "赵子龙", "id_number": id_number_of(person)})
    unknown = api.post("/api/v1/legacy-activations", {"name": "赵子龙", "id_number": valid_id_number(seq=88)})

    assert wrong_name.status_code == unknown.status_code == 400
    assert wrong_name.json() == unknown.json() == {"error": NOT_MATCHED}


def test_guessing_unknown_id_numbers_locks_as_guessing_names_does(api):
    number = valid_id_number(region="210102", seq=88)
    for guess in ["赵一", "赵二", "赵三", "赵四", "赵五"]:
        api.post("/api/v1/legacy-activations", {"name": guess, "id_number": number})

    response = api.post("/api/v1/legacy-activations", {"name": "赵云", "id_number": number})

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "account_locked"


def test_activation_binds_the_mobile_and_sets_the_password(api, legacy_person):
    person = legacy_person(name="赵云")
    api.post("/api/v1/sms-codes", {"mobile": "13300000008", "purpose": "bind", "province": "liaoning"})

    response = api.post(
        "/api/v1/legacy-activations",
        {
            "name": "赵云",
            "id_number": id_number_of(person),
            "mobile": "13300000008",
            "sms_code": latest_code("13300000008"),
            "password": "kuaiji2026",
        },
    )

    assert response.status_code == 201
    person.refresh_from_db()
    assert mobile_of(person) == "13300000008" and not person.needs_activation
    signed = api.post(
        "/api/v1/sessions",
        {
            "method": "name_id_password",
            "name": "赵云",
            "id_number": id_number_of(person),
            "password": "kuaiji2026",
        },
    )
    assert signed.status_code == 201
    again = api.post("/api/v1/legacy-activations", {"name": "赵云", "id_number": id_number_of(person)})
    assert again.status_code == 409


def test_legacy_person_cannot_sign_in_or_register_before_activating(api, legacy_person):
    person = legacy_person(name="赵云")
    number = id_number_of(person)

    signed = api.post(
        "/api/v1/sessions",
        {"method": "name_id_password", "name": "赵云", "id_number": number, "password": "anything1"},
    )
    api.post("/api/v1/sms-codes", {"mobile": "13300000009", "purpose": "register", "province": "liaoning"})
    registered = api.post(
        "/api/v1/accounts",
        {
            "province": "liaoning",
            "name": "赵云",
            "id_type": "111",
            "id_number": number,
            "mobile": "13300000009",
            "sms_code": latest_code("13300000009"),
            "password": "kuaiji2026",
        },
    )

    assert signed.status_code == 409 and signed.json()["error"]["code"] == "legacy_activation_required"
    assert registered.status_code == 409 and registered.json()["error"]["code"] == "legacy_activation_required"
    assert Person.objects.count() == 1


def test_a_legacy_person_can_bind_the_mobile_their_archive_already_holds(api, legacy_person):
    from accreg.accounts.people import set_mobile

    person = legacy_person(name="赵云")
    set_mobile(person, "13300000021")  # the archive came with this mobile
    person.save()

    code_request = api.post("/api/v1/sms-codes", {"mobile": "13300000021", "purpose": "bind"})
    activated = api.post(
        "/api/v1/legacy-activations",
        {
            "name": "赵云",
            "id_number": id_number_of(person),
            "mobile": "13300000021",
            "sms_code": latest_code("13300000021"),
            "password": "kuaiji2026",
        },
    )

    assert code_request.status_code == 202
    assert activated.status_code == 201


def test_someone_elses_archived_mobile_cannot_be_bound_by_a_new_registration(api, legacy_person, register):
    from accreg.accounts.people import set_mobile

    person = legacy_person(name="赵云")
    set_mobile(person, "13300000022")
    person.save()

    response = api.post("/api/v1/sms-codes", {"mobile": "13300000022", "purpose": "register"})

    assert response.status_code == 409


def test_where_there_is_no_activation_page_registering_completes_the_archive(api, legacy_person):
    person = legacy_person(province="henan", name="王芳", id_number=valid_id_number(seq=61))
    api.post("/api/v1/sms-codes", {"mobile": "13300000023", "purpose": "register", "province": "henan"})

    activation = api.post("/api/v1/legacy-activations", {"name": "王芳", "id_number": id_number_of(person)})
    registered = api.post(
        "/api/v1/accounts",
        {
            "province": "henan",
            "name": "王芳",
            "id_type": "111",
            "id_number": id_number_of(person),
            "mobile": "13300000023",
            "sms_code": latest_code("13300000023"),
            "password": "kuaiji2026",
        },
    )

    assert activation.status_code == 409 and activation.json()["error"]["code"] == "register_instead"
    assert registered.status_code == 201 and registered.json()["id"] == person.pk
    person.refresh_from_db()
    assert not person.needs_activation and Person.objects.count() == 1


def test_registering_over_an_archive_with_another_name_is_refused(api, legacy_person):
    person = legacy_person(province="henan", name="王芳", id_number=valid_id_number(seq=62))
    api.post("/api/v1/sms-codes", {"mobile": "13300000024", "purpose": "register", "province": "henan"})

    response = api.post(
        "/api/v1/accounts",
        {
            "province": "henan",
            "name": "王方",
            "id_type": "111",
            "id_number": id_number_of(person),
            "mobile": "13300000024",
            "sms_code": latest_code("13300000024"),
            "password": "kuaiji2026",
        },
    )

    assert response.status_code == 409 and response.json()["error"]["code"] == "id_number_taken"


def test_a_reset_by_an_archived_person_with_a_mobile_activates_them(api, legacy_person):
    from accreg.accounts.people import set_mobile

    person = legacy_person(province="liaoning", name="赵云")
    set_mobile(person, "13300000025")
    person.save()
    code = reset_code(api, "13300000025")

    api.post("/api/v1/password-resets", {"mobile": "13300000025", "sms_code": code, "new_password": "kuaiji2026"})

    person.refresh_from_db()
    assert person.activated_at is not None and person.mobile_verified_at is not None

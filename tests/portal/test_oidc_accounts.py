"""Henan's unified identity platform (HN 2.1-2.2) on the site's side: an identity the provider
verified opens an account here with only the mobile asked for, and a verified name that differs
from the account's is told to the person and shown to staff. The provider's own leg (OIDC over
HTTP) is in tests/e2e/test_oidc.py; here the verified identity is what the callback leaves."""

import pytest
from django.contrib.auth.hashers import make_password

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.oidc import VerifiedIdentity, sign_in_verified
from accreg.accounts.people import NAME_MISMATCH, id_number_of, mobile_of, set_identity
from accreg.audit.models import AuditEvent
from accreg.portal.account_views import OIDC_IDENTITY
from tests.conftest import CommittingClient, latest_code, outbox_messages, valid_id_number
from tests.review.conftest import make_submission

pytestmark = pytest.mark.django_db

MOBILE = "13912346677"


def arrived_from_provider(name: str, id_number: str) -> CommittingClient:
    """A browser back from the provider with an identity that has no account yet, as the callback
    leaves it: the verified identity sealed in the session."""
    browser = CommittingClient()
    session = browser.session
    session[OIDC_IDENTITY] = VerifiedIdentity("henan", name, "111", id_number).sealed()
    session.save()
    return browser


def henan_person(name: str, id_number: str) -> Person:
    person = Person(province="henan", name=name, password=make_password("kuaiji2026"))
    set_identity(person, check_id_number("111", id_number))
    person.save()
    return person


def test_the_page_shows_the_verified_identity_and_asks_only_for_the_mobile():
    number = valid_id_number(seq=81)
    browser = arrived_from_provider("李雷", number)

    page = browser.get("/henan/oidc/complete/").content.decode()

    assert "完成账户开通" in page
    assert "李雷" in page and number[:3] + "*" * 11 + number[-4:] in page
    assert number not in page  # masked, and nowhere in the page to be changed
    assert 'name="mobile"' in page and 'name="sms_code"' in page and 'data-sms-purpose="register"' in page
    assert 'name="name"' not in page and 'name="id_number"' not in page and 'type="password"' not in page


def test_the_verified_identity_and_a_verified_mobile_open_the_account():
    number = valid_id_number(seq=82)
    browser = arrived_from_provider("李雷", number)
    sent = browser.post("/henan/oidc/complete/", {"mobile": MOBILE, "action": "send_code"}).content.decode()

    done = browser.post("/henan/oidc/complete/", {"mobile": MOBILE, "sms_code": latest_code(MOBILE)})

    assert "验证码已发送，5分钟内有效" in sent and f'value="{MOBILE}"' in sent
    assert done.status_code == 302 and done["Location"] == "/henan/me/?welcome=1"
    person = Person.objects.get()
    assert (person.province, person.name, person.id_type) == ("henan", "李雷", "111")
    assert id_number_of(person) == number and mobile_of(person) == MOBILE
    assert person.mobile_verified_at and not person.has_password and not person.name_mismatch
    me = browser.get(done["Location"]).content.decode()
    assert "您好，李雷" in me and "账户已就绪" in me and "139****6677" in me
    assert "您的账户未设置密码，请通过统一身份认证登录" in me
    registered = AuditEvent.objects.get(action="account.registered")
    assert registered.actor == f"person:{person.pk}" and registered.details["via"] == "oidc"
    assert number not in str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert browser.get("/henan/oidc/complete/").status_code == 400  # the identity is used up


def test_a_mobile_of_another_account_is_refused_and_kept(register):
    register(province="henan", mobile=MOBILE, id_number=valid_id_number(seq=83))
    browser = arrived_from_provider("李雷", valid_id_number(seq=84))
    texts = len(outbox_messages(MOBILE))

    response = browser.post("/henan/oidc/complete/", {"mobile": MOBILE, "action": "send_code"})
    page = response.content.decode()

    assert response.status_code == 409
    assert "该手机号已绑定其他证件号码" in page and f'value="{MOBILE}"' in page
    assert len(outbox_messages(MOBILE)) == texts  # no code sent
    assert "李雷" in page  # still the same page, identity and all
    assert Person.objects.count() == 1


def test_a_wrong_code_is_said_beside_it_and_nothing_is_created():
    browser = arrived_from_provider("李雷", valid_id_number(seq=85))
    browser.post("/henan/oidc/complete/", {"mobile": MOBILE, "action": "send_code"})
    wrong = "000000" if latest_code(MOBILE) != "000000" else "111111"

    response = browser.post("/henan/oidc/complete/", {"mobile": MOBILE, "sms_code": wrong})
    page = response.content.decode()

    assert response.status_code == 400 and "验证码" in page and 'id="f-sms_code"' in page
    assert f'value="{MOBILE}"' in page and f'value="{wrong}"' in page
    assert Person.objects.count() == 0


def test_a_bad_mobile_and_a_missing_code_are_both_said():
    browser = arrived_from_provider("李雷", valid_id_number(seq=86))

    page = browser.post("/henan/oidc/complete/", {"mobile": "1391234", "sms_code": ""}).content.decode()

    assert "请填写短信验证码" in page and "手机号" in page and 'value="1391234"' in page


def test_an_id_number_registered_meanwhile_just_signs_in():
    number = valid_id_number(seq=87)
    browser = arrived_from_provider("韩梅梅", number)
    browser.post("/henan/oidc/complete/", {"mobile": MOBILE, "action": "send_code"})
    someone = henan_person("韩梅梅", number)  # opened in another tab

    done = browser.post("/henan/oidc/complete/", {"mobile": MOBILE, "sms_code": latest_code(MOBILE)})

    assert done.status_code == 302 and "您好，韩梅梅" in browser.get("/henan/me/").content.decode()
    assert list(Person.objects.all()) == [someone]


def test_without_a_verified_identity_the_page_sends_back_to_sign_in():
    page = CommittingClient().get("/henan/oidc/complete/").content.decode()

    assert "统一身份认证的核验结果已过期，请重新点击“统一身份认证登录”" in page
    assert 'href="/henan/oidc/start/"' in page


def test_henan_registration_points_to_the_unified_identity_platform(settings):
    browser = CommittingClient()

    page = browser.get("/henan/register/").content.decode()
    posted = browser.post(
        "/henan/register/",
        {"name": "张伟", "id_type": "111", "id_number": valid_id_number(seq=88), "mobile": MOBILE, "password": "x"},
    )

    assert "河南政务服务网统一身份认证平台" in page and 'href="/henan/oidc/start/"' in page
    assert 'name="id_number"' not in page and 'name="password"' not in page
    assert posted.status_code == 200 and Person.objects.count() == 0
    assert 'name="id_number"' in browser.get("/chongqing/register/").content.decode()  # its own form stays
    settings.DEV_IDP_ENABLED = False  # no provider configured: nobody is locked out, the form stays
    assert 'name="id_number"' in browser.get("/henan/register/").content.decode()


def test_another_verified_name_signs_in_and_is_told_and_flagged():
    number = valid_id_number(seq=89)
    person = henan_person("王方", number)

    signed_in = sign_in_verified(VerifiedIdentity("henan", "王芳", "111", number), ip="10.0.0.8")

    assert signed_in == person
    person.refresh_from_db()
    assert person.name == "王方" and person.verified_name == "王芳" and person.name_mismatch
    assert list(Person.objects.filter(NAME_MISMATCH)) == [person]
    event = AuditEvent.objects.get(action="identity.name_mismatch")
    assert event.target == f"person:{person.pk}"
    assert event.details["verified_name"] == "王芳" and event.details["account_name"] == "王方"
    me = _signed_in_page(person)
    assert "统一身份认证平台核验的姓名为“王芳”，与本平台登记的姓名“王方”不一致，请联系会计管理部门更正" in me


def test_the_same_verified_name_raises_nothing():
    number = valid_id_number(seq=90)
    person = henan_person("王芳", number)

    sign_in_verified(VerifiedIdentity("henan", "王芳", "111", number), ip=None)

    person.refresh_from_db()
    assert person.verified_name == "王芳" and not person.name_mismatch
    assert not Person.objects.filter(NAME_MISMATCH).exists()
    assert not AuditEvent.objects.filter(action="identity.name_mismatch").exists()
    assert "不一致" not in _signed_in_page(person)


def test_the_reviewer_sees_the_mismatch_on_the_submission(make_staff):
    submission = make_submission("410105", name="王方")
    person = submission.record.person
    sign_in_verified(VerifiedIdentity("henan", "王芳", "111", id_number_of(person)), ip=None)
    console = CommittingClient()
    console.force_login(make_staff("reviewer", "410105"))

    page = console.get(f"/review/submissions/{submission.pk}/").content.decode()

    assert "姓名与统一身份认证不一致" in page
    assert "统一身份认证平台核验的姓名为“王芳”，本平台登记的姓名为“王方”" in page


def test_a_corrected_name_clears_the_flag():
    number = valid_id_number(seq=91)
    person = henan_person("王方", number)
    sign_in_verified(VerifiedIdentity("henan", "王芳", "111", number), ip=None)

    Person.objects.filter(pk=person.pk).update(name="王芳")

    assert not Person.objects.filter(NAME_MISMATCH).exists()
    assert not Person.objects.get(pk=person.pk).name_mismatch


def _signed_in_page(person: Person) -> str:
    from accreg.accounts.middleware import FINGERPRINT_KEY, SESSION_KEY, _fingerprint

    person.refresh_from_db()
    browser = CommittingClient()
    session = browser.session
    session[SESSION_KEY] = person.pk
    session[FINGERPRINT_KEY] = _fingerprint(person)
    session.save()
    return browser.get(f"/{person.province}/me/").content.decode()


def test_the_desk_marks_the_person_and_lists_the_event(make_staff):
    submission = make_submission("410105", name="王方")
    person = submission.record.person
    Person.objects.filter(pk=person.pk).update(department_id="410105")
    sign_in_verified(VerifiedIdentity("henan", "王芳", "111", id_number_of(person)), ip=None)
    console = CommittingClient()
    console.force_login(make_staff("desk", "410105"))

    found = console.get("/review/people/?q=王").content.decode()
    page = console.get(f"/review/people/{person.pk}/").content.decode()

    assert "姓名不一致" in found
    assert "统一身份认证平台核验的姓名为“王芳”，本平台登记的姓名为“王方”" in page
    assert "平台核验：王芳，登记：王方" in page  # the history's line for the audit event

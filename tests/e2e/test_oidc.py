"""Henan's unified identity sign-in (HN 2.2) over real OpenID Connect: the development provider
runs on a live server, and the code exchange, discovery and key fetch go over HTTP."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.hashers import make_password

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity
from tests.conftest import CommittingClient, valid_id_number

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(live_server, settings):  # type: ignore[no-untyped-def]
    settings.DEV_IDP_BASE_URL = f"{live_server.url}/dev-idp"
    return live_server


def person(name: str, number: str) -> Person:
    someone = Person(province="henan", name=name, password=make_password("kuaiji2026"))
    set_identity(someone, check_id_number("111", number))
    someone.save()
    return someone


def through_provider(client, name: str, id_number: str, *, tamper_state: bool = False):  # type: ignore[no-untyped-def]
    start = client.get("/henan/oidc/start/")
    assert start.status_code == 302
    authorize = urlparse(start["Location"])
    params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    consent = client.post(authorize.path, {**params, "name": name, "id_number": id_number})
    back = urlparse(consent["Location"])
    query = back.query.replace("state=", "state=x") if tamper_state else back.query
    return client.get(f"{back.path}?{query}")


def test_the_provider_vouches_and_the_account_signs_in(provider):
    number = valid_id_number(seq=71)
    person("王芳", number)
    client = CommittingClient()

    done = through_provider(client, "王芳", number)

    assert done.status_code == 302 and done["Location"] == "/henan/me/"
    assert "您好，王芳" in client.get("/henan/me/").content.decode()


def test_an_identity_without_an_account_is_asked_to_register(provider):
    page = through_provider(CommittingClient(), "李雷", valid_id_number(seq=72)).content.decode()

    assert "尚未找到您的会计人员账户，请先注册后再使用统一身份认证登录" in page


def test_a_forged_state_is_refused(provider):
    number = valid_id_number(seq=73)
    person("韩梅梅", number)
    client = CommittingClient()

    page = through_provider(client, "韩梅梅", number, tamper_state=True)

    assert "统一身份认证未能完成" in page.content.decode()
    assert client.get("/henan/me/").status_code == 302  # not signed in


def test_the_login_page_offers_the_provider_only_where_the_province_uses_one(provider):
    client = CommittingClient()

    assert "跳转至河南政务服务网统一身份认证平台" in client.get("/henan/login/").content.decode()
    assert "统一身份认证" not in client.get("/liaoning/login/").content.decode()

"""The claimant's pages: the offer on the registration page when the ID number is taken, the claim
form keeping what was typed, and 申诉进度查询 with the reason or the password step."""

from __future__ import annotations

import pytest

from accreg.claims.models import IdClaim
from tests.conftest import CommittingClient, latest_code

from .conftest import CLAIMANT_MOBILE, after_cooldown, photo
from .test_claims_api import decide

pytestmark = pytest.mark.django_db


def test_a_taken_id_number_offers_the_claim_on_the_registration_page(holder):
    client = CommittingClient()
    typed = {"name": "李娜", "id_type": "111", "id_number": holder["id_number"], "mobile": CLAIMANT_MOBILE}

    # Henan registers on the unified platform (HN 2.1); a province that registers by form offers the claim.
    refused = client.post("/chongqing/register/", {**typed, "action": "send_code"})
    page = refused.content.decode()

    assert refused.status_code == 409
    assert "申请找回该证件号码的账户" in page
    assert 'formaction="/chongqing/id-claim/"' in page and "data-claim-offer hidden" not in page


def test_the_offer_is_hidden_until_the_id_number_is_taken(db):
    page = CommittingClient().get("/chongqing/register/").content.decode()

    assert "data-claim-offer hidden" in page


def test_the_claim_page_keeps_what_was_typed_at_registration(holder):
    client = CommittingClient()

    page = client.post(
        "/henan/id-claim/",
        {"action": "prefill", "name": "李娜", "id_type": "111", "id_number": holder["id_number"], "password": "x"},
    ).content.decode()

    assert 'value="李娜"' in page and f'value="{holder["id_number"]}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_claim_page_says_the_holders_own_mobile_before_sending_a_code(holder):
    page = CommittingClient().post(
        "/henan/id-claim/",
        {
            "action": "send_code",
            "name": "李娜",
            "id_type": "111",
            "id_number": holder["id_number"],
            "mobile": "13912345678",
        },
    )

    assert page.status_code == 409
    assert "无需申诉：请直接登录" in page.content.decode()


def file_on_page(client: CommittingClient, holder: dict):  # type: ignore[no-untyped-def]
    typed = {"name": "李娜", "id_type": "111", "id_number": holder["id_number"], "mobile": CLAIMANT_MOBILE}
    after_cooldown()
    client.post("/henan/id-claim/", {**typed, "action": "send_code"})
    return client.post(
        "/henan/id-claim/",
        {
            **typed,
            "sms_code": latest_code(CLAIMANT_MOBILE),
            "statement": "原手机号不是我的",
            "id_card_photo": photo(),
            "holding_photo": photo(seed=9),
        },
    )


def test_filing_on_the_page_shows_the_reference(holder):
    client = CommittingClient()

    filed = file_on_page(client, holder)
    page = client.get(filed["Location"]).content.decode()

    reference = IdClaim.objects.get().reference
    assert filed["Location"] == "/henan/id-claim/status/?filed=1"
    assert f"申诉已提交，受理编号 <strong>{reference}</strong>" in page
    assert "待管理部门核实" in page


def test_a_bad_photo_keeps_the_typed_fields_and_says_so(holder):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = CommittingClient().post(
        "/henan/id-claim/",
        {
            "name": "李娜",
            "id_type": "111",
            "id_number": holder["id_number"],
            "mobile": CLAIMANT_MOBILE,
            "sms_code": "123456",
            "statement": "说明文字",
            "id_card_photo": SimpleUploadedFile("a.jpg", b"junk", "image/jpeg"),
        },
    )
    page = response.content.decode()

    assert response.status_code == 400
    assert "请上传本人手持证件照片" in page
    assert 'value="李娜"' in page and "说明文字" in page and 'value="123456"' in page
    assert "请重新选择两张照片" in page


def test_the_status_page_tells_a_refused_claimant_why(holder, staff_api):
    client = CommittingClient()
    file_on_page(client, holder)
    claim = IdClaim.objects.get()
    decide(staff_api("410105"), claim.pk, "refuse", "手持照片中看不到面部")

    page = (
        CommittingClient()
        .post("/henan/id-claim/status/", {"reference": claim.reference, "mobile": CLAIMANT_MOBILE})
        .content.decode()
    )

    assert "未通过原因：手持照片中看不到面部" in page


def test_an_approved_claimant_sets_the_password_and_is_signed_in(holder, staff_api):
    file_on_page(CommittingClient(), holder)
    claim = IdClaim.objects.get()
    decide(staff_api("410105"), claim.pk, "approve")
    client = CommittingClient()
    lookup = {"reference": claim.reference, "mobile": CLAIMANT_MOBILE}

    found = client.post("/henan/id-claim/status/", lookup).content.decode()
    after_cooldown()
    client.post("/henan/id-claim/status/", {**lookup, "action": "send_code"})
    done = client.post(
        "/henan/id-claim/status/",
        {**lookup, "sms_code": latest_code(CLAIMANT_MOBILE), "new_password": "xinmima2026"},
    )

    assert "设置密码并登录" in found
    assert done["Location"] == "/henan/me/?welcome=1"
    me = client.get("/henan/me/").content.decode()
    assert "137****1111" in me
    signed_in = CommittingClient().post(
        "/henan/login/", {"method": "id_password", "id_number": holder["id_number"], "password": "xinmima2026"}
    )
    assert signed_in.status_code == 302


def test_an_unknown_reference_is_said_beside_the_field(db):
    response = CommittingClient().post(
        "/henan/id-claim/status/", {"reference": "SSAAAAAAAAAA", "mobile": CLAIMANT_MOBILE}
    )

    assert response.status_code == 404
    assert "没有找到该申诉" in response.content.decode()
    assert 'value="SSAAAAAAAAAA"' in response.content.decode()

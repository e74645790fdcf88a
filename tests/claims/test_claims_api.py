"""证件号占用申诉 end to end over the API (issue 15 item 4): filing, the department's decision,
the account passing to the claimant, and what each side is told."""

from __future__ import annotations

import pytest

from accreg.accounts.models import Person
from accreg.audit.models import AuditEvent
from accreg.claims.models import IdClaim
from tests.conftest import Api, latest_code, outbox_messages

from .conftest import CLAIMANT_MOBILE, after_cooldown, claim_body

pytestmark = pytest.mark.django_db


def decide(staff: Api, claim_id: int, decision: str, reason: str = ""):  # type: ignore[no-untyped-def]
    version = staff.get(f"/api/v1/review/id-claims/{claim_id}").json()["version"]
    return staff.post(
        f"/api/v1/review/id-claims/{claim_id}/decision", {"decision": decision, "version": version, "reason": reason}
    )


def test_an_approved_claim_hands_the_account_to_the_claimant(api, holder, file_claim, staff_api):
    old_token = Api(holder["token"])
    assert old_token.get("/api/v1/me").status_code == 200
    filed = file_claim()
    staff = staff_api("410105")
    claim_id = staff.get("/api/v1/review/id-claims").json()[0]["id"]

    decided = decide(staff, claim_id, "approve")

    assert decided.status_code == 200
    assert decided.json()["status"] == "approved"
    assert decided.json()["account"]["mobile"] == "139****5678"  # as it was, kept as evidence
    assert old_token.get("/api/v1/me").status_code == 401
    person = Person.objects.get(pk=holder["id"])
    assert person.mobile_masked == "137****1111" and person.password == "" and person.name == "张伟"
    assert "已由证件号码本人" in outbox_messages("13912345678")[-1]
    assert f"受理编号{filed['reference']}）已通过" in outbox_messages(CLAIMANT_MOBILE)[-1]
    old_sign_in = api.post(
        "/api/v1/sessions", {"method": "id_password", "id_number": holder["id_number"], "password": "kuaiji2026"}
    )
    assert old_sign_in.status_code == 400
    assert AuditEvent.objects.filter(action="id_claim.approved", target=f"person:{holder['id']}").exists()

    after_cooldown()
    api.post("/api/v1/sms-codes", {"mobile": CLAIMANT_MOBILE, "purpose": "reset"})
    set_password = api.post(
        "/api/v1/id-claims/password",
        {
            "reference": filed["reference"],
            "mobile": CLAIMANT_MOBILE,
            "sms_code": latest_code(CLAIMANT_MOBILE),
            "new_password": "xinmima2026",
        },
    )

    assert set_password.status_code == 201
    assert Api(set_password.json()["token"]).get("/api/v1/me").json()["mobile"] == "137****1111"
    signed_in = api.post(
        "/api/v1/sessions", {"method": "mobile_password", "mobile": CLAIMANT_MOBILE, "password": "xinmima2026"}
    )
    assert signed_in.status_code == 201
    again = api.post(
        "/api/v1/id-claims/password",
        {"reference": filed["reference"], "mobile": CLAIMANT_MOBILE, "sms_code": "123456", "new_password": "abc12345"},
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "password_already_set"


def test_a_refused_claim_tells_the_claimant_why_and_leaves_the_account(api, holder, file_claim, staff_api):
    filed = file_claim()
    staff = staff_api("410100")
    claim_id = staff.get("/api/v1/review/id-claims").json()[0]["id"]

    without_reason = decide(staff, claim_id, "refuse")
    refused = decide(staff, claim_id, "refuse", "手持证件照片看不清证件号码。")

    assert without_reason.status_code == 400
    assert without_reason.json()["error"]["fields"] == {"reason": ["不予通过时请填写原因，申请人将收到该原因"]}
    assert refused.status_code == 200
    status = api.post("/api/v1/id-claims/status", {"reference": filed["reference"], "mobile": CLAIMANT_MOBILE})
    assert status.json()["status"] == "refused"
    assert status.json()["reason"] == "手持证件照片看不清证件号码。"
    assert "未通过，原因：手持证件照片看不清证件号码。" in outbox_messages(CLAIMANT_MOBILE)[-1]
    assert Api(holder["token"]).get("/api/v1/me").status_code == 200
    assert Person.objects.get(pk=holder["id"]).mobile_masked == "139****5678"
    assert AuditEvent.objects.filter(action="id_claim.refused").count() == 1
    assert decide(staff, claim_id, "approve").status_code == 409


def test_a_claim_is_looked_up_by_reference_and_mobile_only(api, file_claim):
    filed = file_claim()

    found = api.post("/api/v1/id-claims/status", {"reference": filed["reference"].lower(), "mobile": CLAIMANT_MOBILE})
    other_mobile = api.post("/api/v1/id-claims/status", {"reference": filed["reference"], "mobile": "13912345678"})

    assert found.status_code == 200 and found.json()["status"] == "pending"
    assert other_mobile.status_code == 404
    assert f"受理编号{filed['reference']}" in outbox_messages(CLAIMANT_MOBILE)[-1]


def test_filing_names_every_missing_field_and_keeps_no_half_claim(api, holder):
    body = claim_body(holder, name="", sms_code="")
    del body["holding_photo"]

    response = api.client.post("/api/v1/id-claims", body)

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"name", "sms_code", "holding_photo"}
    assert response.json()["error"]["fields"]["holding_photo"] == ["请上传本人手持证件照片"]
    assert not IdClaim.objects.exists()


def test_a_picture_that_is_not_an_image_is_refused(file_claim):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = file_claim(expect=400, id_card_photo=SimpleUploadedFile("id.jpg", b"not a picture", "image/jpeg"))

    assert body["error"]["fields"]["id_card_photo"]
    assert not IdClaim.objects.exists()


def test_photos_are_stored_without_their_metadata(api, holder, file_claim, staff_api):
    import io

    from PIL import Image

    from tests.pictures import busy_picture

    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (34, 45, 0)}  # GPS
    out = io.BytesIO()
    busy_picture(900, 600).save(out, "JPEG", exif=exif)
    from django.core.files.uploadedfile import SimpleUploadedFile

    file_claim(id_card_photo=SimpleUploadedFile("id.jpg", out.getvalue(), "image/jpeg"))
    staff = staff_api("410105")
    claim_id = staff.get("/api/v1/review/id-claims").json()[0]["id"]

    served = staff.get(f"/api/v1/review/id-claims/{claim_id}/photos/id_card")

    stored = b"".join(served.streaming_content)
    assert served["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(stored)).getexif() == {}
    assert b"CameraMaker" not in stored


def test_the_claimant_mobile_must_be_free(api, holder, register):
    from tests.conftest import valid_id_number

    register(province="henan", mobile="13600002222", id_number=valid_id_number(seq=5))

    taken = api.client.post("/api/v1/id-claims", claim_body(holder, mobile="13600002222", sms_code="123456"))
    holders_own = api.client.post("/api/v1/id-claims", claim_body(holder, mobile="13912345678", sms_code="123456"))

    assert taken.status_code == 409 and taken.json()["error"]["code"] == "mobile_taken"
    assert holders_own.status_code == 409 and holders_own.json()["error"]["code"] == "own_mobile"
    assert "请直接登录" in holders_own.json()["error"]["fields"]["mobile"][0]
    assert not IdClaim.objects.exists()


def test_an_unregistered_id_number_needs_no_claim(api, holder, file_claim):
    from tests.conftest import valid_id_number

    body = file_claim(expect=409, id_number=valid_id_number(seq=77))

    assert body["error"]["code"] == "id_number_not_taken"


def test_claims_are_limited_per_id_number_and_repeated_claims_refused(api, holder, file_claim):
    first = file_claim(mobile="13700000001")
    repeat = file_claim(mobile="13700000001", expect=409)
    file_claim(mobile="13700000002")
    file_claim(mobile="13700000003")

    fourth = file_claim(mobile="13700000004", expect=429)

    assert first["reference"] in repeat["error"]["message"]
    assert fourth["error"]["message"] == "该证件号码今日提交的申诉已达上限，请明天再试或联系管理部门"
    assert IdClaim.objects.count() == 3


def test_claims_are_limited_per_ip(api, holder, file_claim, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "id-claims": "1/h"}
    file_claim(mobile="13700000001")

    second = file_claim(mobile="13700000002", expect=429)

    assert second["error"]["message"] == "操作过于频繁，请稍后再试"


def test_approval_is_refused_when_the_claimants_mobile_was_taken_meanwhile(
    api, holder, file_claim, staff_api, register
):
    from tests.conftest import valid_id_number

    file_claim()
    after_cooldown()
    register(province="henan", mobile=CLAIMANT_MOBILE, id_number=valid_id_number(seq=31))
    staff = staff_api("410105")
    claim_id = staff.get("/api/v1/review/id-claims").json()[0]["id"]

    approved = decide(staff, claim_id, "approve")

    assert approved.status_code == 409 and approved.json()["error"]["code"] == "mobile_taken"
    assert IdClaim.objects.get().status == "pending"
    assert Api(holder["token"]).get("/api/v1/me").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_one_decision_stands(reference_data, file_claim, staff_api):
    import threading

    from django.db import connection

    file_claim()
    claim = IdClaim.objects.get()
    clients = [staff_api("410105"), staff_api("410100")]
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def act(client: Api, body: dict) -> None:
        barrier.wait()
        try:
            answers.append(client.post(f"/api/v1/review/id-claims/{claim.pk}/decision", body).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(clients[0], {"decision": "approve", "version": 1})),
        threading.Thread(target=act, args=(clients[1], {"decision": "refuse", "version": 1, "reason": "照片模糊"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(answers) == [200, 409]
    assert AuditEvent.objects.filter(action__in=["id_claim.approved", "id_claim.refused"]).count() == 1
    assert IdClaim.objects.get().version == 2

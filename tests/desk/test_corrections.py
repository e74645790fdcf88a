"""Corrections with evidence (issue 15 item 3): name and ID number need a second staff member of
the same or a higher department (four eyes); ID type and mobile apply at once. New numbers are
checked as at registration, told by SMS, and the old values stay in the correction (sealed)."""

import pytest

from accreg.accounts.models import Person
from accreg.accounts.people import id_number_of, mobile_of
from accreg.accounts.sensitive import decrypt
from accreg.audit.models import AuditEvent
from accreg.desk.models import Correction
from tests.conftest import Api, outbox_messages, valid_id_number

from .conftest import sign_in

pytestmark = pytest.mark.django_db

EVIDENCE = "本人持身份证原件到窗口，注册时证件号码录入错误"


def correct(client, person: dict, field: str, value: str, **extra):  # type: ignore[no-untyped-def]
    body = {"field": field, "value": value, "reason": EVIDENCE, **extra}
    return client.post(f"/api/v1/review/people/{person['id']}/corrections", body)


def decide(client, correction_id: int, decision: str, reason: str = ""):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/review/corrections/{correction_id}/decision", {"decision": decision, "reason": reason})


def test_four_eyes_on_an_id_number_from_request_to_signing_in(api, accountant, desk):
    person = accountant("410105", name="钱多")
    old_number, new_number = person["id_number"], valid_id_number(region="410105", seq=901)
    requester, colleague = desk("410105", "jinshui-a"), desk("410105", "jinshui-b")
    city, county_beside = desk("410100", "zhengzhou"), desk("410105", "jinshui-c")

    requested = correct(requester, person, "id_number", new_number)
    correction_id = requested.json()["id"]

    assert requested.status_code == 201
    assert (requested.json()["state"], requested.json()["new"]) == (
        "pending",
        new_number[:3] + "*" * 11 + new_number[-4:],
    )
    assert sign_in(api, person).status_code == 201  # nothing changed yet
    pending = requester.get("/api/v1/review/corrections").json()
    assert [(c["id"], c["can_approve"], c["own"]) for c in pending] == [(correction_id, False, True)]

    own = decide(requester, correction_id, "approve")
    assert own.status_code == 403
    assert own.json()["error"] == {
        "code": "four_eyes",
        "message": "不能审批自己提出的更正申请：须由本部门或上级部门的另一位工作人员审批",
        "fields": {},
    }
    assert id_number_of(Person.objects.get(pk=person["id"])) == old_number

    approved = decide(colleague, correction_id, "approve")

    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == "applied"
    assert sign_in(api, person, id_number=new_number).status_code == 201
    assert sign_in(api, person, id_number=old_number).json()["error"]["code"] == "invalid_credentials"
    assert decide(city, correction_id, "approve").status_code == 409  # decided once
    assert decide(county_beside, correction_id, "refuse", "晚了").status_code == 409
    stored = Correction.objects.get(pk=correction_id)
    assert decrypt(stored.old_encrypted) == old_number  # the archive keeps what was registered
    assert stored.old_shown == old_number[:3] + "*" * 11 + old_number[-4:]
    assert (stored.requested_by_id, stored.decided_by_id) == (requester.staff.pk, colleague.staff.pk)
    applied = AuditEvent.objects.get(action="desk.correction_applied")
    assert applied.details["old"] == stored.old_shown and applied.details["new"] == stored.new_shown
    assert old_number not in str(applied.details) and new_number not in str(applied.details)
    assert "证件号码已更正为" in outbox_messages(person["mobile"])[-1]


def test_a_lower_department_may_not_approve_a_higher_ones_correction(accountant, desk):
    person = accountant("410105", name="钱多")
    city, county = desk("410100", "zhengzhou-a"), desk("410105", "jinshui-a")
    correction_id = correct(city, person, "name", "钱朵").json()["id"]

    response = decide(county, correction_id, "approve")

    assert response.status_code == 403
    assert (
        response.json()["error"]["message"]
        == "只有申请人所在部门（郑州市财政局）或其上级部门的工作人员可以审批此更正申请"
    )
    assert Person.objects.get(pk=person["id"]).name == "钱多"
    listed = county.get("/api/v1/review/corrections").json()[0]
    assert (listed["can_approve"], listed["why_not"]) == (False, response.json()["error"]["message"])


def test_a_higher_department_approves_a_name_and_the_person_is_told(accountant, desk):
    person = accountant("410105", name="钱多")
    correction_id = correct(desk("410105"), person, "name", "钱朵").json()["id"]

    response = decide(desk("410000", "province"), correction_id, "approve")

    assert response.status_code == 200
    assert Person.objects.get(pk=person["id"]).name == "钱朵"
    assert "姓名已更正为“钱朵”（金水区财政局办理）" in outbox_messages(person["mobile"])[-1]
    rows = desk("410105").get("/api/v1/review/people?q=钱朵").json()
    assert [row["id"] for row in rows] == [person["id"]]


def test_an_id_number_someone_else_has_is_refused_clearly(accountant, desk):
    person, other = accountant("410105"), accountant("410105")

    response = correct(desk("410105"), person, "id_number", other["id_number"])

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "id_number_taken"
    assert list(response.json()["error"]["fields"]) == ["value"]
    assert not Correction.objects.exists()


def test_an_id_number_taken_while_the_correction_waited_is_refused_at_approval(accountant, desk, register):
    person = accountant("410105")
    new_number = valid_id_number(region="410105", seq=902)
    correction_id = correct(desk("410105"), person, "id_number", new_number).json()["id"]
    register(mobile="13699990000", id_number=new_number)  # someone registers it meanwhile

    response = decide(desk("410100"), correction_id, "approve")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "id_number_taken"
    assert Correction.objects.get(pk=correction_id).state == "pending"


def test_a_wrong_id_number_is_checked_as_at_registration(accountant, desk):
    person = accountant("410105")
    wrong = person["id_number"][:-1] + ("0" if person["id_number"][-1] != "0" else "1")

    response = correct(desk("410105"), person, "id_number", wrong)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"value": ["身份证号码校验位不正确，请核对后重新填写"]}


def test_a_mobile_applies_at_once_and_both_numbers_are_told(api, accountant, desk):
    person = accountant("410105", name="孙丽")
    new_mobile = "13655556666"

    response = correct(desk("410105"), person, "mobile", new_mobile)

    assert response.status_code == 201
    assert response.json()["state"] == "applied"
    assert mobile_of(Person.objects.get(pk=person["id"])) == new_mobile
    assert "更正为136****6666，本号码不再用于登录" in outbox_messages(person["mobile"])[-1]
    assert "孙丽，您的会计人员信息采集平台账户已绑定本手机号" in outbox_messages(new_mobile)[-1]
    signed_in = api.post(
        "/api/v1/sessions", {"method": "mobile_password", "mobile": new_mobile, "password": person["password"]}
    )
    assert signed_in.status_code == 201
    assert Api(person["token"]).get("/api/v1/me/record/status").status_code == 401  # the lost phone's session ended


def test_a_corrected_mobile_signs_out_the_browser_left_on_the_old_phone(accountant, desk):
    from tests.conftest import CommittingClient

    person = accountant("410105", name="孙丽")
    lost_phone = CommittingClient()
    signed_in = lost_phone.post(
        "/henan/login/", {"method": "id_password", "id_number": person["id_number"], "password": person["password"]}
    )
    assert signed_in.status_code == 302 and lost_phone.get("/henan/me/").status_code == 200

    correct(desk("410105"), person, "mobile", "13655556666")

    assert lost_phone.get("/henan/me/")["Location"] == "/henan/login/"


def test_a_mobile_someone_else_has_is_refused(accountant, desk):
    person, other = accountant("410105"), accountant("410105")

    response = correct(desk("410105"), person, "mobile", other["mobile"])

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "mobile_taken"


def test_an_id_type_applies_at_once_when_the_number_fits_it(accountant, desk):
    person = accountant("410105")

    fits = correct(desk("410105"), person, "id_type", "114")
    misfit = correct(desk("410105"), person, "id_type", "516")

    assert (fits.status_code, fits.json()["state"]) == (201, "applied")
    assert Person.objects.get(pk=person["id"]).id_type == "114"
    assert misfit.status_code == 400
    assert misfit.json()["error"]["code"] == "id_type_mismatch"


def test_one_pending_correction_per_field(accountant, desk):
    person = accountant("410105", name="钱多")
    correct(desk("410105"), person, "name", "钱朵")

    again = correct(desk("410100"), person, "name", "钱铎")

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "correction_pending"


def test_a_refusal_needs_a_reason_and_leaves_the_person_as_they_were(accountant, desk):
    person = accountant("410105", name="钱多")
    correction_id = correct(desk("410105"), person, "name", "钱朵").json()["id"]
    other = desk("410105", "jinshui-b")

    without = decide(other, correction_id, "refuse")
    refused = decide(other, correction_id, "refuse", "证明材料不足")

    assert without.status_code == 400
    assert refused.status_code == 200
    assert (refused.json()["state"], refused.json()["decision_reason"]) == ("refused", "证明材料不足")
    assert Person.objects.get(pk=person["id"]).name == "钱多"
    assert AuditEvent.objects.get(action="desk.correction_refused").details["reason"] == "证明材料不足"


def test_only_the_requester_withdraws(accountant, desk):
    person = accountant("410105", name="钱多")
    requester = desk("410105")
    correction_id = correct(requester, person, "name", "钱朵").json()["id"]

    by_other = decide(desk("410100"), correction_id, "withdraw", "不需要了")
    by_requester = decide(requester, correction_id, "withdraw", "录入有误，重新申请")

    assert by_other.status_code == 403
    assert (by_requester.status_code, by_requester.json()["state"]) == (200, "withdrawn")
    assert correct(requester, person, "name", "钱铎").status_code == 201  # a new one may follow


def test_a_correction_to_the_same_value_is_refused(accountant, desk):
    person = accountant("410105", name="钱多")

    response = correct(desk("410105"), person, "name", "钱多")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"value": ["与现在的姓名相同，无需更正"]}


def test_after_a_name_correction_the_queue_finds_the_person_by_the_new_name(desk):
    from tests.review.conftest import make_submission

    submission = make_submission("410105", name="钱多")
    person = {"id": submission.record.person_id}
    correction_id = correct(desk("410105"), person, "name", "钱朵").json()["id"]
    decide(desk("410000", "province"), correction_id, "approve")
    reviewer = desk("410105", "jinshui-queue")

    found = reviewer.get("/api/v1/review/submissions?q=钱朵").json()["items"]
    old = reviewer.get("/api/v1/review/submissions?q=钱多").json()["items"]
    detail = reviewer.get(f"/api/v1/review/submissions/{submission.pk}").json()

    assert [item["id"] for item in found] == [submission.pk] and old == []
    assert detail["registration"]["name"] == "钱多"  # what was submitted stays as it was

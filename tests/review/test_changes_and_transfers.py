"""After approval (API "After approval"): a change edits a copy while the archive stays as approved,
is reviewed by the record's department against the archive, and becomes the archive when approved;
a transfer is reviewed by the receiving department and moves the record in one go."""

import pytest
from django.test import override_settings

from accreg.audit.models import AuditEvent
from accreg.collection import counters
from accreg.collection.models import Record, SubmissionCount
from accreg.provinces.loader import clear_caches
from tests.collection.answers import CHONGQING_EMPLOYED_WORK
from tests.collection.test_submission import complete_chongqing_record, put, upload
from tests.conftest import Api, valid_id_number
from tests.review.conftest import approve

pytestmark = pytest.mark.django_db


def test_a_change_before_approval_is_refused(register):
    person_api = Api(register(province="chongqing", id_number=valid_id_number(region="500103"))["token"])
    complete_chongqing_record(person_api)

    before_submit = person_api.post("/api/v1/me/record/changes")
    person_api.post("/api/v1/me/record/submission", {"accept_commitment": True})
    while_pending = person_api.post("/api/v1/me/record/changes")

    assert before_submit.status_code == 409
    assert before_submit.json()["error"]["message"] == "信息审核通过后才能申请变更或调转"
    assert while_pending.status_code == 409


def test_a_change_is_edited_on_a_copy_reviewed_against_the_archive_and_then_becomes_it(approved):
    person_api, staff, person = approved
    archive_id = Record.objects.get(person=person).archive_id

    opened = person_api.post("/api/v1/me/record/changes", {"reason": "换了单位名称"})
    saved = put(person_api, "work", {**CHONGQING_EMPLOYED_WORK, "unit_name": "重庆新名字有限公司"})
    upload(person_api, "photo")
    status = person_api.get("/api/v1/me/record/status").json()
    record = Record.objects.get(person=person)
    still_archived = record.archive.snapshot["sections"]["work"]["unit_name"]
    submitted = person_api.post("/api/v1/me/record/submission", {"accept_commitment": True})
    queue = staff.get("/api/v1/review/submissions?kind=change").json()
    detail = staff.get(f"/api/v1/review/submissions/{submitted.json()['id']}").json()

    assert opened.status_code == 201
    assert saved.status_code == 200
    assert status["status"] == "draft" and status["kind"] == "change"
    assert still_archived == "重庆某某有限公司"
    assert submitted.status_code == 201 and submitted.json()["kind"] == "change"
    assert [(i["kind"], i["unit_name"]) for i in queue["items"]] == [("change", "重庆新名字有限公司")]
    assert detail["compared_with"] == "archive"
    fields = {c["field"]: c for c in detail["changes"]}
    assert (fields["work.unit_name"]["old"], fields["work.unit_name"]["new"]) == (
        "重庆某某有限公司",
        "重庆新名字有限公司",
    )
    photo = fields["material:photo"]
    assert photo["old_url"] == f"/api/v1/review/submissions/{archive_id}/materials/photo?item=0"
    assert photo["new_url"].startswith(f"/api/v1/review/submissions/{submitted.json()['id']}/")
    assert staff.client.get(photo["old_url"], headers=staff._headers()).status_code == 200
    assert len(fields) == 2  # nothing else changed

    assert approve(staff, submitted.json()["id"]).status_code == 200
    record.refresh_from_db()
    assert record.archive_id == submitted.json()["id"]
    assert record.archive.snapshot["sections"]["work"]["unit_name"] == "重庆新名字有限公司"
    assert record.submissions.filter(status="approved").count() == 2  # the old archive kept in the history
    after = person_api.get("/api/v1/me/record/status").json()
    assert (after["status"], after["kind"]) == ("approved", "change")
    assert person_api.post("/api/v1/me/record/changes").status_code == 201  # and another may follow


def test_two_open_changes_are_refused(approved):
    person_api, _staff, _person = approved

    first = person_api.post("/api/v1/me/record/changes")
    second = person_api.post("/api/v1/me/record/changes")
    transfer = person_api.post("/api/v1/me/record/transfers", {"department": "500104", "reason": "工作调动"})

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"]["message"] == "您已有一项信息变更正在办理，办结或撤回后才能再次申请"
    assert transfer.status_code == 409


def test_a_change_cannot_touch_the_id_number_the_name_or_the_department(approved):
    person_api, _staff, person = approved

    with_id = person_api.post("/api/v1/me/record/changes", {"id_number": valid_id_number(region="500103", seq=9)})
    person_api.post("/api/v1/me/record/changes")
    in_section = put(person_api, "personal", {"ethnicity": "01", "id_number": valid_id_number(region="500103", seq=9)})
    other_department = put(
        person_api, "work", {**CHONGQING_EMPLOYED_WORK, "unit_region": "500104", "department": "500104"}
    )

    assert with_id.status_code == 400
    assert with_id.json()["error"]["fields"]["id_number"] == ["证件号码是终身档案号，不能变更"]
    assert in_section.status_code == 400 and "id_number" in in_section.json()["error"]["fields"]
    assert other_department.status_code == 400
    assert other_department.json()["error"]["fields"]["department"] == [
        "信息变更不能更换管理部门；调到其他地区的单位请申请调转"
    ]
    person.refresh_from_db()
    assert person.id_number_masked.endswith(valid_id_number(region="500103")[-4:])


def test_a_returned_change_is_edited_again_or_withdrawn_leaving_the_archive(approved):
    person_api, staff, person = approved
    change = person_api.post("/api/v1/me/record/changes").json()
    put(person_api, "work", {**CHONGQING_EMPLOYED_WORK, "unit_name": "写错的名字"})
    upload(person_api, "photo")
    submitted = person_api.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    version = staff.get(f"/api/v1/review/submissions/{submitted['id']}").json()["version"]
    staff.post(
        f"/api/v1/review/submissions/{submitted['id']}/decision",
        {"decision": "return", "version": version, "reason": "单位名称与营业执照不符"},
    )

    returned = person_api.get("/api/v1/me/record/status").json()
    editable = put(person_api, "work", {**CHONGQING_EMPLOYED_WORK, "unit_name": "又改了"})
    withdrawn = person_api.delete(f"/api/v1/me/record/changes/{change['id']}")
    record = Record.objects.get(person=person)

    assert (returned["status"], returned["kind"], returned["reason"]) == (
        "returned",
        "change",
        "单位名称与营业执照不符",
    )
    assert editable.status_code == 200
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert record.status == "approved"
    assert record.sections["work"]["unit_name"] == "重庆某某有限公司"
    photo = record.materials.get(kind="photo")
    assert photo.file.name == next(m["file"] for m in record.archive.snapshot["materials"] if m["kind"] == "photo")
    assert put(person_api, "work", CHONGQING_EMPLOYED_WORK).status_code == 409  # locked again
    assert person_api.delete(f"/api/v1/me/record/changes/{change['id']}").status_code == 409


def test_a_withdrawn_returned_change_leaves_the_returned_tab(approved):
    person_api, staff, person = approved
    change = person_api.post("/api/v1/me/record/changes").json()
    put(person_api, "work", {**CHONGQING_EMPLOYED_WORK, "unit_name": "写错的名字"})
    submitted = person_api.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    version = staff.get(f"/api/v1/review/submissions/{submitted['id']}").json()["version"]
    staff.post(
        f"/api/v1/review/submissions/{submitted['id']}/decision",
        {"decision": "return", "version": version, "reason": "单位名称与营业执照不符"},
    )
    assert [i["id"] for i in staff.get("/api/v1/review/submissions?status=returned").json()["items"]] == [
        submitted["id"]
    ]

    person_api.delete(f"/api/v1/me/record/changes/{change['id']}")
    returned = staff.get("/api/v1/review/submissions?status=returned").json()
    approved_tab = staff.get("/api/v1/review/submissions?status=approved").json()

    assert returned["items"] == [] and returned["counts"]["returned"] == 0
    assert [i["person"]["name"] for i in approved_tab["items"]] == [person.name]  # the archive, still in force
    assert staff.get(f"/api/v1/review/submissions/{submitted['id']}").status_code == 200  # history stays readable
    kept = set(SubmissionCount.objects.filter(n__gt=0).values_list("department_id", "status", "n"))
    counters.rebuild()
    assert kept == set(SubmissionCount.objects.filter(n__gt=0).values_list("department_id", "status", "n"))


def test_a_transfer_to_the_same_department_or_outside_the_deployment_is_refused(approved, profiles_reset):
    person_api, _staff, _person = approved

    same = person_api.post("/api/v1/me/record/transfers", {"department": "500103", "reason": "工作调动"})
    unknown = person_api.post("/api/v1/me/record/transfers", {"department": "999999", "reason": "工作调动"})
    no_reason = person_api.post("/api/v1/me/record/transfers", {"department": "500104"})
    with override_settings(ACCREG_PROVINCES=["chongqing", "yunnan", "liaoning"]):
        clear_caches()
        outside = person_api.post("/api/v1/me/record/transfers", {"department": "410105", "reason": "工作调动"})

    assert same.status_code == 400
    assert same.json()["error"]["fields"]["department"] == [
        "调入部门与现管理部门相同，无需调转；单位信息有变化请申请信息变更"
    ]
    assert unknown.status_code == 400 and outside.status_code == 400
    assert outside.json()["error"]["fields"]["department"] == ["没有这个管理部门，或该部门不在本平台服务的省份"]
    assert no_reason.json()["error"]["fields"]["reason"] == ["请填写调转原因（如：工作单位变动到外地）"]


def test_a_transfer_is_reviewed_by_the_receiving_department_and_moves_the_record(approved, reviewer):
    person_api, sending, person = approved
    receiving = reviewer("410105")
    first_id = Record.objects.get(person=person).archive_id

    asked = person_api.post("/api/v1/me/record/transfers", {"department": "410105", "reason": "随家属调往郑州工作"})
    status = person_api.get("/api/v1/me/record/status").json()
    incoming = receiving.get("/api/v1/review/submissions?kind=transfer").json()["items"]
    outgoing = sending.get("/api/v1/review/submissions?outgoing=true").json()["items"]
    transfer_id = incoming[0]["id"]
    sending_reads = sending.get(f"/api/v1/review/submissions/{transfer_id}")
    sending_decides = sending.post(
        f"/api/v1/review/submissions/{transfer_id}/decision", {"decision": "approve", "version": 1}
    )

    assert asked.status_code == 201
    assert (status["status"], status["kind"], status["request"]["to"]["code"]) == ("pending", "transfer", "410105")
    assert [i["transfer"]["from"]["code"] for i in incoming] == ["500103"]
    assert [i["id"] for i in outgoing] == [transfer_id]
    assert sending_reads.status_code == 200 and sending_reads.json()["read_only"] is True
    assert sending_decides.status_code == 403
    assert sending_decides.json()["error"]["message"] == "调转由调入部门审核，调出部门只能查看"

    assert approve(receiving, transfer_id).status_code == 200
    record = Record.objects.get(person=person)
    person.refresh_from_db()
    assert (record.department_id, person.department_id, person.province) == ("410105", "410105", "henan")
    assert record.sections["work"]["department"] == "410105"
    # Read by Henan's rules now: Chongqing's 在岗 in an accounting post is Henan's 在会计岗工作.
    assert record.sections["work"]["employment"] == "accounting_post"
    assert record.archive.snapshot["sections"]["work"]["employment"] == "accounting_post"
    assert record.archive_id == transfer_id
    # The old department no longer sees the person anywhere: by URL, in the queue, search or statistics.
    assert sending.get(f"/api/v1/review/submissions/{first_id}").status_code == 404
    assert sending.get(f"/api/v1/review/submissions/{transfer_id}").status_code == 404
    assert sending.get("/api/v1/review/submissions?status=").json()["items"] == []
    assert sending.get("/api/v1/review/submissions?status=&q=重庆某某有限公司").json()["items"] == []
    assert sending.get("/api/v1/review/statistics").json()["total"] == 0
    assert receiving.get(f"/api/v1/review/submissions/{first_id}").status_code == 200
    assert receiving.get("/api/v1/review/statistics").json()["by_status"] == {"approved": 1}
    kept = dict(SubmissionCount.objects.filter(n__gt=0).values_list("department_id", "n"))
    counters.rebuild()
    assert dict(SubmissionCount.objects.filter(n__gt=0).values_list("department_id", "n")) == kept == {"410105": 2}
    events = list(
        AuditEvent.objects.filter(action__in=["transfer.requested", "review.approved"]).values_list("action", flat=True)
    )
    assert events.count("transfer.requested") == 1


def test_a_returned_transfer_leaves_the_archive_where_it_was(approved, reviewer):
    person_api, sending, person = approved
    receiving = reviewer("500104")
    person_api.post("/api/v1/me/record/transfers", {"department": "500104", "reason": "单位搬迁"})
    transfer_id = receiving.get("/api/v1/review/submissions?kind=transfer").json()["items"][0]["id"]

    returned = receiving.post(
        f"/api/v1/review/submissions/{transfer_id}/decision",
        {"decision": "return", "version": 1, "reason": "请提供新单位的在职证明"},
    )
    record = Record.objects.get(person=person)
    status = person_api.get("/api/v1/me/record/status").json()

    assert returned.status_code == 200
    assert (record.status, record.department_id) == ("approved", "500103")
    assert (status["status"], status["kind"], status["reason"]) == ("approved", "transfer", "请提供新单位的在职证明")
    assert sending.get("/api/v1/review/statistics").json()["by_status"] == {"approved": 1}
    assert person_api.post("/api/v1/me/record/changes").status_code == 201  # nothing is left open


def test_after_a_move_to_another_province_its_rules_read_the_record_and_say_what_it_lacks(approved, reviewer):
    from accreg.accounts.middleware import FINGERPRINT_KEY, SESSION_KEY, _fingerprint
    from tests.conftest import CommittingClient

    person_api, _sending, person = approved
    receiving = reviewer("410105")
    person_api.post("/api/v1/me/record/transfers", {"department": "410105", "reason": "随家属调往郑州工作"})
    transfer_id = receiving.get("/api/v1/review/submissions?kind=transfer").json()["items"][0]["id"]
    assert approve(receiving, transfer_id).status_code == 200
    person.refresh_from_db()
    browser = CommittingClient()
    session = browser.session
    session[SESSION_KEY], session[FINGERPRINT_KEY] = person.pk, _fingerprint(person)
    session.save()

    page = browser.get("/henan/archive/").content.decode()
    change = person_api.post("/api/v1/me/record/changes")
    work = person_api.get("/api/v1/me/record").json()["sections"]["work"]
    moved_unit = {k: v for k, v in work.items() if k != "region"}
    moved_unit |= {"unit_region": "410105", "unit_phone": "13800000000"}  # the unit in Henan now
    saved = put(person_api, "work", moved_unit)

    assert "在会计岗工作" in page and "accounting_post" not in page and "employed" not in page
    assert "按河南省的要求，档案还缺少以下信息" in page
    assert change.status_code == 201
    assert saved.status_code == 200, saved.json()  # no "没有这一项" for the old province's code

"""Decisions: approve, or return with reasons and the fields to fix; the person is told by SMS and
sees it on the status; a decision on a stale version is refused naming who decided; every
decision is one audit record."""

import threading

import pytest
from django.db import connection

from accreg.accounts.models import Person
from accreg.audit.models import AuditEvent
from accreg.collection.models import Record, Submission
from tests.conftest import Api, outbox_messages

pytestmark = pytest.mark.django_db


def decide(client: Api, submission: Submission, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/review/submissions/{submission.pk}/decision", {"version": submission.version, **body})


def test_approving_locks_the_record_files_the_person_and_tells_them(submitted, reviewer):
    submission = submitted()
    person = submission.record.person

    response = decide(reviewer("410105"), submission, decision="approve")

    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert response.json()["version"] == submission.version + 1
    assert Record.objects.get(pk=submission.record_id).status == "approved"
    assert Person.objects.get(pk=person.pk).department_id == submission.department_id
    assert outbox_messages(_mobile(person)) == ["【河南省财政厅】您的会计人员信息已由金水区财政局审核通过。"]
    assert AuditEvent.objects.filter(action="review.approved", target=f"submission:{submission.pk}").count() == 1


def _mobile(person: Person) -> str:
    from accreg.accounts.people import mobile_of

    return mobile_of(person)


def test_a_return_needs_a_reason(submitted, reviewer):
    submission = submitted()

    response = decide(reviewer("410105"), submission, decision="return")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["reason"] == ["退回时请选择常用原因或填写退回原因"]
    assert Submission.objects.get(pk=submission.pk).status == "pending"


def test_a_return_points_at_fields_and_the_person_sees_them(submitted, reviewer):
    submission = submitted()
    person = submission.record.person
    body = {
        "decision": "return",
        "reason_codes": ["R01"],
        "reason": "单位名称与公章不一致",
        "fields": [
            {"field": "work.unit_name", "reason": "请按营业执照填写单位全称"},
            {"field": "material:photo", "reason": "请上传白底证件照"},
        ],
    }

    response = decide(reviewer("410105"), submission, **body)
    status = Api(_token_for(person)).get("/api/v1/me/record/status").json()

    assert response.status_code == 200
    assert status["status"] == "returned"
    assert status["reason"] == "照片不符合要求；单位名称与公章不一致"
    assert status["fields"] == [
        {"field": "work.unit_name", "reason": "请按营业执照填写单位全称"},
        {"field": "material:photo", "reason": "请上传白底证件照"},
    ]
    [sms] = outbox_messages(_mobile(person))
    assert "退回" in sms and "照片不符合要求" in sms


def _token_for(person: Person) -> str:
    from accreg.accounts.services.tokens import issue_token

    return issue_token(person=person)


def test_unknown_fields_and_reasons_are_named(submitted, reviewer):
    submission = submitted()
    body = {"decision": "return", "reason_codes": ["X01"], "fields": [{"field": "work.salary", "reason": ""}]}

    errors = decide(reviewer("410105"), submission, **body).json()["error"]["fields"]

    assert errors == {
        "reason_codes": ["没有这个常用退回原因：X01"],
        "reason": ["退回时请选择常用原因或填写退回原因"],
        "fields.0.field": ["没有这一项，请从信息项或材料中选择"],
        "fields.0.reason": ["请写明这一项需要怎样修改"],
    }


def test_a_return_may_flag_only_what_the_persons_province_collects(submitted, reviewer):
    submission = submitted()  # Henan: no work proof among its materials, no papers section
    body = {
        "decision": "return",
        "reason": "材料不全",
        "fields": [
            {"field": "material:work_proof", "reason": "请上传在职证明"},
            {"field": "papers.title", "reason": "请填写论文题目"},
            {"field": "material:photo", "reason": "请上传白底证件照"},
        ],
    }

    response = decide(reviewer("410105"), submission, **body)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "fields.0.field": ["没有这一项，请从信息项或材料中选择"],
        "fields.1.field": ["没有这一项，请从信息项或材料中选择"],
    }
    assert Submission.objects.get(pk=submission.pk).status == "pending"


def test_a_stale_version_is_refused_naming_who_decided_first(submitted, reviewer):
    submission = submitted()
    first, second = reviewer("410105", "zhang"), reviewer("410100", "li")
    decide(first, submission, decision="approve")

    response = decide(second, submission, decision="return", reason="照片模糊")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_version"
    assert "该报送已由zhang于" in response.json()["error"]["message"]
    assert Submission.objects.get(pk=submission.pk).status == "approved"


def test_revealing_the_id_number_is_audited(submitted, reviewer):
    from accreg.accounts.people import id_number_of

    submission = submitted()

    response = reviewer("410105").post(f"/api/v1/review/submissions/{submission.pk}/id-number")

    assert response.json() == {"id_number": id_number_of(submission.record.person)}
    event = AuditEvent.objects.get(action="review.id_revealed")
    assert event.target == f"person:{submission.record.person_id}" and event.ip


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_one_decision_stands(reference_data, submitted, reviewer):
    submission = submitted()
    clients = [reviewer("410105", "zhang"), reviewer("410100", "li")]
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def act(client: Api, body: dict) -> None:
        barrier.wait()
        try:
            answers.append(decide(client, submission, **body).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(clients[0], {"decision": "approve"})),
        threading.Thread(target=act, args=(clients[1], {"decision": "return", "reason": "照片模糊"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(answers) == [200, 409]
    assert AuditEvent.objects.filter(action__in=["review.approved", "review.returned"]).count() == 1
    decided = Submission.objects.get(pk=submission.pk)
    assert decided.version == submission.version + 1
    assert Record.objects.get(pk=submission.record_id).status == decided.status


def test_the_return_text_message_ends_its_reason_once(submitted, reviewer):
    submission = submitted()
    person = submission.record.person

    decide(reviewer("410105"), submission, decision="return", reason="照片不清晰，请重新上传。")

    assert outbox_messages(_mobile(person)) == [
        "【河南省财政厅】您的会计人员信息审核退回（金水区财政局），原因：照片不清晰，请重新上传。请登录修改后重新提交。"
    ]

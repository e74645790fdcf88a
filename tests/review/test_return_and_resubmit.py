"""The whole return loop: a reviewer returns with the fields to fix; the person sees each one
highlighted with its reason and a link; they fix and resubmit; the reviewer sees what changed
against the returned submission, flagged fields first."""

import pytest

from accreg.accounts.middleware import FINGERPRINT_KEY, SESSION_KEY, _fingerprint
from accreg.accounts.models import Person
from tests.collection.answers import CHONGQING_EMPLOYED_WORK
from tests.collection.test_submission import complete_chongqing_record, put, upload
from tests.conftest import Api, CommittingClient, valid_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def chongqing_submitted(register):  # type: ignore[no-untyped-def]
    registered = register(province="chongqing", id_number=valid_id_number(region="500103"))
    client = Api(registered["token"])
    complete_chongqing_record(client)
    submission = client.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    return client, Person.objects.get(pk=registered["id"]), submission


def browser_of(person: Person) -> CommittingClient:
    browser = CommittingClient()
    session = browser.session
    session[SESSION_KEY], session[FINGERPRINT_KEY] = person.pk, _fingerprint(person)
    session.save()
    return browser


def test_returned_fields_are_highlighted_and_the_resubmission_shows_what_changed(chongqing_submitted, reviewer):
    person_api, person, submitted = chongqing_submitted
    staff = reviewer("500103")
    detail = staff.get(f"/api/v1/review/submissions/{submitted['id']}").json()
    returned = staff.post(
        f"/api/v1/review/submissions/{submitted['id']}/decision",
        {
            "decision": "return",
            "version": detail["version"],
            "reason": "单位信息有误",
            "fields": [
                {"field": "work.unit_name", "reason": "请按营业执照填写单位全称"},
                {"field": "material:photo", "reason": "请上传白底证件照"},
            ],
        },
    )
    browser = browser_of(person)
    me = browser.get("/chongqing/me/").content.decode()
    work_page = browser.get("/chongqing/record/work/").content.decode()
    attachments = browser.get("/chongqing/record/attachments/").content.decode()

    assert returned.status_code == 200
    link = '<a href="/chongqing/record/work/#w-unit_name">会计从业信息：工作单位全称</a>'
    assert f"{link}：请按营业执照填写单位全称" in me
    assert '<a href="/chongqing/record/attachments/#m-photo-0">' in me
    field = work_page[work_page.index('id="w-unit_name"') :]
    assert field.index("审核意见：请按营业执照填写单位全称") < field.index('id="w-unit_credit_code"')
    assert "审核意见：请上传白底证件照" in attachments

    assert put(person_api, "work", {**CHONGQING_EMPLOYED_WORK, "unit_name": "重庆某某实业有限公司"}).status_code == 200
    upload(person_api, "photo")
    again = person_api.post("/api/v1/me/record/submission", {"accept_commitment": True})
    changes = staff.get(f"/api/v1/review/submissions/{again.json()['id']}").json()

    assert again.status_code == 201
    assert changes["previous"]["id"] == submitted["id"]
    assert [c["field"] for c in changes["changes"][:2]] == ["work.unit_name", "material:photo"]
    assert all(c["flagged"] for c in changes["changes"][:2])
    assert changes["changes"][0]["old"] == CHONGQING_EMPLOYED_WORK["unit_name"]
    assert changes["changes"][0]["new"] == "重庆某某实业有限公司"
    old_photo = staff.get(f"/api/v1/review/submissions/{submitted['id']}/materials/photo?item=0")
    assert old_photo.status_code == 200  # the returned submission still shows the photo it was judged on


def test_the_archive_shows_the_approved_record_and_every_decision(chongqing_submitted, reviewer):
    person_api, person, submitted = chongqing_submitted
    staff = reviewer("500103")
    staff.post(
        f"/api/v1/review/submissions/{submitted['id']}/decision",
        {"decision": "return", "version": 1, "reason": "照片模糊"},
    )
    upload(person_api, "photo")
    again = person_api.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    staff.post(f"/api/v1/review/submissions/{again['id']}/decision", {"decision": "approve", "version": 1})

    page = browser_of(person).get("/chongqing/archive/").content.decode()

    assert "审核通过" in page and "渝中区财政局" in page
    assert "审核退回：照片模糊" in page  # the history keeps the return and its reason
    assert CHONGQING_EMPLOYED_WORK["unit_name"] in page and "个人照片：已存档" in page
    assert page.index("审核通过") < page.index("审核退回：照片模糊")  # newest first

"""Every desk endpoint from the outside (issue 15's inside/outside matrix): staff of the province
(410000), a city (410100), a county (410105) and another province (210000), each asking about a
person in 金水区, one in 开封市龙亭区 and one in Liaoning. Outside, a person does not exist (404)."""

import datetime

import pytest
from django.utils import timezone

from accreg.accounts.models import SmsCode
from accreg.desk.models import Correction

pytestmark = pytest.mark.django_db

SEES = {
    "410000": {"jinshui", "longting"},
    "410100": {"jinshui"},
    "410105": {"jinshui"},
    "210000": {"liaoning"},
}
# Who asked for each person's pending correction: one whose every level above may decide it.
REQUESTED_AT = {"jinshui": "410105", "longting": "410202", "liaoning": "210000"}


@pytest.fixture
def three_people(accountant, desk):  # type: ignore[no-untyped-def]
    people = {
        "jinshui": accountant("410105", name="金一"),
        "longting": accountant("410202", name="龙一"),
        "liaoning": accountant(None, province="liaoning", name="辽一"),  # the province's bureau
    }
    for key, person in people.items():
        requester = desk(REQUESTED_AT[key], username=f"requester-{key}")
        answer = requester.post(
            f"/api/v1/review/people/{person['id']}/corrections",
            {
                "field": "name",
                "value": {"jinshui": "金二", "longting": "龙二", "liaoning": "辽二"}[key],
                "reason": "身份证复印件与登记姓名不一致",
            },
        )
        assert answer.status_code == 201, answer.json()
        person["correction"] = answer.json()["id"]
    # the registration codes were sent minutes ago: a reset code may follow
    SmsCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    return people


def calls(person: dict) -> list[tuple[str, str, dict | None]]:
    base = f"/api/v1/review/people/{person['id']}"
    return [
        ("get", base, None),
        ("post", f"{base}/unlock", {"reason": "本人来电"}),
        ("post", f"{base}/password-reset", {"reason": "本人来电"}),
        ("post", f"{base}/corrections", {"field": "id_type", "value": "114", "reason": "证件类型登记错误"}),
        ("post", f"{base}/corrections", {"field": "mobile", "value": f"136{person['id']:08d}", "reason": "手机丢失"}),
        ("get", f"/api/v1/review/corrections/{person['correction']}", None),
        ("post", f"/api/v1/review/corrections/{person['correction']}/decision", {"decision": "refuse", "reason": "x"}),
    ]


@pytest.mark.parametrize("level", list(SEES))
def test_every_desk_endpoint_answers_404_outside(level, three_people, desk):
    client = desk(level)

    for key, person in three_people.items():
        for method, path, body in calls(person):
            response = client.post(path, body) if method == "post" else client.get(path)
            if key in SEES[level]:
                # inside: found, acted on, or refused for a reason other than not being there
                assert response.status_code in (200, 201, 202), (level, key, path, response.json())
            else:
                assert response.status_code == 404, (level, key, path, response.json())
                assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("level", list(SEES))
def test_search_and_the_pending_list_hold_only_the_jurisdiction(level, three_people, desk):
    client = desk(level)

    found = {
        key
        for key, person in three_people.items()
        if client.get(f"/api/v1/review/people?q={person['id_number']}").json()
    }
    by_name = {row["id"] for row in client.get("/api/v1/review/people?q=金").json()}
    pending = {row["person"]["id"] for row in client.get("/api/v1/review/corrections").json()}

    assert found == SEES[level]
    assert pending == {three_people[key]["id"] for key in SEES[level]}
    assert by_name == ({three_people["jinshui"]["id"]} if "jinshui" in SEES[level] else set())


@pytest.mark.parametrize("level", list(SEES))
def test_inside_the_actions_take_effect(level, three_people, desk):
    client = desk(level)

    for key in SEES[level]:
        person = three_people[key]
        unlocked = client.post(f"/api/v1/review/people/{person['id']}/unlock", {"reason": "本人来电"})
        decided = client.post(
            f"/api/v1/review/corrections/{person['correction']}/decision",
            {"decision": "refuse", "reason": "证明材料不足"},
        )

        assert unlocked.status_code == 200
        assert decided.status_code == 200, decided.json()
        assert Correction.objects.get(pk=person["correction"]).state == "refused"


def test_a_county_beside_the_persons_cannot_decide_or_even_see_the_correction(three_people, desk):
    beside = desk("410102")  # 中原区, beside 金水区 under 郑州市

    response = beside.post(
        f"/api/v1/review/corrections/{three_people['jinshui']['correction']}/decision", {"decision": "approve"}
    )

    assert response.status_code == 404
    assert Correction.objects.get(pk=three_people["jinshui"]["correction"]).state == "pending"

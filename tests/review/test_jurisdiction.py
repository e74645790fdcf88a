"""Every reviewer endpoint, from the outside, at each of the three levels, with a submission
inside and outside the reviewer's subtree: outside, it does not exist (404)."""

import pytest

pytestmark = pytest.mark.django_db

# 金水区 (410105) and 中原区 (410102) are counties of 郑州市 (410100); 龙亭区 (410202) is in 开封市.
SEES = {
    "410000": {"410105", "410102", "410202"},  # the province sees every county
    "410100": {"410105", "410102"},  # a city sees its counties
    "410105": {"410105"},  # a county sees only its own
}


@pytest.fixture
def three_counties(submitted):  # type: ignore[no-untyped-def]
    return {region: submitted(region) for region in ("410105", "410102", "410202")}


def endpoints(submission) -> list[tuple[str, str, dict | None]]:  # type: ignore[no-untyped-def]
    base = f"/api/v1/review/submissions/{submission.pk}"
    return [
        ("get", base, None),
        ("post", f"{base}/id-number", {}),
        ("get", f"{base}/materials/photo?item=0", None),
        ("post", f"{base}/decision", {"decision": "approve", "version": submission.version}),
    ]


@pytest.mark.parametrize("level", list(SEES))
def test_the_queue_lists_only_the_subtree(level, three_counties, reviewer):
    client = reviewer(level)

    page = client.get("/api/v1/review/submissions").json()

    assert {item["department"]["code"] for item in page["items"]} == SEES[level]
    assert page["counts"]["pending"] == len(SEES[level])


@pytest.mark.parametrize("level", list(SEES))
def test_every_endpoint_answers_404_outside_the_subtree(level, three_counties, reviewer):
    client = reviewer(level)

    for region, submission in three_counties.items():
        for method, path, body in endpoints(submission):
            response = client.post(path, body) if method == "post" else client.get(path)
            if region in SEES[level]:
                # inside: the detail and reveal answer; no photo in this snapshot; the approval stands
                assert response.status_code in (200, 404), (level, region, path, response.content)
                if path.endswith("/materials/photo?item=0"):
                    assert response.json()["error"]["code"] == "material_missing"
                else:
                    assert response.status_code == 200, (level, region, path)
            else:
                assert response.status_code == 404, (level, region, path)
                assert response.json()["error"]["code"] == "not_found"


def test_a_department_filter_outside_the_subtree_is_not_found(three_counties, reviewer):
    response = reviewer("410100").get("/api/v1/review/submissions?department=410202")

    assert response.status_code == 404


def test_a_city_reviewer_narrows_the_queue_to_one_county(three_counties, reviewer):
    page = reviewer("410100").get("/api/v1/review/submissions?department=410102").json()

    assert [item["department"]["code"] for item in page["items"]] == ["410102"]


def test_staff_tokens_only(three_counties, register):
    person = register(province="henan", mobile="13700000001")
    from tests.conftest import Api

    response = Api(person["token"]).get("/api/v1/review/submissions")

    assert response.status_code == 401

"""API.md's conventions at the edges: unknown paths answer the error shape, a body must be a JSON
object, and the OpenAPI document lists every operation's error responses with that shape."""

import pytest

from accreg.accounts.services.tokens import issue_token
from accreg.review.models import Export
from tests.conftest import Api

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": {"code": "not_found", "message": "没有这个接口，请检查请求的地址", "fields": {}}}


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_path_answers_the_json_error_shape(api, method):
    response = getattr(api, method)("/api/v1/no-such-thing/42")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == NOT_FOUND


def test_a_wrong_method_on_a_known_path_answers_the_json_error_shape(api):
    response = api.delete("/api/v1/health")

    assert response.status_code == 405 and response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response.json()["error"]["message"].startswith("该接口不支持 DELETE 请求")
    assert "GET" in response["Allow"]


def test_an_unknown_api_version_answers_the_json_error_shape(api):
    response = api.get("/api/v2/provinces")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("body", ["42", '"export"', "[]", "null"])
def test_an_export_body_that_is_not_an_object_is_refused(make_staff, body):
    token = issue_token(staff=make_staff("jinshui_r", "410105"))

    response = Api().client.post(
        "/api/v1/review/exports", body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "请求内容有误，请检查标出的字段",
        "fields": {"body": ["请求内容应为 JSON 对象"]},
    }
    assert not Export.objects.exists()


def test_every_operation_documents_its_error_responses_with_the_error_shape(api):
    document = api.get("/api/openapi.json").json()
    error_schema = document["components"]["schemas"]["ErrorOut"]

    undocumented = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            errors = {code: r for code, r in responses.items() if code.startswith("4")}
            if operation.get("security") and "401" not in errors:
                undocumented.append(f"{method.upper()} {path}: 401")
            takes_input = "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", []))
            if takes_input and "400" not in errors:
                undocumented.append(f"{method.upper()} {path}: 400")
            for code, response in errors.items():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                if ref != "#/components/schemas/ErrorOut":
                    undocumented.append(f"{method.upper()} {path}: {code} is not the error shape")

    assert undocumented == []
    assert set(error_schema["properties"]) == {"error"}
    assert document["paths"]["/api/v1/review/exports"]["post"]["responses"].keys() >= {"400", "401", "404", "429"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/notices/1?province=he%00nan", None),
        ("/api/v1/directory?province=henan&q=%E9%87%91%00", None),
        ("/api/v1/sms-codes", '{"mobile": "139\\u000012345678", "purpose": "register"}'),
    ],
)
def test_a_nul_character_anywhere_in_a_request_is_refused_not_a_server_error(api, path, body):
    post = api.client.post
    response = api.client.get(path) if body is None else post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "请求中含有不允许的字符（NUL），请检查后重新提交",
        "fields": {},
    }


def test_a_nul_character_in_a_portal_form_is_refused_in_chinese(client):
    response = client.post("/henan/login/", {"id_number": "4101\x0005", "password": "x"})

    assert response.status_code == 400 and "请求中含有不允许的字符" in response.content.decode()

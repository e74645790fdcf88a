"""The public reference API: provinces, code lists, divisions, departments, health, docs."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from accreg.codelists.registry import NAMES

pytestmark = pytest.mark.django_db


def test_health_answers_ok_when_the_database_is_reachable(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_answers_503_when_the_database_is_unreachable(tmp_path):
    # A real unreachable database: PostgreSQL on a port nothing listens on.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/api/v1/health'); print(r.status_code, r.json()['status'])"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/none",
        "DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == ["503", "database_unreachable"], result.stderr


def test_provinces_lists_the_served_portals_with_their_rules(client):
    body = client.get("/api/v1/provinces").json()

    by_code = {p["code"]: p for p in body}
    assert set(by_code) == {"chongqing", "henan", "liaoning", "yunnan"}
    henan = by_code["henan"]
    assert henan["portal_url"] == "/henan/"
    assert henan["notice"]["min_read_seconds"] == 30
    assert henan["steps"][0] == {"key": "notice", "title": "阅读须知"}
    photo = next(m for m in henan["materials"] if m["kind"] == "photo")
    assert (photo["min_width"], photo["min_height"], photo["formats"]) == (295, 413, ["jpeg", "png"])
    assert by_code["yunnan"]["sign_in"]["captcha"] is True


def test_one_province_deployment_shows_only_that_portal(client, settings, profiles_reset):
    settings.ACCREG_PROVINCES = ["henan"]

    body = client.get("/api/v1/provinces").json()

    assert [p["code"] for p in body] == ["henan"]
    assert client.get("/api/v1/provinces/liaoning").status_code == 404
    assert client.get("/liaoning/").status_code == 404


def test_unknown_province_is_404_with_the_error_shape(client):
    response = client.get("/api/v1/provinces/hainan")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "unknown_province", "message": "未开通省份：hainan", "fields": {}}}


@pytest.mark.parametrize("name", [n for n in NAMES if n != "employment_statuses"])
def test_every_code_list_of_the_api_is_served(client, name):
    items = client.get(f"/api/v1/code-lists/{name}").json()

    assert items, name
    assert all(set(item) == {"code", "label"} and item["code"] and item["label"] for item in items)
    codes = [item["code"] for item in items]
    assert len(codes) == len(set(codes)), f"{name} has duplicate codes"


@pytest.mark.parametrize(
    ("name", "code", "label"),
    [
        ("ethnicities", "01", "汉族"),  # GB/T 3304
        ("political_statuses", "13", "群众"),  # GB/T 4762
        ("genders", "1", "男"),  # GB/T 2261.1
        ("education_levels", "21", "大学本科"),  # GB/T 4658
        ("degrees", "4", "学士"),  # GB/T 6864
        ("countries", "TWN", "中国台湾"),  # GB/T 2659
        ("qualification_levels", "02", "中级"),
        ("qualification_methods", "01", "考试"),
        ("qualification_types", "01", "会计类"),
        ("id_types", "111", "居民身份证"),
        ("technical_posts", "00", "无"),
        ("accounting_posts", "00", "无"),
    ],
)
def test_code_lists_use_national_standard_codes_and_manual_labels(client, name, code, label):
    items = {item["code"]: item["label"] for item in client.get(f"/api/v1/code-lists/{name}").json()}

    assert items[code].startswith(label), items.get(code)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("KHM", "柬埔寨"),
        ("MLT", "马耳他"),
        ("KGZ", "吉尔吉斯斯坦"),
        ("GTM", "危地马拉"),
        ("KOR", "韩国"),
        ("TTO", "特立尼达和多巴哥"),
        ("IMN", "马恩岛"),
        ("FSM", "密克罗尼西亚联邦"),
        ("CCK", "科科斯（基林）群岛"),
    ],
)
def test_country_names_are_the_standards_not_iso_codes_translations(client, code, label):
    items = {item["code"]: item["label"] for item in client.get("/api/v1/code-lists/countries").json()}

    assert items[code] == label


def test_no_country_name_has_half_width_brackets_or_a_hyphen_list(client):
    labels = [item["label"] for item in client.get("/api/v1/code-lists/countries").json()]

    assert [label for label in labels if set(label) & set("()-")] == []


def test_countries_put_china_first(client):
    assert client.get("/api/v1/code-lists/countries").json()[0] == {"code": "CHN", "label": "中国"}


def test_unit_types_offer_the_central_variants_chongqing_requires(client):
    labels = [item["label"] for item in client.get("/api/v1/code-lists/unit_types").json()]

    assert any("（中央）" in label for label in labels)


def test_education_levels_include_the_no_certificate_choices(client):
    labels = [item["label"] for item in client.get("/api/v1/code-lists/education_levels").json()]

    assert "初中及以下" in labels and "无学历" in labels


def test_employment_statuses_differ_by_province(client):
    henan = client.get("/api/v1/code-lists/employment_statuses?province=henan").json()
    liaoning = client.get("/api/v1/code-lists/employment_statuses?province=liaoning").json()

    assert [i["label"] for i in henan] == ["在会计岗工作", "不在会计岗工作", "全日制在校生", "待业"]
    assert [i["label"] for i in liaoning] == ["是（有工作单位）", "否（无工作单位）"]


def test_employment_statuses_without_a_province_names_the_parameter(client):
    response = client.get("/api/v1/code-lists/employment_statuses")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"province": ["请指定省份（?province=），各省的在岗状态不同"]}


def test_unknown_code_list_is_404(client):
    response = client.get("/api/v1/code-lists/star_signs")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_code_list"


def test_country_children_are_the_provinces(client):
    provinces = client.get("/api/v1/regions/000000/children").json()

    assert len(provinces) == 34
    assert {"code": "410000", "name": "河南省", "level": "province", "has_children": True} in provinces


def test_city_children_are_its_counties(client):
    counties = client.get("/api/v1/regions/410100/children").json()

    assert {"code": "410105", "name": "金水区", "level": "county", "has_children": False} in counties
    assert all(c["code"].startswith("4101") for c in counties)


def test_unknown_region_is_404(client):
    response = client.get("/api/v1/regions/999999/children")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_region"


def test_departments_for_a_county_propose_its_bureau_first(client):
    body = client.get("/api/v1/departments?region=210102").json()

    assert [(d["code"], d["proposed"]) for d in body] == [
        ("210102", True),
        ("210100", False),
        ("210000", False),
    ]
    assert body[0]["phone"] == "024-22861002"


def test_departments_for_a_region_outside_the_four_provinces_is_empty(client):
    assert client.get("/api/v1/departments?region=110101").json() == []


def test_departments_without_region_names_the_parameter(client):
    response = client.get("/api/v1/departments")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"region": ["请指定行政区划代码"]}


def test_openapi_document_lists_the_public_paths(client):
    spec = client.get("/api/openapi.json").json()

    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/health",
        "/api/v1/provinces",
        "/api/v1/code-lists/{name}",
        "/api/v1/regions/{code}/children",
        "/api/v1/departments",
    ):
        assert path in spec["paths"], path


def test_browsable_docs_load_nothing_from_other_hosts(client):
    page = client.get("/api/docs").content.decode()

    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page and "https://" not in page  # offline networks get the whole page


def test_json_carries_chinese_as_characters(client):
    assert "河南省".encode() in client.get("/api/v1/regions/000000/children").content

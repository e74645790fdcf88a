"""Notices and guides on the portals, written in admin by a province's administrators; the
consultation directory of every management department, from data only."""

import datetime

import pytest
from django.utils import timezone

from accreg.notices.models import Notice
from tests.conftest import Api

pytestmark = pytest.mark.django_db


def notice(title: str, *, province: str = "henan", days: int = 0, kind: str = "notice") -> Notice:
    return Notice.objects.create(
        province=province,
        title=title,
        body="第一段\n第二段",
        kind=kind,
        published_at=timezone.now() + datetime.timedelta(days=days),
    )


def test_published_notices_newest_first_national_ones_included_future_ones_hidden(client):
    notice("较早的通知", days=-3)
    notice("最新的通知", days=-1)
    notice("全国通知", province="", days=-2)
    notice("辽宁的通知", province="liaoning", days=-1)
    future = notice("明天发布", days=1)

    listed = client.get("/api/v1/notices?province=henan").json()
    home = client.get("/henan/").content.decode()

    assert [n["title"] for n in listed] == ["最新的通知", "全国通知", "较早的通知"]
    assert "明天发布" not in home and "最新的通知" in home and "辽宁的通知" not in home
    assert client.get(f"/api/v1/notices/{future.pk}").status_code == 404
    assert client.get(f"/henan/notices/{future.pk}/").status_code == 404


def test_a_notice_page_shows_its_paragraphs_and_guides_filter(client):
    guide = notice("如何上传照片", kind="guide", days=-1)
    notice("采集通知", days=-1)

    page = client.get(f"/henan/notices/{guide.pk}/").content.decode()
    guides = client.get("/api/v1/notices?province=henan&kind=guide").json()

    assert "<p>第一段</p>" in page and "<p>第二段</p>" in page
    assert [g["title"] for g in guides] == ["如何上传照片"]


def test_a_province_administrator_writes_only_for_their_province(admin_client_for):
    browser = admin_client_for("410000", username="henan_admin")

    response = browser.post(
        "/admin/notices/notice/add/",
        {
            "province": "liaoning",
            "kind": "notice",
            "title": "越权通知",
            "body": "x",
            "published_at_0": "2026-11-01",
            "published_at_1": "08:00:00",
        },
    )
    written = browser.post(
        "/admin/notices/notice/add/",
        {
            "province": "henan",
            "kind": "notice",
            "title": "河南通知",
            "body": "x",
            "published_at_0": "2026-11-01",
            "published_at_1": "08:00:00",
        },
    )

    assert response.status_code == 200 and "越权通知" not in [n.title for n in Notice.objects.all()]
    assert written.status_code == 302
    assert Notice.objects.get().province == "henan"


def test_the_directory_groups_liaoning_departments_by_city_with_known_contacts(client):
    groups = Api().get("/api/v1/directory?province=liaoning").json()
    shenyang = next(g for g in groups if g["city"] == "沈阳市")
    heping = next(d for d in shenyang["departments"] if d["code"] == "210102")

    assert groups[0]["city"] == "辽宁省财政厅"
    assert heping["phone"] == "024-22861002" and heping["address"] == "和平区十一纬路76号"
    assert all(d["phone"] == "" for g in groups if g["city"] == "大连市" for d in g["departments"])  # none invented


def test_the_directory_page_searches(client):
    page = client.get("/liaoning/directory/?q=和平").content.decode()

    assert "和平区" in page and "大连市" not in page
    assert "暂无公开的地址和电话" not in page or "和平区" in page

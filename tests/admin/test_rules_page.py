"""The rules in force, read only in Django admin (SPEC §7): an administrator sees their province's."""

import pytest
from django.test import Client

from accreg.accounts.models import Staff

pytestmark = pytest.mark.django_db


def test_henan_admin_sees_henan_rules_only(admin_client_for):
    client = admin_client_for("410105", username="jinshui_admin")

    response = client.get("/admin/rules/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "各省现行规则" in page
    assert "河南省（区划代码 410000）" in page
    assert "30秒" in page  # HN 3.1: the notice is read for 30 seconds before it can be ticked
    assert "证件号码 + 密码、手机号 + 密码、统一身份认证（河南政务服务网统一身份认证平台）" in page
    assert "10个工作日" in page and "【河南省财政厅】" in page
    assert "全日制最高学历证书" in page and "不大于150KB" in page and "宽≥700像素，高≥500像素" in page
    assert "全日制最高学历" in page  # a required field of the education section, by its label
    assert "不在会计岗工作" in page
    assert "min_read_seconds = 30" in page  # the file itself, for reference
    for other in ("重庆市", "辽宁省", "云南省", "【重庆会计之家】"):
        assert other not in page


def test_chongqing_admin_sees_chongqing_not_henan(admin_client_for):
    page = admin_client_for("500103", username="yuzhong_admin").get("/admin/rules/").content.decode()

    assert "重庆市" in page
    assert "河南省" not in page


def test_superuser_sees_every_served_province():
    root = Staff.objects.create_superuser("root", password="Ceshi-Mima-2026")
    client = Client()
    client.force_login(root)

    page = client.get("/admin/rules/").content.decode()

    for name in ("河南省", "重庆市", "辽宁省", "云南省"):
        assert f"{name}（区划代码" in page


def test_the_admin_index_links_to_the_rules(admin_client_for):
    page = admin_client_for("410000", username="henan_admin").get("/admin/").content.decode()

    assert 'href="/admin/rules/"' in page and "各省现行规则（只读）" in page


def test_reviewers_are_sent_to_sign_in(make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    client = Client()
    client.force_login(reviewer)

    response = client.get("/admin/rules/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]

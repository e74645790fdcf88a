"""The national landing page and each province portal's home page."""

import pytest

pytestmark = pytest.mark.django_db


def test_landing_lists_every_served_portal(client):
    page = client.get("/").content.decode()

    for name, title in [
        ("重庆市", "重庆市会计人员信息采集系统"),
        ("河南省", "河南省会计人员信息管理系统"),
        ("辽宁省", "辽宁省会计管理综合服务平台"),
        ("云南省", "云南省会计人员管理系统"),
    ]:
        assert name in page and title in page
    assert 'href="/henan/"' in page


def test_landing_shows_only_the_deployments_portals(client, settings, profiles_reset):
    settings.ACCREG_PROVINCES = ["yunnan"]

    page = client.get("/").content.decode()

    assert "云南省" in page and "河南省" not in page


def test_portal_home_shows_the_provinces_rules(client):
    page = client.get("/henan/").content.decode()

    assert "<title>河南省会计人员信息管理系统</title>" in page
    assert "手机号 + 密码" in page  # a sign-in method from the profile
    assert 'href="/henan/register/"' in page and 'href="/henan/login/"' in page
    assert "高端人才信息" in page  # a step only Henan has
    assert "0371-96500" in page  # HN help line
    assert 'name="viewport"' in page


def test_the_provinces_conditions_are_shown_before_anyone_registers(client):
    page = client.get("/henan/").content.decode()

    assert "<h3>采集条件</h3>" in page
    assert "<li>在我省报考会计专业技术中高级资格考试的人员必须提前完成信息采集</li>" in page


def test_liaoning_home_names_its_sign_in(client):
    page = client.get("/liaoning/").content.decode()

    assert "姓名 + 证件号码 + 密码" in page
    assert "工作单位、户籍、住址或学校所在地在辽宁省" in page


def test_unknown_portal_is_a_chinese_404_page(client):
    response = client.get("/hainan/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() and 'href="/"' in response.content.decode()

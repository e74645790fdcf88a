"""Liaoning's navigation bar (LN 1, 12: 首页, 通知公告, 操作指南, 咨询电话) on a 360 px phone: on
every page, within the screen, each link a finger's height, the current page marked. Screenshots go
to test-output."""

from __future__ import annotations

import pytest

from accreg.notices.models import Notice

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

BAR = ["首页", "通知公告", "操作指南", "咨询电话"]


def bar_fits(page) -> bool:  # type: ignore[no-untyped-def]
    """The bar and the page stay within the screen: nothing sideways, no link cut off."""
    return page.evaluate(
        """() => {
          const bar = document.querySelector("nav.portal-nav");
          const links = [...bar.querySelectorAll("a")].map(a => a.getBoundingClientRect());
          return document.scrollingElement.scrollWidth <= window.innerWidth
            && bar.scrollWidth <= bar.clientWidth
            && links.every(r => r.left >= 0 && r.right <= window.innerWidth && r.height >= 44);
        }"""
    )


def current(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("nav.portal-nav a[aria-current='page']").all_inner_texts()


def test_liaoning_navigation_bar_on_a_phone(reference_data, live_server, phone):
    Notice.objects.create(province="liaoning", kind="guide", title="信息采集操作指南", body="第一步：注册。")
    Notice.objects.create(
        province="liaoning", kind="notice", title="关于开展会计人员信息采集的通知", body="请及时采集。"
    )
    Notice.objects.update(published_at="2026-01-05T08:00:00+08:00")

    phone.goto(f"{live_server.url}/liaoning/")
    bar = phone.get_by_role("navigation", name="辽宁省会计管理综合服务平台导航")

    assert bar.get_by_role("link").all_inner_texts() == BAR
    assert current(phone) == ["首页"] and bar_fits(phone)
    screenshot(phone, "nav-liaoning-01-home-360")

    for label, name in (("通知公告", "notices"), ("操作指南", "guides"), ("咨询电话", "directory")):
        bar.get_by_role("link", name=label).click()
        phone.wait_for_load_state()
        assert current(phone) == [label] and bar_fits(phone), label
        screenshot(phone, f"nav-liaoning-02-{name}-360")

    phone.goto(f"{live_server.url}/liaoning/notices/?kind=guide")
    phone.get_by_role("link", name="信息采集操作指南").click()
    phone.get_by_role("heading", name="信息采集操作指南").wait_for()
    assert current(phone) == ["操作指南"]

    phone.goto(f"{live_server.url}/liaoning/login/")
    assert bar.get_by_role("link").all_inner_texts() == BAR and current(phone) == [] and bar_fits(phone)
    screenshot(phone, "nav-liaoning-03-login-360")

    phone.goto(f"{live_server.url}/chongqing/")
    assert phone.locator("nav.portal-nav").count() == 0  # CQ's manual names no bar
    assert phone.js_errors == []


def test_a_yunnan_person_reads_shenheshibai_on_a_phone(reference_data, live_server, phone, register, make_staff):
    """YN 11: after a return the account page says 审核失败 (not 审核退回), and why."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from accreg.accounts.middleware import FINGERPRINT_KEY, SESSION_KEY, _fingerprint
    from accreg.accounts.models import Person
    from accreg.accounts.services.tokens import issue_token
    from tests.conftest import Api, valid_id_number
    from tests.portal.test_province_words import complete_yunnan_record

    registered = register(province="yunnan", id_number=valid_id_number(region="530102"), mobile="13912340063")
    client = Api(registered["token"])
    complete_yunnan_record(client)
    submitted = client.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    staff = Api(issue_token(staff=make_staff("yn-reviewer", "530102")))
    version = staff.get(f"/api/v1/review/submissions/{submitted['id']}").json()["version"]
    body = {"decision": "return", "version": version, "reason": "学校名称有误，请填写学校全称"}
    assert staff.post(f"/api/v1/review/submissions/{submitted['id']}/decision", body).status_code == 200
    person = Person.objects.get(pk=registered["id"])
    session = SessionStore()
    session[SESSION_KEY], session[FINGERPRINT_KEY] = person.pk, _fingerprint(person)
    session.save()
    phone.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )

    phone.goto(f"{live_server.url}/yunnan/me/")

    assert phone.locator("#review-status").inner_text() == "审核失败"
    assert phone.get_by_text("审核失败（五华区财政局）：学校名称有误，请填写学校全称").is_visible()
    assert "退回" not in phone.locator("main").inner_text()
    assert phone.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "status-yunnan-returned-360")
    phone.goto(f"{live_server.url}/yunnan/archive/")
    assert phone.locator(".step-list .state").first.inner_text() == "审核失败"
    screenshot(phone, "status-yunnan-returned-archive-360")
    assert phone.js_errors == []

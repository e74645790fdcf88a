"""Issue 13, item 10: the main pages work in Chromium under the strict Content-Security-Policy, with
no violation reported: the portal's sign-in and a record step on a phone; the review console's
queue, a submission and the statistics (Chart.js) at a desk; the Django admin; the API docs."""

import pytest
from django.contrib.auth.hashers import make_password

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity, set_mobile
from accreg.accounts.services.staff import create_staff
from tests.conftest import valid_id_number
from tests.review.conftest import make_submission

from .conftest import DESK, PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# Registered before any page script: every violation the browser reports, blocked or not.
WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.sourceFile + ":" + e.lineNumber;
  window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""


def watched(page):  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(WATCH)
    page.csp_messages = messages
    return page


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("window.cspViolations || []") + page.csp_messages


def wait_until(page, expression: str) -> None:  # type: ignore[no-untyped-def]
    """Poll from here: wait_for_function would evaluate the expression in the page, which the policy refuses."""
    for _ in range(100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def test_the_main_pages_report_no_policy_violation(reference_data, live_server, browser):
    person = Person(province="henan", name="陈静", password=make_password("kuaiji2026"))
    id_number = valid_id_number(region="410105", seq=7)
    set_identity(person, check_id_number("111", id_number))
    set_mobile(person, "13912340007")
    person.save()
    make_submission("410105", name="李娜")
    create_staff("jinshui", password="Shenhe-Mima-2026", department_code="410105", role="reviewer")
    create_staff("guanli", password="Guanli-Mima-2026", department_code="410000", role="admin")
    phone_context, desk_context = browser.new_context(**PHONE), browser.new_context(**DESK)  # the policy enforced
    phone, desk = watched(phone_context.new_page()), watched(desk_context.new_page())
    seen: dict[str, list[str]] = {}

    phone.goto(f"{live_server.url}/henan/login/")
    seen["portal sign-in"] = violations(phone)
    phone.get_by_label("证件号码").fill(id_number)
    phone.get_by_label("密码").fill("kuaiji2026")
    phone.get_by_role("button", name="登录").click()
    phone.goto(f"{live_server.url}/henan/record/")
    phone.locator("form").first.wait_for()
    seen[f"record step {phone.url.removeprefix(live_server.url)}"] = violations(phone)
    screenshot(phone, "csp-record-step-360")

    desk.goto(f"{live_server.url}/review/")
    desk.get_by_label("用户名").fill("jinshui")
    desk.get_by_label("密码").fill("Shenhe-Mima-2026")
    desk.get_by_role("button", name="登录").click()
    desk.get_by_text("待审核 1").wait_for()
    seen["review queue"] = violations(desk)
    desk.get_by_role("link", name="李娜").click()
    desk.get_by_role("button", name="退回修改").wait_for()
    seen["review detail"] = violations(desk)
    desk.goto(f"{live_server.url}/review/statistics/")
    wait_until(desk, "window.Chart !== undefined && document.querySelectorAll('canvas[data-chart]').length > 0")
    desk.wait_for_timeout(500)  # the charts draw after their animation frame
    drawn = desk.evaluate("Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => !!Chart.getChart(c))")
    seen["statistics"] = violations(desk)
    screenshot(desk, "csp-statistics-1440")

    other_desk = browser.new_context(**DESK)
    admin = watched(other_desk.new_page())
    admin.goto(f"{live_server.url}/admin/")
    admin.get_by_label("用户名").fill("guanli")
    admin.get_by_label("密码").fill("Guanli-Mima-2026")
    admin.locator("input[type=submit]").click()
    admin.locator("#site-name").wait_for()
    admin.goto(f"{live_server.url}/admin/accounts/staff/")
    admin.locator("#result_list").wait_for()
    seen["admin"] = violations(admin)
    screenshot(admin, "csp-admin-1440")

    admin.goto(f"{live_server.url}/api/docs")
    admin.locator(".opblock").first.wait_for()
    admin.locator(".opblock-summary", has_text="/api/v1/health").click()  # and try the call itself
    admin.get_by_role("button", name="Try it out").click()
    admin.get_by_role("button", name="Execute").click()
    admin.locator(".live-responses-table .response-col_status", has_text="200").wait_for()
    seen["api docs"] = violations(admin)
    screenshot(admin, "csp-api-docs-1440")

    for context in (phone_context, desk_context, other_desk):
        context.close()
    assert seen == {name: [] for name in seen}
    assert drawn and all(drawn)
    assert phone.js_errors == [] and desk.js_errors == [] and admin.js_errors == []

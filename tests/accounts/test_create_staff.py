"""create_staff: the command administrators and deployments use to add reviewers and administrators."""

import pyotp
import pytest
from django.core.management import CommandError, call_command

from accreg.accounts.models import Staff
from accreg.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_staff", *args, stdout=out)
    return out.getvalue()


def test_creates_a_reviewer_in_a_county_bureau(settings):
    settings.STAFF_REQUIRE_OTP = False

    output = run("--username", "li.si", "--password", "Shenhe-2026-ok", "--department", "410105", "--role", "reviewer")

    staff = Staff.objects.get(username="li.si")
    assert "已创建 审核人员 li.si：金水区财政局" in output
    assert "TOTP" not in output
    assert (staff.department_id, staff.role, staff.is_staff, staff.is_superuser) == (
        "410105",
        "reviewer",
        False,
        False,
    )
    assert staff.check_password("Shenhe-2026-ok")
    assert staff.password.startswith("argon2")
    event = AuditEvent.objects.get(action="staff.created")
    assert (event.target, event.details) == (f"staff:{staff.pk}", {"role": "reviewer", "department": "410105"})


def test_prints_the_totp_secret_when_a_second_factor_is_required(settings):
    settings.STAFF_REQUIRE_OTP = True

    output = run("--username", "wang", "--password", "Guanli-2026-ok", "--department", "410000", "--role", "admin")

    staff = Staff.objects.get(username="wang")
    assert f"动态口令密钥（TOTP）：{staff.otp_secret}" in output
    assert "otpauth://totp/" in output
    assert pyotp.TOTP(staff.otp_secret).verify(pyotp.TOTP(staff.otp_secret).now())
    assert staff.is_staff  # administrators reach Django admin


def test_unknown_department_is_refused_with_the_code():
    with pytest.raises(CommandError) as caught:
        run("--username", "x", "--password", "Shenhe-2026-ok", "--department", "419999", "--role", "reviewer")

    assert "没有代码为 419999 的管理部门" in str(caught.value)
    assert not Staff.objects.filter(username="x").exists()


def test_duplicate_username_is_refused(make_staff):
    make_staff("zhao", "410105")

    with pytest.raises(CommandError) as caught:
        run(
            "--username",
            "ZHAO",
            "--password",
            "Shenhe-2026-ok",
            "--department",
            "410100",
            "--role",
            "reviewer",
        )

    assert "用户名 ZHAO 已被使用" in str(caught.value)
    assert Staff.objects.filter(username__iexact="zhao").count() == 1


def test_weak_password_is_refused_with_the_reason():
    with pytest.raises(CommandError) as caught:
        run("--username", "qian", "--password", "12345678", "--department", "410105", "--role", "reviewer")

    assert "密码不符合要求" in str(caught.value)
    assert not Staff.objects.filter(username="qian").exists()


def test_unknown_role_is_refused():
    with pytest.raises(CommandError) as caught:
        run("--username", "sun", "--password", "Shenhe-2026-ok", "--department", "410105", "--role", "owner")

    assert "owner" in str(caught.value)


def test_missing_argument_is_refused():
    with pytest.raises(CommandError) as caught:
        run("--username", "sun", "--password", "Shenhe-2026-ok", "--role", "reviewer")

    assert "--department" in str(caught.value)

"""Staff accounts in Django admin: an administrator disables, enables and resets the second factor
of the staff below them, and cannot touch (or even see) anyone else."""

import re

import pyotp
import pytest
from django.test import Client

from accreg.accounts.models import Staff
from accreg.audit.models import AuditEvent
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/staff/"


def act(client: Client, action: str, *staff: Staff):  # type: ignore[no-untyped-def]
    return client.post(CHANGELIST, {"action": action, "_selected_action": [s.pk for s in staff]}, follow=True)


def test_admin_disables_a_reviewer_who_then_cannot_sign_in(admin_client_for, make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    client = admin_client_for("410000", username="henan_admin")

    page = act(client, "disable_selected", reviewer).content.decode()

    reviewer.refresh_from_db()
    assert "已停用 1 个账号：jinshui_r" in page
    assert not reviewer.is_active
    assert not Client().login(username="jinshui_r", password=STAFF_PASSWORD)
    event = AuditEvent.objects.get(action="staff.disabled")
    assert event.actor == f"staff:{Staff.objects.get(username='henan_admin').pk}"
    assert event.target == f"staff:{reviewer.pk}"


def test_admin_enables_a_disabled_account_again(admin_client_for, make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    client = admin_client_for("410000", username="henan_admin")
    act(client, "disable_selected", reviewer)

    page = act(client, "enable_selected", reviewer).content.decode()

    reviewer.refresh_from_db()
    assert "已启用 1 个账号：jinshui_r" in page
    assert reviewer.is_active
    assert AuditEvent.objects.filter(action="staff.enabled", target=f"staff:{reviewer.pk}").count() == 1


def test_admin_cannot_disable_themself(admin_client_for):
    client = admin_client_for("410000", username="henan_admin")
    me = Staff.objects.get(username="henan_admin")

    page = act(client, "disable_selected", me).content.decode()

    me.refresh_from_db()
    assert "账号 henan_admin：不能停用自己的账号" in page
    assert me.is_active
    assert not AuditEvent.objects.filter(action="staff.disabled").exists()


def test_admin_cannot_act_on_staff_outside_their_subtree(admin_client_for, make_staff):
    other_county = make_staff("erqi_r", "410103")
    other_province = make_staff("yuzhong_r", "500103")
    client = admin_client_for("410105", username="jinshui_admin")

    listing = client.get(CHANGELIST).content.decode()
    disabled = act(client, "disable_selected", other_county, other_province).content.decode()
    reset = act(client, "reset_otp_of_selected", other_county, other_province).content.decode()

    assert "erqi_r" not in listing and "yuzhong_r" not in listing
    assert "已停用" not in disabled
    assert "所选账号都不在您的管辖范围内，没有重置任何动态口令" in reset
    for member in (other_county, other_province):
        secret = member.otp_secret
        member.refresh_from_db()
        assert member.is_active and member.otp_secret == secret
    assert not AuditEvent.objects.filter(action__in=["staff.disabled", "staff.otp_reset"]).exists()


def test_resetting_the_second_factor_shows_the_new_secret_once_and_it_signs_in(admin_client_for, make_staff, settings):
    settings.STAFF_REQUIRE_OTP = True
    colleague = make_staff("henan_admin2", "410000", role="admin")
    old_secret = colleague.otp_secret
    Staff.objects.filter(pk=colleague.pk).update(otp_last_step=99_999_999_999)  # a step far ahead, as if used
    client = admin_client_for("410000", username="henan_admin")

    response = act(client, "reset_otp_of_selected", colleague)
    page = response.content.decode()

    colleague.refresh_from_db()
    assert "动态口令已重置" in page and "只在本页显示一次" in page
    assert colleague.otp_secret != old_secret and colleague.otp_last_step == 0
    assert colleague.otp_secret in page
    assert "otpauth://totp/" in page
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="staff.otp_reset")
    assert event.target == f"staff:{colleague.pk}" and colleague.otp_secret not in str(event.details)

    shown = re.search(r"<code>([A-Z2-7]{32})</code>", page)
    assert shown is not None
    form = {"username": "henan_admin2", "password": STAFF_PASSWORD}
    with_old = Client().post("/admin/login/", {**form, "otp": pyotp.TOTP(old_secret).now()})
    signed_in = Client()
    with_new = signed_in.post("/admin/login/", {**form, "otp": pyotp.TOTP(shown.group(1)).now()})
    assert "动态口令不正确" in with_old.content.decode()
    assert with_new.status_code == 302
    assert signed_in.get("/admin/").status_code == 200


def test_staff_cannot_be_deleted_in_bulk(admin_client_for):
    client = admin_client_for("410000", username="henan_admin")

    page = client.get(CHANGELIST).content.decode()

    assert "停用所选账号" in page and "启用所选账号" in page and "重置所选账号的动态口令" in page
    assert "delete_selected" not in page


def test_admin_cannot_untick_their_own_active_box_or_move_themself(admin_client_for):
    client = admin_client_for("410105", username="jinshui_admin")
    me = Staff.objects.get(username="jinshui_admin")

    form = client.get(f"/admin/accounts/staff/{me.pk}/change/").content.decode()

    assert 'name="is_active"' not in form and 'name="department"' not in form and 'name="role"' not in form
    assert "last_name" in form  # the rest of their own details stay editable

"""A staff member's API tokens end when an administrator changes their password, disables them
or resets their second factor, as an accountant's tokens end at a password reset."""

import pytest

from accreg.accounts.models import Staff
from tests.conftest import STAFF_PASSWORD, Api

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/staff/"


def staff_api(username: str, password: str = STAFF_PASSWORD) -> Api:
    """A staff member's API client, signed in with a token."""
    signed = Api().post("/api/v1/sessions", {"method": "staff_password", "username": username, "password": password})
    assert signed.status_code == 201, signed.json()
    return Api(signed.json()["token"])


def test_a_password_changed_in_the_admin_ends_the_staff_members_tokens(admin_client_for, make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    device = staff_api("jinshui_r")
    assert device.get("/api/v1/review/submissions").status_code == 200
    client = admin_client_for("410000", username="henan_admin")

    changed = client.post(
        f"{CHANGELIST}{reviewer.pk}/password/",
        {"usable_password": "true", "password1": "Xin-Mima-2026-abc", "password2": "Xin-Mima-2026-abc"},
    )

    assert changed.status_code == 302
    response = device.get("/api/v1/review/submissions")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_signed_in"
    assert staff_api("jinshui_r", "Xin-Mima-2026-abc").get("/api/v1/review/submissions").status_code == 200


def test_password_based_sign_in_switched_off_in_the_admin_ends_the_tokens(admin_client_for, make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    device = staff_api("jinshui_r")
    client = admin_client_for("410000", username="henan_admin")

    client.post(f"{CHANGELIST}{reviewer.pk}/password/", {"usable_password": "false", "unset-password": "1"})

    reviewer.refresh_from_db()
    assert not reviewer.has_usable_password()
    assert device.get("/api/v1/review/submissions").status_code == 401


def test_a_password_set_outside_the_admin_ends_the_tokens_too(make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    device = staff_api("jinshui_r")

    reviewer.set_password("Xin-Mima-2026-abc")  # as `manage.py changepassword` does
    reviewer.save()

    assert device.get("/api/v1/review/submissions").status_code == 401


def test_resetting_the_second_factor_ends_the_tokens(admin_client_for, make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    device = staff_api("jinshui_r")
    client = admin_client_for("410000", username="henan_admin")

    client.post(CHANGELIST, {"action": "reset_otp_of_selected", "_selected_action": [reviewer.pk]})

    assert device.get("/api/v1/review/submissions").status_code == 401


def test_disabling_ends_the_tokens(admin_client_for, make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    device = staff_api("jinshui_r")
    client = admin_client_for("410000", username="henan_admin")

    client.post(CHANGELIST, {"action": "disable_selected", "_selected_action": [reviewer.pk]})
    Staff.objects.filter(pk=reviewer.pk).update(is_active=True)  # even if enabled again, the old token is gone

    assert device.get("/api/v1/review/submissions").status_code == 401


def test_saving_other_details_keeps_the_tokens(make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    device = staff_api("jinshui_r")

    reviewer.first_name = "伟"
    reviewer.save()

    assert device.get("/api/v1/review/submissions").status_code == 200

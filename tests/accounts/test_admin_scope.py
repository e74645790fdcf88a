"""Django admin for administrators: only their department's subtree, never another province's."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_admin_sees_only_staff_in_the_subtree(admin_client_for, make_staff):
    make_staff("jinshui_1", "410105")
    make_staff("shenyang_1", "210100")
    client = admin_client_for("410000", username="henan_admin")

    page = client.get("/admin/accounts/staff/").content.decode()

    assert "jinshui_1" in page
    assert "shenyang_1" not in page


def test_admin_cannot_open_another_provinces_staff_by_url(admin_client_for, make_staff):
    other = make_staff("shenyang_2", "210100")
    client = admin_client_for("410000", username="henan_admin")

    response = client.get(f"/admin/accounts/staff/{other.pk}/change/")

    # Django admin treats a row outside the queryset as missing: back to the index, nothing shown.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.post(f"/admin/accounts/staff/{other.pk}/change/", {"username": "hijacked"}).status_code == 302
    other.refresh_from_db()
    assert other.username == "shenyang_2"


def test_city_admin_sees_its_counties_departments_only(admin_client_for):
    client = admin_client_for("410100", username="zz_admin")

    page = client.get("/admin/regions/department/?q=").content.decode()

    assert "金水区财政局" in page
    assert "河南省财政厅" not in page
    assert "和平区财政局" not in page


def test_department_choices_are_limited_to_the_subtree(admin_client_for):
    client = admin_client_for("410100", username="zz_admin")

    page = client.get("/admin/accounts/staff/add/").content.decode()

    assert "金水区财政局" in page
    assert "辽宁省财政厅" not in page and "河南省财政厅" not in page


def test_admin_cannot_make_a_superuser(admin_client_for):
    client = admin_client_for("410000", username="henan_admin")

    page = client.get("/admin/accounts/staff/add/").content.decode()

    assert "is_superuser" not in page


def test_reviewers_have_no_admin_access(make_staff):
    reviewer = make_staff("jinshui_r", "410105")
    client = Client()

    signed_in = client.login(username="jinshui_r", password="Ceshi-Mima-2026")
    response = client.get("/admin/")

    assert signed_in  # the password is right, yet admin stays closed
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not reviewer.is_staff


def test_reviewer_signing_in_to_admin_is_told_why(make_staff):
    make_staff("jinshui_r2", "410105")

    page = Client().post("/admin/login/", {"username": "jinshui_r2", "password": "Ceshi-Mima-2026"}).content.decode()

    assert "审核人员没有管理后台权限" in page
    assert "用户名或密码不正确" not in page


def test_wrong_admin_password_says_so_in_chinese(make_staff):
    make_staff("henan_a", "410000", role="admin")

    page = Client().post("/admin/login/", {"username": "henan_a", "password": "wrong-password"}).content.decode()

    assert "用户名或密码不正确" in page


def test_admin_sign_in_needs_the_totp_code_where_required(make_staff, settings):
    import pyotp

    settings.STAFF_REQUIRE_OTP = True
    staff = make_staff("henan_otp", "410000", role="admin")
    form = {"username": "henan_otp", "password": "Ceshi-Mima-2026"}

    without = Client().post("/admin/login/", form).content.decode()
    client = Client()
    with_code = client.post("/admin/login/", {**form, "otp": pyotp.TOTP(staff.otp_secret).now()})

    assert "请输入身份验证器中的6位动态口令" in without
    assert with_code.status_code == 302
    assert client.get("/admin/").status_code == 200

"""Who sees and decides a claim: the staff whose jurisdiction holds the claimed account (province,
city and county of 金水区), never another province's; outside, every path answers 404."""

from __future__ import annotations

import pytest
from django.test import Client

from accreg.claims.models import IdClaim
from tests.conftest import CommittingClient

pytestmark = pytest.mark.django_db

INSIDE = ("410000", "410100", "410105")
OUTSIDE = ("210000",)


@pytest.mark.parametrize("department", INSIDE + OUTSIDE)
def test_the_api_shows_a_claim_only_inside_the_jurisdiction(department, file_claim, staff_api):
    file_claim()
    claim = IdClaim.objects.get()
    staff = staff_api(department)

    listed = staff.get("/api/v1/review/id-claims").json()
    detail = staff.get(f"/api/v1/review/id-claims/{claim.pk}")
    photo = staff.get(f"/api/v1/review/id-claims/{claim.pk}/photos/holding")
    decided = staff.post(
        f"/api/v1/review/id-claims/{claim.pk}/decision", {"decision": "refuse", "version": 1, "reason": "照片不清"}
    )

    if department in INSIDE:
        assert [c["reference"] for c in listed] == [claim.reference]
        assert detail.status_code == 200
        assert detail.json()["account"] == {
            "name": "张伟",
            "id_number": claim.id_number_masked,
            "mobile": "139****5678",
            "registered_at": detail.json()["account"]["registered_at"],
            "last_sign_in_at": None,
            "record_status": "none",
            "department": "金水区财政局",
        }
        assert photo.status_code == 200
        assert decided.status_code == 200
    else:
        assert listed == []
        assert detail.status_code == photo.status_code == decided.status_code == 404
        assert IdClaim.objects.get().status == "pending"


def console(make_staff, department: str) -> Client:
    client = CommittingClient()
    client.force_login(make_staff(f"console-{department}", department))
    return client


@pytest.mark.parametrize("department", INSIDE + OUTSIDE)
def test_the_console_shows_a_claim_only_inside_the_jurisdiction(department, file_claim, make_staff):
    file_claim()
    claim = IdClaim.objects.get()
    client = console(make_staff, department)

    listed = client.get("/review/id-claims/").content.decode()
    detail = client.get(f"/review/id-claims/{claim.pk}/")
    photo = client.get(f"/review/id-claims/{claim.pk}/photos/id_card/")
    decided = client.post(f"/review/id-claims/{claim.pk}/", {"action": "approve", "version": "1"})

    if department in INSIDE:
        assert claim.reference in listed
        assert detail.status_code == 200
        page = detail.content.decode()
        assert "李娜" in page and "张伟" in page and "与申请人不同" in page and "139****5678" in page
        assert photo.status_code == 200 and photo["Cache-Control"] == "private, no-store"
        assert decided.status_code == 302
        assert IdClaim.objects.get().status == "approved"
    else:
        assert claim.reference not in listed
        assert detail.status_code == photo.status_code == decided.status_code == 404
        assert IdClaim.objects.get().status == "pending"


def test_the_console_navigation_links_the_claims(make_staff):
    page = console(make_staff, "410105").get("/review/").content.decode()

    assert '<a href="/review/id-claims/">账户申诉</a>' in page


def test_a_refusal_without_reason_keeps_the_console_page_with_the_message(file_claim, make_staff):
    file_claim()
    claim = IdClaim.objects.get()

    response = console(make_staff, "410105").post(
        f"/review/id-claims/{claim.pk}/", {"action": "refuse", "version": "1"}
    )

    assert response.status_code == 400
    assert "不予通过时请填写原因，申请人将收到该原因" in response.content.decode()
    assert IdClaim.objects.get().status == "pending"


def test_the_console_says_what_was_decided(file_claim, make_staff):
    file_claim()
    claim = IdClaim.objects.get()
    client = console(make_staff, "410105")

    decided = client.post(
        f"/review/id-claims/{claim.pk}/", {"action": "refuse", "version": "1", "reason": "证件照片与本人不符"}
    )
    page = client.get(decided["Location"]).content.decode()
    detail = client.get(f"/review/id-claims/{claim.pk}/").content.decode()

    assert f"申诉 {claim.reference}（李娜）未通过，已短信通知。" in page
    assert "证件照片与本人不符" in detail and "处理结果" in detail


def test_the_audit_log_says_both_outcomes_in_chinese(file_claim, staff_api, django_user_model):
    from accreg.audit.labels import action_label

    file_claim()
    claim = IdClaim.objects.get()
    staff_api("410105").post(f"/api/v1/review/id-claims/{claim.pk}/decision", {"decision": "approve", "version": 1})
    root = django_user_model.objects.create_superuser("root", password="Root-Mima-2026")
    superuser = CommittingClient()
    superuser.force_login(root)

    page = superuser.get("/admin/audit/auditevent/").content.decode()

    assert "提交证件号占用申诉" in page and "证件号占用申诉通过（账户交给申请人）" in page
    assert action_label("id_claim.refused") == "证件号占用申诉不予通过"


def test_the_claim_list_reads_in_a_fixed_number_of_queries(
    api, holder, file_claim, staff_api, django_assert_max_num_queries
):
    for n in range(3):
        file_claim(mobile=f"1370000000{n}")
    staff = staff_api("410100")

    with django_assert_max_num_queries(4):
        listed = staff.get("/api/v1/review/id-claims")

    assert len(listed.json()) == 3

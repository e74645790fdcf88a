"""A registered account whose ID number someone else claims, and the claimant's steps over the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accreg.accounts.models import Person
from accreg.regions.models import Department
from tests.conftest import Api, latest_code
from tests.pictures import busy_jpeg

CLAIMANT_MOBILE = "13700001111"


def photo(name: str = "photo.jpg", *, seed: int = 7) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, busy_jpeg(900, 600, seed=seed), content_type="image/jpeg")


@pytest.fixture
def holder(register):  # type: ignore[no-untyped-def]
    """A Henan account registered with the ID number, managed by 金水区财政局 (410105)."""
    registered = register(province="henan", name="张伟", mobile="13912345678")
    Person.objects.filter(pk=registered["id"]).update(department=Department.objects.get(code="410105"))
    return registered


def claim_body(holder: dict, **changes: object) -> dict:
    body = {
        "province": "henan",
        "name": "李娜",
        "id_type": "111",
        "id_number": holder["id_number"],
        "mobile": CLAIMANT_MOBILE,
        "sms_code": "",
        "statement": "我从未注册过，原手机号不是我的",
        "id_card_photo": photo("id.jpg"),
        "holding_photo": photo("holding.jpg", seed=8),
    }
    body.update(changes)
    return body


@pytest.fixture
def file_claim(api, holder):  # type: ignore[no-untyped-def]
    """File a claim on the holder's ID number as the claimant would: a bind code, then the form."""

    def do(*, mobile: str = CLAIMANT_MOBILE, expect: int = 201, **changes: object):  # type: ignore[no-untyped-def]
        after_cooldown()
        sent = api.post("/api/v1/sms-codes", {"mobile": mobile, "purpose": "bind", "province": "henan"})
        assert sent.status_code == 202, sent.json()
        body = claim_body(holder, mobile=mobile, sms_code=latest_code(mobile), **changes)
        response = api.client.post("/api/v1/id-claims", body)
        assert response.status_code == expect, response.json()
        return response.json()

    return do


@pytest.fixture
def staff_api(make_staff):  # type: ignore[no-untyped-def]
    from accreg.accounts.services.tokens import issue_token

    def make(department: str) -> Api:
        return Api(issue_token(staff=make_staff(f"desk-{department}", department)))

    return make


def after_cooldown() -> None:
    """As if the minute between two codes to one mobile had passed (the claim is decided later)."""
    import datetime

    from django.db.models import F

    from accreg.accounts.models import SmsCode

    SmsCode.objects.update(created_at=F("created_at") - datetime.timedelta(minutes=2))

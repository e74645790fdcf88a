"""What approval does to the old holder's record and sessions (issue 15 item 4): a submission
waiting for review goes back to the claimant to confirm or correct; an approved archive stays;
every browser session of the old holder ends."""

from __future__ import annotations

import pytest

from accreg.accounts.models import Person
from accreg.claims.models import IdClaim
from accreg.collection.models import Record, SubmissionCount
from tests.conftest import Api, CommittingClient
from tests.review.conftest import make_submission

from .conftest import CLAIMANT_MOBILE, after_cooldown, claim_body
from .test_claims_api import decide

pytestmark = pytest.mark.django_db


def claim_on(api, person: Person) -> IdClaim:  # type: ignore[no-untyped-def]
    from accreg.accounts.people import id_number_of
    from tests.conftest import latest_code

    after_cooldown()
    api.post("/api/v1/sms-codes", {"mobile": CLAIMANT_MOBILE, "purpose": "bind"})
    body = claim_body({"id_number": id_number_of(person)}, sms_code=latest_code(CLAIMANT_MOBILE))
    assert api.client.post("/api/v1/id-claims", body).status_code == 201
    return IdClaim.objects.get(person=person)


def test_a_pending_submission_goes_back_to_the_claimant(api, staff_api):
    submission = make_submission("410105", name="王芳", password="jiumima2026")
    person = submission.record.person
    claim = claim_on(api, person)
    staff = staff_api("410105")

    assert decide(staff, claim.pk, "approve").status_code == 200

    submission.refresh_from_db()
    record = Record.objects.get(person=person)
    assert submission.status == "returned" and "证件号占用申诉" in submission.reason
    assert record.status == "returned"
    counts = dict(SubmissionCount.objects.filter(department_id="410105").values_list("status", "n"))
    assert counts["pending"] == 0 and counts["returned"] == 1
    assert staff.get(f"/api/v1/review/id-claims/{claim.pk}").json()["account"]["record_status"] == "pending"


def test_an_approved_archive_stays_the_archive(api, staff_api):
    submission = make_submission("410105", name="王芳")
    Record.objects.filter(pk=submission.record_id).update(status="approved", archive=submission)
    submission.__class__.objects.filter(pk=submission.pk).update(status="approved")
    claim = claim_on(api, submission.record.person)

    assert decide(staff_api("410105"), claim.pk, "approve").status_code == 200

    record = Record.objects.get(pk=submission.record_id)
    assert record.status == "approved" and record.archive_id == submission.pk


def test_the_old_holders_browser_session_ends(api, holder, staff_api):
    browser = CommittingClient()
    signed_in = browser.post(
        "/henan/login/?method=id_password",
        {"method": "id_password", "id_number": holder["id_number"], "password": holder["password"]},
    )
    assert signed_in.status_code == 302
    assert browser.get("/henan/me/").status_code == 200
    claim = claim_on(api, Person.objects.get(pk=holder["id"]))

    decide(staff_api("410105"), claim.pk, "approve")

    assert browser.get("/henan/me/")["Location"] == "/henan/login/"
    assert Api(holder["token"]).get("/api/v1/me").status_code == 401

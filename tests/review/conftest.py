"""People with submissions waiting in given counties, and reviewers of given departments."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity, set_mobile
from accreg.accounts.services.tokens import issue_token
from accreg.collection import counters
from accreg.collection.models import Record, Submission
from accreg.collection.submission import search_fields
from accreg.regions.models import Department
from tests.collection.test_submission import complete_chongqing_record
from tests.conftest import Api, valid_id_number

_serial = itertools.count(100)


def work(region: str, unit: str) -> dict:
    return {"employment": "accounting_post", "unit_name": unit, "unit_region": region, "department": region}


def make_submission(
    region: str = "410105", *, name: str = "王芳", unit: str = "郑州某某公司", days_ago: int = 0, password: str = ""
) -> Submission:
    """A Henan person whose record waits for review at the county bureau of `region`."""
    n = next(_serial)
    person = Person(province="henan", name=name, password=make_password(password) if password else "")
    set_identity(person, check_id_number("111", valid_id_number(region=region, seq=n)))
    set_mobile(person, f"139{n:08d}")
    person.save()
    sections = {"personal": {"ethnicity": "01"}, "work": work(region, unit)}
    department = Department.objects.get(code=region)
    record = Record.objects.create(
        person=person,
        sections=sections,
        status="pending",
        version=3,
        department=department,
        employment="accounting_post",
    )
    submission = Submission.objects.create(
        record=record,
        snapshot={
            "registration": {"name": name, "id_number": person.id_number_masked},
            "sections": sections,
            "materials": [],
        },
        record_version=3,
        department=Department.objects.get(code=region),
        due_by=timezone.localdate() + datetime.timedelta(days=14 - days_ago),
        **search_fields(person, sections),
    )
    counters.moved(region, None, "pending")  # as submit_record keeps them
    if days_ago:
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        submission.refresh_from_db()
    return submission


@pytest.fixture
def submitted(db):  # type: ignore[no-untyped-def]
    return make_submission


@pytest.fixture
def reviewer(make_staff):  # type: ignore[no-untyped-def]
    """An API client signed in as a reviewer of the department."""

    def make(department: str, username: str | None = None) -> Api:
        staff = make_staff(username or f"reviewer-{department}", department)
        return Api(issue_token(staff=staff))

    return make


@pytest.fixture
def approved(register, reviewer):  # type: ignore[no-untyped-def]
    """A Chongqing accountant whose record 渝中区 approved: (their client, the reviewer, person)."""
    registered = register(province="chongqing", id_number=valid_id_number(region="500103"))
    person_api = Api(registered["token"])
    complete_chongqing_record(person_api)
    submitted = person_api.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    staff = reviewer("500103")
    version = staff.get(f"/api/v1/review/submissions/{submitted['id']}").json()["version"]
    decided = staff.post(
        f"/api/v1/review/submissions/{submitted['id']}/decision", {"decision": "approve", "version": version}
    )
    assert decided.status_code == 200
    return person_api, staff, Person.objects.get(pk=registered["id"])


def approve(staff: Api, submission_id: int):  # type: ignore[no-untyped-def]
    version = staff.get(f"/api/v1/review/submissions/{submission_id}").json()["version"]
    return staff.post(
        f"/api/v1/review/submissions/{submission_id}/decision", {"decision": "approve", "version": version}
    )

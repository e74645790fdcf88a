"""Every operation of the OpenAPI document, fed generated input by schemathesis: whatever a
client sends, the answer is never a server error, and its status is one the document lists for
that operation (API.md: 4xx with the error shape). Operations behind a token are called with a
real one (an accountant's, or a reviewer's for /review), so the fuzz reaches past the 401."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person, Staff, StaffRole
from accreg.accounts.people import set_identity, set_mobile
from accreg.accounts.services.tokens import issue_token
from accreg.regions.models import Department
from config.wsgi import application
from tests.conftest import valid_id_number

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():  # type: ignore[no-untyped-def]
    """Calling the WSGI handler directly ends each request with close_old_connections, which on
    PostgreSQL would close the connection holding the test's transaction; Django's test client
    disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A Henan accountant and a Jinshui reviewer, each with a token (made directly: the fuzz is
    about the API's answers, not about signing in)."""
    department = Department.objects.get(code="410105")
    person = Person(province="henan", name="张伟", department=department)
    set_identity(person, check_id_number("111", valid_id_number(seq=77)))
    set_mobile(person, "13912340077")
    person.save()
    reviewer = Staff.objects.create(username="fuzz_reviewer", department=department, role=StaffRole.REVIEWER)
    return {"person": issue_token(person=person), "staff": issue_token(staff=reviewer)}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, tokens):
    cache.clear()  # per-IP limits would otherwise turn later examples into 429s
    if case.operation.definition.raw.get("security"):
        holder = "staff" if case.path.startswith("/api/v1/review/") else "person"
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {tokens[holder]}"}

    response = case.call_and_validate(checks=[not_a_server_error, status_code_conformance])

    assert response.status_code < 500

"""Every operation of the OpenAPI document, fed generated input by schemathesis: whatever a
client sends, the answer is never a server error (API.md: 4xx with the error shape)."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application

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


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case):
    cache.clear()  # per-IP limits would otherwise turn later examples into 429s
    response = case.call_and_validate(checks=[not_a_server_error])

    assert response.status_code < 500

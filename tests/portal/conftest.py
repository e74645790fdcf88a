"""Shared by the portal's page tests."""

import pytest

from accreg.accounts.middleware import FINGERPRINT_KEY, SESSION_KEY, _fingerprint
from accreg.accounts.models import Person
from tests.conftest import CommittingClient, valid_id_number


@pytest.fixture
def page(register):  # type: ignore[no-untyped-def]
    """A browser signed in as a newly registered person of the province."""

    def make(province: str = "chongqing", region: str = "500103", mobile: str = "13912345678") -> CommittingClient:
        id_number = valid_id_number(region=region, birth="19900307")
        registered = register(province=province, id_number=id_number, mobile=mobile)
        return signed_in(Person.objects.get(pk=registered["id"]))

    return make


def signed_in(person: Person) -> CommittingClient:
    """A browser with the person's page session, as after signing in."""
    browser = CommittingClient()
    session = browser.session
    session[SESSION_KEY] = person.pk
    session[FINGERPRINT_KEY] = _fingerprint(person)
    session.save()
    return browser

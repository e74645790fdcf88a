"""Accountants placed in given departments, and desk staff (API clients) of given departments."""

from __future__ import annotations

import itertools

import pytest

from accreg.accounts.models import Person, Staff
from accreg.accounts.services.tokens import issue_token
from tests.conftest import Api, valid_id_number

_serial = itertools.count(300)
REGION = {"henan": "410105", "liaoning": "210102", "chongqing": "500103"}


@pytest.fixture
def accountant(register):  # type: ignore[no-untyped-def]
    """A person registered through the API; `department` assigns them there (as an approval or an
    import would), None leaves them with the province's bureau. Returns the registration (id,
    token, id_number, mobile, password)."""

    def make(department: str | None, *, province: str = "henan", name: str = "张伟") -> dict:
        n = next(_serial)
        registered = register(
            province=province,
            name=name,
            mobile=f"137{n:08d}",
            id_number=valid_id_number(region=REGION[province], seq=n),
        )
        if department:
            Person.objects.filter(pk=registered["id"]).update(department_id=department)
        return registered

    return make


@pytest.fixture
def desk(make_staff):  # type: ignore[no-untyped-def]
    """An API client signed in as a staff member of the department (`.staff` is the account)."""

    made: dict[str, Api] = {}

    def make(department: str, username: str | None = None) -> Api:
        username = username or f"desk-{department}"
        if username not in made:
            staff: Staff = make_staff(username, department)
            made[username] = Api(issue_token(staff=staff))
            made[username].staff = staff  # type: ignore[attr-defined]
        return made[username]

    return make


def sign_in(api: Api, registered: dict, *, password: str | None = None, id_number: str | None = None):  # type: ignore[no-untyped-def]
    return api.post(
        "/api/v1/sessions",
        {
            "method": "id_password",
            "id_number": id_number or registered["id_number"],
            "password": password or registered["password"],
        },
    )

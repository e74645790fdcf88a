"""Shared fixtures: reference data loaded once per test session, API and staff clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from accreg.accounts.models import Staff
from accreg.accounts.services.staff import create_staff
from accreg.provinces.loader import all_profiles, clear_caches
from accreg.regions.divisions import all_divisions
from accreg.regions.loading import apply_directory, build_departments, sync_regions

STAFF_PASSWORD = "Ceshi-Mima-2026"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The divisions, departments and directory, as `make run` loads them, once for the session."""
    with django_db_blocker.unblock():
        sync_regions(all_divisions())
        build_departments(all_profiles().values())
        apply_directory()


@pytest.fixture
def profiles_reset() -> Iterator[None]:
    """Forget cached profiles before and after a test that changes ACCREG_PROVINCES or the directory."""
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def make_staff(db):  # type: ignore[no-untyped-def]
    def make(username: str, department: str, role: str = "reviewer") -> Staff:
        return create_staff(username, password=STAFF_PASSWORD, department_code=department, role=role)

    return make


@pytest.fixture
def admin_client_for(make_staff):  # type: ignore[no-untyped-def]
    """A browser client signed in to Django admin as a new administrator of a department."""

    def client_for(department: str, username: str = "admin") -> Client:
        staff = make_staff(username, department, role="admin")
        client = Client()
        client.force_login(staff)
        return client

    return client_for

"""Shared fixtures: reference data loaded once per test session, API and staff clients."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests
from django.conf import settings
from django.test import Client, TestCase, override_settings

from accreg.accounts.models import Staff
from accreg.accounts.services.staff import create_staff
from accreg.provinces.loader import all_profiles, clear_caches
from accreg.regions.divisions import all_divisions
from accreg.regions.loading import apply_directory, build_departments, sync_regions

STAFF_PASSWORD = "Ceshi-Mima-2026"


class CommittingClient(Client):
    """A test client whose requests run their on-commit work (SMS, tasks) when they finish, as a
    real request's transaction would; the test's own wrapping transaction would otherwise hold it."""

    def request(self, **request):  # type: ignore[no-untyped-def]
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client() -> Client:
    return CommittingClient()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def isolated_files_and_tasks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test run gets its own outbox and uploads, and runs background tasks at once (one test,
    tests/notifications/test_sms_queue.py, runs the real database queue and its worker)."""
    from accreg.notifications.sms import sms_backend

    data = tmp_path_factory.mktemp("data")
    immediate = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": settings.TASK_QUEUES}
    }
    with override_settings(TASKS=immediate, SMS_OUTBOX=data / "sms-outbox.jsonl", MEDIA_ROOT=data / "uploads"):
        sms_backend.cache_clear()
        yield
    sms_backend.cache_clear()


@pytest.fixture(autouse=True)
def empty_outbox() -> None:
    """Each test reads only the messages it caused."""
    settings.SMS_OUTBOX.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def fresh_department_codes() -> None:
    """Each test sees the departments its own database holds: the process's set of department
    codes may hold one that an earlier test created and rolled back."""
    from accreg.regions.selectors import forget_department_codes

    forget_department_codes()


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
        client = CommittingClient()
        client.force_login(staff)
        return client

    return client_for


def valid_id_number(region: str = "410105", birth: str = "19900307", seq: int = 1, *, male: bool = True) -> str:
    """A 居民身份证 number with a real check digit (python-stdnum); the sequence's last digit is odd
    for men and even for women."""
    from stdnum.cn import ric

    serial = seq * 2 + (1 if male else 0)
    first17 = f"{region}{birth}{serial % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def outbox_messages(to: str) -> list[str]:
    """Texts the development SMS backend wrote to the outbox for one mobile, oldest first."""
    import json

    path = settings.SMS_OUTBOX
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [line["text"] for line in lines if line["to"] == to]


def latest_code(to: str) -> str:
    import re

    for text in reversed(outbox_messages(to)):
        found = re.search(r"验证码为(\d{6})", text)
        if found:
            return found.group(1)
    raise AssertionError(f"no code was sent to {to}")


class Api:
    """A JSON client for the public API, as a mini-program or app would call it."""

    def __init__(self, token: str | None = None):
        self.client = CommittingClient()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def post(self, path: str, body: dict | None = None):  # type: ignore[no-untyped-def]
        return self.client.post(path, body or {}, content_type="application/json", headers=self._headers())

    def get(self, path: str):  # type: ignore[no-untyped-def]
        return self.client.get(path, headers=self._headers())

    def delete(self, path: str):  # type: ignore[no-untyped-def]
        return self.client.delete(path, headers=self._headers())


@pytest.fixture
def api(db) -> Api:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()  # per-IP request limits start afresh for each test
    return Api()


@pytest.fixture
def register(api):  # type: ignore[no-untyped-def]
    """Register a person through the API as they would: request a code, read it, submit."""

    def do(
        *,
        province: str = "henan",
        mobile: str = "13912345678",
        id_number: str | None = None,
        name: str = "张伟",
        password: str = "kuaiji2026",
    ) -> dict:
        id_number = id_number or valid_id_number()
        sent = api.post("/api/v1/sms-codes", {"mobile": mobile, "purpose": "register", "province": province})
        assert sent.status_code == 202, sent.json()
        response = api.post(
            "/api/v1/accounts",
            {
                "province": province,
                "name": name,
                "id_type": "111",
                "id_number": id_number,
                "mobile": mobile,
                "sms_code": latest_code(mobile),
                "password": password,
            },
        )
        assert response.status_code == 201, response.json()
        return {**response.json(), "id_number": id_number, "mobile": mobile, "password": password}

    return do


@pytest.fixture
def legacy_person(db):  # type: ignore[no-untyped-def]
    """An archive record without a password or mobile, as the legacy import leaves it."""
    from accreg.accounts.identity import check_id_number
    from accreg.accounts.models import Person
    from accreg.accounts.people import set_identity

    def make(*, province: str = "liaoning", name: str = "赵云", id_number: str | None = None) -> Person:
        person = Person(province=province, name=name, is_legacy=True)
        set_identity(person, check_id_number("111", id_number or valid_id_number(region="210102", seq=40)))
        person.save()
        return person

    return make


@pytest.fixture
def reference_data(transactional_db):  # type: ignore[no-untyped-def]
    """Divisions and departments for a transactional test. Each one ends with a flush of
    every table, the reference data loaded for the session included, so load it again if gone."""
    from accreg.provinces.loader import all_profiles
    from accreg.regions.divisions import all_divisions
    from accreg.regions.loading import apply_directory, build_departments, sync_regions
    from accreg.regions.models import Department

    if not Department.objects.exists():
        sync_regions(all_divisions())
        build_departments(all_profiles().values())
        apply_directory()


@pytest.fixture(scope="session")
def dev_idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The development identity provider as `make run` starts it: its own process and port, its own
    database, sharing DATA_DIR (the client secret) with the site. Yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accreg.devidp.settings",
        "DATA_DIR": str(settings.DATA_DIR),
        "DEV_IDP_DB": str(tmp_path_factory.mktemp("dev-idp") / "dev-idp.sqlite3"),
    }
    subprocess.run([sys.executable, "-m", "django", "devidp_setup"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "accreg.devidp.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/o"
    try:
        deadline = time.monotonic() + 60  # the first request loads Django; slow on a busy machine
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/.well-known/openid-configuration", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise RuntimeError("the development identity provider did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)

"""The record read and the section save (issue 16 item 4): what they answer is what the slower,
plainer way of asking would answer, however few statements they take."""

import pytest
from django.db import connection

from accreg.accounts.models import Person
from accreg.collection.selectors import record_of, step_states
from tests.collection.answers import CHONGQING_EMPLOYED_WORK
from tests.conftest import Api, valid_id_number
from tests.pictures import portrait_jpeg
from tests.uploads.test_materials_api import put_section, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(register) -> Api:  # type: ignore[no-untyped-def]
    return Api(register(province="yunnan", id_number=valid_id_number(region="530102"))["token"])


def attachments(steps: list[dict]) -> dict:
    return next(step for step in steps if step["key"] == "attachments")


def test_the_materials_states_selected_with_the_record_are_the_materials_as_stored(client):
    """The read and the save take the materials' states in the record's own statement; the steps
    they answer with are those a separate look at the materials gives, before and after the
    person confirms a photo the system fixed."""
    uploaded = upload(client, "photo", portrait_jpeg(4000, 3000, face_width=0.2, noise=0.2))
    assert uploaded.status_code == 200 and not uploaded.json()["confirmed"]
    person = Person.objects.get(pk=client.get("/api/v1/me").json()["id"])

    for _ in range(2):
        saved = put_section(client, "work", {"employment": "employed", "unit_name": "昆明某某有限公司"}).json()["steps"]
        read = client.get("/api/v1/me/record").json()["steps"]
        separately = step_states(person, record_of(person))  # the materials read on their own

        assert attachments(read) == attachments(saved) == attachments(separately)
        awaiting = [key for key, words in attachments(read)["missing"].items() if "并确认" in words[0]]
        if awaiting:
            assert awaiting == ["material:photo"]
            assert client.post("/api/v1/me/record/materials/photo/confirmation").json()["confirmed"] is True
        else:
            assert "material:photo" not in attachments(read)["missing"]


@pytest.mark.postgres
def test_on_postgresql_the_record_read_is_prepared_once_and_then_reused(register):
    """Server-side binding with psycopg's prepare_threshold (decision 0031): once a connection has
    read records a few times, PostgreSQL holds the record's SELECT as a prepared statement."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: set DATABASE_URL")
    client = Api(register(province="chongqing", id_number=valid_id_number(region="500103"))["token"])
    put_section(client, "work", CHONGQING_EMPLOYED_WORK)

    for _ in range(6):
        assert client.get("/api/v1/me/record").status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"sections"' in sql and "collection_record" in sql for sql in prepared), prepared

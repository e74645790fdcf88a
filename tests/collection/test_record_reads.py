"""The record read and the section save (issue 16 item 4): what they answer is what the slower,
plainer way of asking would answer, however few statements they take."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreg.accounts.models import Person
from accreg.collection.clean_stamps import clean_sections, section_stamp
from accreg.collection.models import Record
from accreg.collection.selectors import record_of, step_states
from accreg.provinces.loader import all_profiles
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


def _steps_cleaning_everything(person: Person) -> list[dict]:
    record = record_of(person)
    record.clean_stamps = {}  # as a record saved before stamps, or with every section changed since
    return step_states(person, record)


def test_a_read_that_trusts_the_stamped_values_says_what_cleaning_them_again_says(register):
    """A fully saved Henan record (the demo's answers, with lists and talent) and a Chongqing one:
    every section is stamped by its save, and the steps a read gives taking the stamped values
    as clean are exactly the steps it gives cleaning every value again."""
    from accreg.collection.services import save_section
    from accreg.demo.submissions import _answers

    henan = Api(register(province="henan", id_number=valid_id_number(region="410105"), mobile="13912340001")["token"])
    henan_person = Person.objects.get(pk=henan.get("/api/v1/me").json()["id"])
    answers = {
        **_answers("410105", "郑州某某有限公司", "104841201005123456"),
        "qualifications": [
            {"type": "02", "level": "02", "method": "01", "obtained_date": "2015-05-20", "certificate_number": " Z1 "}
        ],
        "talent": {"category": "02", "level": "01", "kind": "01"},
        "remarks": {"text": "  曾在  外省采集  "},
    }
    for section, body in answers.items():
        assert section in all_profiles()["henan"].sections
        save_section(henan_person, section, body)
    chongqing = Api(register(province="chongqing", id_number=valid_id_number(region="500103"))["token"])
    put_section(chongqing, "personal", {"ethnicity": "01"})
    put_section(chongqing, "work", {**CHONGQING_EMPLOYED_WORK, "unit_phone": "023-2000 0000"})
    chongqing_person = Person.objects.get(pk=chongqing.get("/api/v1/me").json()["id"])

    for person in (henan_person, chongqing_person):
        record = record_of(person)
        stamped = clean_sections(all_profiles()[person.province], record.sections, record.clean_stamps)
        assert stamped == set(record.sections) - {"personal"} | ({"personal"} & set(record.clean_stamps))
        assert stamped >= {"work"}
        assert step_states(person, record) == _steps_cleaning_everything(person)


def test_a_section_changed_without_a_save_is_cleaned_again_on_read(client):
    """A value written by something other than a save (a correction at the desk, an import) no
    longer matches the section's stamp: the read cleans it, and says what is wrong with it."""
    work = {"employment": "employed", "unit_name": "昆明某某有限公司", "unit_phone": "087165000000"}
    put_section(client, "work", work)
    person = Person.objects.get(pk=client.get("/api/v1/me").json()["id"])
    Record.objects.filter(person=person).update(
        sections={"work": {**record_of(person).sections["work"], "unit_phone": "12345"}}
    )

    work = next(step for step in client.get("/api/v1/me/record").json()["steps"] if step["key"] == "work")

    assert work["state"] == "incomplete"
    assert work["missing"]["unit_phone"] == ["单位电话请填手机号码，或区号加号码，如02320000000"]


def test_the_stamp_changes_with_the_province_rules():
    profile = all_profiles()["henan"]
    changed = profile.model_copy(update={"name": profile.name + "（新规则）"})
    data = {"employment": "employed", "unit_name": "郑州某某有限公司"}

    assert section_stamp(profile, data) == section_stamp(profile, dict(reversed(list(data.items()))))
    assert section_stamp(profile, data) != section_stamp(changed, data)
    assert section_stamp(profile, data) != section_stamp(profile, {**data, "unit_name": "郑州某某公司"})


@pytest.mark.django_db(transaction=True)
def test_the_kept_cursor_follows_its_connection_and_its_statements_are_seen(reference_data, register):
    """The hot statements reuse one database cursor per connection (plain_sql): after the
    connection is closed (a restart, CONN_MAX_AGE) the next request opens another and reads the
    same record, and the statements still show where Django shows statements."""
    client = Api(register(province="chongqing", id_number=valid_id_number(region="500103"))["token"])
    assert put_section(client, "work", CHONGQING_EMPLOYED_WORK).status_code == 200
    before = client.get("/api/v1/me/record").json()

    connection.close()
    after = client.get("/api/v1/me/record")
    with CaptureQueriesContext(connection) as statements:
        again = client.get("/api/v1/me/record").json()

    assert after.status_code == 200 and after.json() == before == again
    assert len(statements) == 2  # the token with its person; the record with its materials
    assert "collection_record" in statements[1]["sql"] and "uploads_material" in statements[1]["sql"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_devices_saving_one_record_at_once_lose_nothing(reference_data, register):
    """The save holds no row lock (decision 0031): two devices of one person saving different
    sections at the same moment each store theirs, or hear that the record was busy; no stored
    section is overwritten by a save that read the record before it, and the version counts
    every save that was stored."""
    import threading

    from accreg.collection.services import save_section
    from accreg.errors import ConflictError

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: set DATABASE_URL")
    client = Api(register(province="chongqing", id_number=valid_id_number(region="500103"))["token"])
    assert put_section(client, "work", CHONGQING_EMPLOYED_WORK).status_code == 200
    person = Person.objects.get(pk=client.get("/api/v1/me").json()["id"])
    start = record_of(person).version
    values = {
        "personal": [{"ethnicity": code} for code in ("01", "02", "03", "04", "05", "06") * 5],
        "education": [
            {"full_time": {"level": "21", "degree": "4", "major": "120203K", "graduation_date": f"2012-06-{day:02d}"}}
            for day in range(1, 31)
        ],
    }
    last: dict[str, object] = {}
    stored = {"personal": 0, "education": 0}
    busy = []
    ready = threading.Barrier(2)

    def device(section: str) -> None:
        try:
            ready.wait()
            for body in values[section]:
                try:
                    record, _ = save_section(Person.objects.get(pk=person.pk), section, body)
                except ConflictError as exc:
                    busy.append(exc.code)
                    continue
                stored[section] += 1
                last[section] = record.sections[section]
        finally:
            connection.close()

    threads = [threading.Thread(target=device, args=(section,)) for section in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    record = record_of(person)
    assert record.sections["personal"] == last["personal"] and record.sections["education"] == last["education"]
    assert record.sections["work"]["unit_name"] == CHONGQING_EMPLOYED_WORK["unit_name"]
    assert record.version == start + stored["personal"] + stored["education"]
    assert set(busy) <= {"record_busy"} and stored["personal"] + stored["education"] + len(busy) == 60


def test_a_corrected_name_whose_save_lost_a_race_is_renamed_once_with_the_record(register, monkeypatch):
    """LN 6: the name and the record are written together. When the record's version moved
    between this save's read and its write, the attempt stores nothing and its rename is rolled
    back (here with the interfering write, made on the same connection inside that transaction);
    the next attempt reads again and renames once more: the account ends with the new name, one
    audit event, the section stored once."""
    from accreg.audit.models import AuditEvent
    from accreg.collection import services

    client = Api(register(province="liaoning", id_number=valid_id_number(region="210102"))["token"])
    person = Person.objects.get(pk=client.get("/api/v1/me").json()["id"])
    assert put_section(client, "personal", {"ethnicity": "01"}).status_code == 200
    start = record_of(person).version
    real_update, raced = services.update_fields, []

    def another_device_saves_first(record, names, **kwargs):  # type: ignore[no-untyped-def]
        if not raced:  # the version moves between this save's read and its write
            raced.append(Record.objects.filter(pk=record.pk).update(version=record.version))
        return real_update(record, names, **kwargs)

    monkeypatch.setattr(services, "update_fields", another_device_saves_first)
    response = put_section(client, "personal", {"ethnicity": "01", "name": "李新名"})

    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert person.name == "李新名" and raced == [1]
    assert record_of(person).version == start + 1
    assert AuditEvent.objects.filter(action="person.renamed").count() == 1

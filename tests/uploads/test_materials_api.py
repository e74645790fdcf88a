"""/api/v1/me/record/materials: what to upload follows the answers; uploads are fixed to the rule."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from tests.conftest import Api, valid_id_number
from tests.pictures import portrait_jpeg

pytestmark = pytest.mark.django_db


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((width, height), 60).convert("RGB").save(out, "JPEG", quality=92)
    return out.getvalue()


@pytest.fixture
def person(register):  # type: ignore[no-untyped-def]
    mobiles = iter(range(13700000000, 13700000100))

    def make(province: str = "yunnan", region: str = "530102") -> Api:
        registered = register(province=province, id_number=valid_id_number(region=region), mobile=str(next(mobiles)))
        return Api(registered["token"])

    return make


def upload(client: Api, kind: str, data: bytes, item: int = 0, name: str = "photo.jpg"):  # type: ignore[no-untyped-def]
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile(name, data)})
    return client.client.put(
        f"/api/v1/me/record/materials/{kind}?item={item}",
        body,
        content_type=MULTIPART_CONTENT,
        headers=client._headers(),
    )


def put_section(client: Api, section: str, body):  # type: ignore[no-untyped-def]
    return client.client.put(
        f"/api/v1/me/record/sections/{section}",
        json.dumps(body),
        content_type="application/json",
        headers=client._headers(),
    )


def kinds(client: Api) -> dict[str, bool]:
    return {f"{m['kind']}#{m['item']}": m["required"] for m in client.get("/api/v1/me/record/materials").json()}


def test_a_big_camera_photo_is_fixed_to_yunnans_20_kb_rule_and_awaits_a_look(person):
    client = person()

    response = upload(client, "photo", portrait_jpeg(4000, 3000, face_width=0.2, noise=0.2))

    body = response.json()
    assert response.status_code == 200
    assert (body["width"], body["height"], body["format"]) == (295, 413, "jpeg")
    assert body["bytes"] <= 20 * 1024
    assert body["fixed"] and "已压缩文件大小" in body["fixes"] and not body["confirmed"]
    assert client.post("/api/v1/me/record/materials/photo/confirmation").json()["confirmed"] is True


def test_the_stored_file_is_the_fixed_image_for_its_owner_only(person):
    client = person()
    upload(client, "photo", portrait_jpeg(1000, 1400))

    mine = client.get("/api/v1/me/record/materials/photo/file")
    theirs = person("henan", "410105").get("/api/v1/me/record/materials/photo/file")

    assert mine.status_code == 200 and mine["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(mine.streaming_content))).size == (295, 413)
    assert theirs.status_code == 404


def test_not_an_image_is_refused_with_the_reason(person):
    response = upload(person(), "photo", b"%PDF-1.4", name="scan.pdf")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"file": ["无法识别该文件，请上传 JPG 或 PNG 格式的照片"]}


def test_henan_certificates_must_be_at_least_700_by_500(person):
    client = person("henan", "410105")
    put_section(client, "education", {"full_time": {"level": "21", "degree": "4"}})

    response = upload(client, "full_time_education", jpeg(600, 400))

    assert response.status_code == 400
    assert "小于要求的700×500像素" in response.json()["error"]["message"]


def test_the_list_follows_the_answers(person):
    client = person()
    before = kinds(client)
    put_section(client, "work", {"employment": "employed", "unit_region": "530102"})
    put_section(client, "education", {"full_time": {"level": "21", "degree": "0"}})
    put_section(
        client,
        "qualifications",
        [
            {"type": "01", "level": "01", "obtained_date": "2016-05-01", "certificate_number": "A1", "method": "01"},
            {"type": "01", "level": "02", "obtained_date": "2020-05-01", "certificate_number": "B2", "method": "01"},
        ],
    )

    after = kinds(client)

    assert set(before) == {"photo#0", "id_front#0", "id_back#0"}
    assert {"work_proof#0", "full_time_education#0", "qualification#0", "qualification#1"} <= set(after)
    assert "full_time_degree#0" not in after  # degree 无: no certificate (CQ 2.2)
    assert "student_card#0" not in after


def test_a_material_the_answers_do_not_call_for_is_refused(person):
    client = person()

    response = upload(client, "work_proof", jpeg(800, 600))
    missing_item = upload(client, "qualification", jpeg(800, 600), item=3)

    assert response.json()["error"]["fields"] == {"file": ["根据您填写的信息，不需要上传这项材料"]}
    assert missing_item.status_code == 400


def test_replacing_keeps_one_file_and_deleting_removes_it(person):
    client = person("chongqing", "500103")  # no byte limit: the scan is kept as it is
    upload(client, "id_front", jpeg(800, 600))
    upload(client, "id_front", jpeg(900, 600))

    listed = [m for m in client.get("/api/v1/me/record/materials").json() if m["kind"] == "id_front"]
    deleted = client.delete("/api/v1/me/record/materials/id_front")

    assert listed[0]["stored"]["width"] == 900 and listed[0]["state"] == "uploaded"
    assert deleted.status_code == 204
    assert client.get("/api/v1/me/record/materials/id_front/file").status_code == 404


def test_a_file_over_20_mb_is_refused_before_it_is_read(person):
    response = upload(person(), "photo", b"\xff\xd8" + b"\0" * (20 * 1024 * 1024 + 1))

    assert response.status_code == 413
    assert response.json()["error"]["fields"] == {"file": ["文件超过20MB，请上传较小的照片或扫描件"]}

"""The person's materials over the API (API.md): what to upload, upload (fixed to the rule),
confirm a fixed image, delete, and read back the stored file."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Router, Status, UploadedFile

from accreg.accounts.models import Person
from accreg.collection.selectors import record_of
from accreg.errors import NotFoundError, PayloadTooLargeError
from accreg.provinces.loader import all_profiles
from accreg.reading.checks import Subject, reading_out, subject_of
from accreg.reading.models import Reading
from accreg.reading.services import readings_by_file
from accreg.uploads.imaging import MAX_UPLOAD_BYTES
from accreg.uploads.models import Material
from accreg.uploads.requirements import material_requirements
from accreg.uploads.services import confirm_material, delete_material, upload_material

from .auth import PersonToken
from .schemas import IMAGE_200, errors

router = Router(tags=["材料上传"], auth=PersonToken)

FIX_LABELS = {
    "rotated": "已按拍摄方向转正",
    "cropped": "已裁剪为1寸照片比例",
    "face_cropped": "已按人脸位置裁剪为1寸照片",
    "resized": "已缩小尺寸",
    "converted": "已转换格式",
    "compressed": "已压缩文件大小",
}


def material_out(material: Material, subject: Subject, reading: Reading | None) -> dict[str, Any]:
    return {
        "kind": material.kind,
        "item": material.item,
        "format": material.format,
        "width": material.width,
        "height": material.height,
        "bytes": material.size,
        "fixed": bool(material.fixes),
        "fixes": [FIX_LABELS.get(f, f) for f in material.fixes],
        "original": material.original,
        "confirmed": material.confirmed,
        "url": f"/api/v1/me/record/materials/{material.kind}/file?item={material.item}",
        "reading": reading_out(reading, subject),
    }


def _material_out(person: Person, material: Material) -> dict[str, Any]:
    """One material as the upload and confirmation answers show it, with its reading."""
    subject = subject_of(person, material.record.sections)
    return material_out(material, subject, readings_by_file([material.file.name or ""]).get(material.file.name or ""))


@router.get(
    "/me/record/materials",
    response={200: list[dict], **errors(401)},
    summary="我需要上传和可以上传的材料，各自的要求与状态",
)
def list_materials(request: HttpRequest) -> list[dict[str, Any]]:
    person: Person = request.auth  # type: ignore[attr-defined]
    record = record_of(person)
    stored = {(m.kind, m.item): m for m in record.materials.all()}
    readings = readings_by_file(m.file.name or "" for m in stored.values())
    subject = subject_of(person, record.sections)
    result = []
    for req in material_requirements(all_profiles()[person.province], record.sections):
        material = stored.get((req.kind, req.item))
        result.append(
            {
                "kind": req.kind,
                "item": req.item,
                "label": req.label,
                "required": req.required,
                "rule": {
                    "formats": list(req.rule.formats),
                    "max_bytes": req.rule.max_bytes,
                    "min_width": req.rule.min_width,
                    "min_height": req.rule.min_height,
                    "one_inch": req.rule.crop == "one_inch",
                    "white_background": req.rule.white_background,
                    "hint": req.rule.hint,
                    "template": req.rule.template,
                },
                "state": "missing" if material is None else ("to_confirm" if not material.confirmed else "uploaded"),
                "stored": material_out(material, subject, readings.get(material.file.name or "")) if material else None,
            }
        )
    return result


@router.put(
    "/me/record/materials/{kind}",
    response={200: dict, **errors(400, 401, 404, 409, 413)},
    summary="上传材料（不合要求的图片自动处理）",
)
def put_material(request: HttpRequest, kind: str, file: File[UploadedFile], item: int = 0) -> Status:
    if file.size and file.size > MAX_UPLOAD_BYTES:
        msg = f"文件超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请上传较小的照片或扫描件"
        raise PayloadTooLargeError("file_too_large", msg, fields={"file": [msg]})
    material = upload_material(request.auth, kind, item=item, data=file.read())  # type: ignore[attr-defined]
    return Status(200, _material_out(request.auth, material))  # type: ignore[attr-defined]


@router.post(
    "/me/record/materials/{kind}/confirmation",
    response={200: dict, **errors(400, 401, 404, 409)},
    summary="确认系统处理后的图片",
)
def post_confirmation(request: HttpRequest, kind: str, item: int = 0) -> dict[str, Any]:
    person: Person = request.auth  # type: ignore[attr-defined]
    return _material_out(person, confirm_material(person, kind, item=item))


@router.delete(
    "/me/record/materials/{kind}", response={204: None, **errors(400, 401, 404, 409)}, summary="删除已上传的材料"
)
def remove_material(request: HttpRequest, kind: str, item: int = 0) -> Status:
    delete_material(request.auth, kind, item=item)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get(
    "/me/record/materials/{kind}/file",
    response=errors(400, 401, 404),
    summary="已上传材料的图片",
    openapi_extra=IMAGE_200,
)
def material_file(request: HttpRequest, kind: str, item: int = 0) -> FileResponse:
    person: Person = request.auth  # type: ignore[attr-defined]
    material = Material.objects.filter(record__person=person, kind=kind, item=item).first()
    if material is None:
        raise NotFoundError("material_missing", "还没有上传这项材料")
    response = FileResponse(material.file.open("rb"), content_type=f"image/{material.format}")
    response["Cache-Control"] = "private, no-store"
    return response

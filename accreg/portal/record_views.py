"""The collection wizard (信息采集), one page per step of the person's province: the notice, each
section, the materials, and the summary with the commitment and the submit button.

Pages call the same services as the API. A save that breaks a rule comes back with each message
beside its field and everything typed still in the form; a save that passes goes on (PRG).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accreg.accounts.models import Person
from accreg.collection.amendments import open_request
from accreg.collection.archive_prefill import ARCHIVE_NOTE, from_archive
from accreg.collection.display import section_rows
from accreg.collection.models import Record, RecordStatus
from accreg.collection.selectors import record_of, step_states
from accreg.collection.self_check import self_check
from accreg.collection.services import save_section
from accreg.collection.submission import (
    accept_notice,
    missing_for_submission,
    open_notice,
    record_status,
    submit_record,
)
from accreg.documents.basic_info import basic_info_pdf
from accreg.documents.pdf import private_pdf_response
from accreg.documents.work_proof import work_proof_pdf
from accreg.errors import DomainError
from accreg.provinces.fields import LIST_SECTIONS, MATERIAL_KINDS
from accreg.provinces.loader import served_profile
from accreg.provinces.schema import Province
from accreg.uploads.imaging import MAX_UPLOAD_BYTES
from accreg.uploads.models import Material
from accreg.uploads.requirements import Requirement, material_requirements
from accreg.uploads.services import confirm_material, delete_material, upload_material
from accreg.uploads.sizes import limit_label, size_label
from accreg.uploads.thumbnails import thumbnail_of

from . import record_forms as forms
from .readings import WARNINGS_NOTE, material_readings, shown_reading
from .returned import returned_flags

FIX_LABELS = {
    "rotated": "已按拍摄方向转正",
    "cropped": "已裁剪为1寸照片比例（295×413像素）",
    "face_cropped": "已按人脸位置裁剪为1寸照片（295×413像素）",
    "resized": "已缩小尺寸",
    "converted": "已转换格式",
    "compressed": "已压缩文件大小",
}
MATERIAL_FLASH = "material_flash"  # the outcome of the last upload, shown once after the redirect
STATE_LABELS = {"complete": "已完成", "incomplete": "待补充", "optional": "选填", "empty": "未填写"}

PersonView = Callable[..., HttpResponseBase]


def person_page(view: PersonView) -> Callable[..., HttpResponseBase]:
    """The page of a signed-in person on their own province's portal."""

    @wraps(view)
    def wrapper(request: HttpRequest, province: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        profile = served_profile(province)
        if profile is None:
            raise Http404("未开通该省份")
        person: Person | None = request.person  # type: ignore[attr-defined]
        if not person:  # a lazy object: test its truth, not its identity
            if _wants_json(request):
                return JsonResponse({"ok": False, "message": "登录已过期，请重新登录后再上传", "html": ""}, status=401)
            return HttpResponseRedirect(f"/{profile.code}/login/")
        if person.province != profile.code:
            return HttpResponseRedirect(f"/{person.province}/me/")
        return view(request, profile, person, *args, **kwargs)

    return wrapper


def _step_url(profile: Province, key: str) -> str:
    return f"/{profile.code}/record/{key}/"


def _wizard(request: HttpRequest, profile: Province, person: Person, key: str, template: str, **context: Any):
    """Render a step with the progress bar: 第N步，共M步 and every step's state."""
    record = context.pop("record", None) or record_of(person)
    steps = context.pop("steps", None) or step_states(person, record)
    for step in steps:
        step["url"] = _step_url(profile, step["key"])
        step["state_label"] = STATE_LABELS[step["state"]]
    current = next(s for s in steps if s["key"] == key)
    following = [s for s in steps if s["number"] == current["number"] + 1]
    status = context.pop("status", 200)
    return render(
        request,
        f"portal/record/{template}",
        {
            "province": profile,
            "person": person,
            "record": record,
            "steps": steps,
            "step": current,
            "total": len(steps),
            "next_step": following[0] if following else None,
            "change": open_request(record) if record.archive_id else None,
            "saved": request.GET.get("saved"),
            **context,
        },
        status=status,
    )


@person_page
def start(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    """Where to go on: the first step not done, or the summary."""
    record = record_of(person)
    if record.status in (RecordStatus.PENDING, RecordStatus.APPROVED):
        return HttpResponseRedirect(_step_url(profile, "commitment"))
    for step in step_states(person, record):
        if step["state"] in ("empty", "incomplete"):
            return HttpResponseRedirect(_step_url(profile, step["key"]))
    return HttpResponseRedirect(_step_url(profile, "commitment"))


@require_http_methods(["GET", "POST"])
@person_page
def step(request: HttpRequest, profile: Province, person: Person, key: str) -> HttpResponse:
    if key not in profile.steps:
        raise Http404("没有这一步")
    record = record_of(person)
    if key != "commitment" and record.status in (RecordStatus.PENDING, RecordStatus.APPROVED):
        if _wants_json(request):
            message = "信息已提交，审核期间或审核通过后不能修改材料"
            return JsonResponse({"ok": False, "message": message, "html": ""}, status=409)
        return HttpResponseRedirect(_step_url(profile, "commitment"))
    if key == "notice":
        return _notice(request, profile, person)
    if key == "attachments":
        return _attachments(request, profile, person)
    if key == "commitment":
        return _commitment(request, profile, person)
    return _section(request, profile, person, key)


def _go_on(request: HttpRequest, profile: Province, key: str) -> HttpResponse:
    """After a save: the next step, or the same page saying it was saved."""
    if request.POST.get("action") == "next":
        steps = list(profile.steps)
        return HttpResponseRedirect(_step_url(profile, steps[steps.index(key) + 1]))
    return HttpResponseRedirect(_step_url(profile, key) + "?saved=1")


# The notice ----------------------------------------------------------------------------------


def _notice(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    record = open_notice(person)
    context: dict[str, Any] = {"paragraphs": [p.strip() for p in profile.notice.text.strip().splitlines() if p.strip()]}
    if request.method == "POST":
        try:
            accept_notice(person)
        except DomainError as exc:
            context.update(form_error=exc.message, status=exc.status)
        else:
            return _go_on(request, profile, "notice")
    if record.notice_accepted_at is None and record.notice_shown_at:
        waited = (timezone.now() - record.notice_shown_at).total_seconds()
        context["wait"] = max(0, int(profile.notice.min_read_seconds - waited + 0.999))
    return _wizard(request, profile, person, "notice", "notice.html", record=record, **context)


# A section -----------------------------------------------------------------------------------


def _section(request: HttpRequest, profile: Province, person: Person, key: str) -> HttpResponse:
    record = record_of(person)
    errors: dict[str, list[str]] = {}
    context: dict[str, Any] = {}
    action = request.POST.get("action", "")
    if request.method == "POST":
        values = forms.posted_values(key, request.POST)
        if action == "add":
            context["notice"] = "已添加一条，请填写后保存"
            context["extra"] = 1
        elif action.startswith("remove:") and action[7:].isdigit():
            values = forms.without_item(values, int(action[7:]))
            context["notice"] = "已移除该条记录，请点击保存使修改生效"
        else:
            try:
                save_section(person, key, forms.raw_section(key, values))
            except DomainError as exc:
                errors = exc.fields
                context.update(form_error=exc.message, status=exc.status)
            else:
                return _go_on(request, profile, key)
    else:
        values = forms.saved_values(key, record.sections.get(key))
    states = step_states(person, record)  # once per page: _wizard shows the same states in the progress bar
    context["steps"] = states
    current = next(s for s in states if s["key"] == key)
    missing = current["missing"] if request.method == "GET" and key in record.sections else {}
    flags = [f for f in returned_flags(profile, record) if f.step == key]
    flagged: dict[str, list[str]] = {}
    for flag in flags:
        flagged.setdefault(flag.name, []).append(flag.reason)
    department = record.department if record.archive_id else None
    locked = (department.code, department.name) if department else None
    ctx = forms.FormContext(profile, person, values, errors, missing, flagged, locked_department=locked)
    context["flags"] = flags
    context["section"] = profile.sections[key]
    context["archive_note"] = ARCHIVE_NOTE if from_archive(person, key, record.sections.get(key)) else ""
    if key == "personal":
        context["fields"] = forms.personal_fields(ctx)
    elif key == "work":
        context["fields"] = forms.work_fields(ctx)
        context["statuses"] = {s.code: s.kind for s in profile.employment_statuses}
        context["current_kind"] = context["statuses"].get(values.get("employment", ""), "")
    elif key == "education":
        context["parts"] = forms.education_parts(ctx)
    elif key in LIST_SECTIONS:
        count = forms.item_count(key, values) + context.pop("extra", 0)
        context["items"] = forms.list_items(key, ctx, count)
        context["max_items"] = 20
    else:
        context["fields"] = forms.simple_fields(key, ctx)
    other = {k: m for k, m in errors.items() if not _shown(k, context)}
    context["other_errors"] = [m for messages in other.values() for m in messages]
    return _wizard(request, profile, person, key, "section.html", record=record, **context)


def _shown(name: str, context: dict[str, Any]) -> bool:
    fields = list(context.get("fields", []))
    fields += [f for _p, _l, part in context.get("parts", []) for f in part]
    fields += [f for item in context.get("items", []) for f in item]
    return any(f.name == name for f in fields)


# Materials -----------------------------------------------------------------------------------


def _wants_json(request: HttpRequest) -> bool:
    """The page's script asks for the changed slot as JSON; without JavaScript it is post/redirect/get."""
    return "application/json" in request.headers.get("Accept", "")


def _material_slots(profile: Province, record: Record, flash: dict[str, str]) -> list[dict[str, Any]]:
    stored = {(m.kind, m.item): m for m in record.materials.all()}
    flagged = {f.name: f.reason for f in returned_flags(profile, record) if f.step == "attachments"}
    readings = material_readings(record) if stored else {}
    return [
        _material_slot(profile, req, stored.get((req.kind, req.item)), flash, flagged, readings)
        for req in material_requirements(profile, record.sections)
    ]


def _material_slot(
    profile: Province,
    req: Requirement,
    material: Material | None,
    flash: dict[str, str],
    flagged: dict[str, str],
    readings: dict[tuple[str, int], dict[str, Any] | None],
) -> dict[str, Any]:
    anchor = f"{req.kind}-{req.item}"
    original = (material.original or {}) if material else {}
    before = original.get("before_phone") or original
    return {
        "req": req,
        "anchor": anchor,
        "material": material,
        "fixes": [FIX_LABELS.get(f, f) for f in material.fixes] if material else [],
        "size": size_label(material.size) if material else "",
        "before": before,
        "original_size": size_label(before.get("bytes", 0)),
        "shrunk_on_phone": "before_phone" in original,
        "limit": limit_label(req.rule.max_bytes) if req.rule.max_bytes else "",
        "formats": "、".join("jpg" if f == "jpeg" else f for f in req.rule.formats),
        "shrink_side": req.shrink_side(),
        "max_bytes": MAX_UPLOAD_BYTES,
        "error": flash.get("error") if flash.get("anchor") == anchor else "",
        "done": flash.get("done") if flash.get("anchor") == anchor else "",
        "pdf": req.kind == "basic_info_form",
        "template_pdf": req.kind in profile.documents,
        "flag": flagged.get(anchor, ""),
        "reading": shown_reading(readings.get((req.kind, req.item))) if material else None,
    }


def _attachments(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    if request.method == "POST":
        return _material_action(request, profile, person)
    record = record_of(person)
    return _wizard(
        request,
        profile,
        person,
        "attachments",
        "attachments.html",
        record=record,
        items=_material_slots(profile, record, request.session.pop(MATERIAL_FLASH, {})),
        max_mb=MAX_UPLOAD_BYTES // 1024 // 1024,
        max_bytes=MAX_UPLOAD_BYTES,
    )


def _client_original(request: HttpRequest) -> dict[str, object] | None:
    fields: dict[str, object] = {key: request.POST.get(f"original_{key}", "") for key in ("width", "height", "bytes")}
    return fields if all(fields.values()) else None


def _material_action(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    """Upload, confirm or delete one material. The page's script gets the slot back as HTML inside
    JSON, to put in place; without JavaScript it is back to the list at that material, with the
    outcome kept in the session for the next page."""
    kind = request.POST.get("kind", "")
    item = int(request.POST["item"]) if request.POST.get("item", "").isdigit() else 0
    action = request.POST.get("action", "upload")
    anchor = f"{kind}-{item}"
    flash: dict[str, str] = {"anchor": anchor}
    status = 200
    try:
        if action == "confirm":
            confirm_material(person, kind, item=item)
            flash["done"] = "已确认使用处理后的图片"
        elif action == "delete":
            delete_material(person, kind, item=item)
            flash["done"] = "已删除"
        else:
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError("no_file", "请选择要上传的图片")
            if upload.size and upload.size > MAX_UPLOAD_BYTES:
                raise DomainError("file_too_large", f"文件超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请上传较小的图片")
            material = upload_material(
                person,
                kind,
                item=item,
                data=upload.read(),
                upload_key=request.POST.get("upload_key", ""),
                client_original=_client_original(request),
            )
            flash["done"] = "系统已处理图片，请查看后确认" if material.fixes else "上传成功"
    except DomainError as exc:
        flash["error"], status = exc.message, exc.status
    if not _wants_json(request):
        request.session[MATERIAL_FLASH] = flash
        return HttpResponseRedirect(f"/{profile.code}/record/attachments/#m-{anchor}")
    return _slot_json(request, profile, person, flash, status)


def _slot_json(
    request: HttpRequest, profile: Province, person: Person, flash: dict[str, str], status: int
) -> JsonResponse:
    record = record_of(person)
    slot = next((s for s in _material_slots(profile, record, flash) if s["anchor"] == flash["anchor"]), None)
    html = render_to_string("portal/record/_material.html", {"m": slot, "province": profile}, request) if slot else ""
    return JsonResponse(
        {"ok": "error" not in flash, "message": flash.get("error") or flash.get("done", ""), "html": html},
        status=status,
    )


@person_page
def material_thumbnail(request: HttpRequest, profile: Province, person: Person, kind: str, item: int) -> FileResponse:
    """The small preview the list shows; the full image opens on tap."""
    material = Material.objects.filter(record__person=person, kind=kind, item=item).first()
    if material is None or kind not in MATERIAL_KINDS or not material.file.name:
        raise Http404("还没有上传这项材料")
    storage = material.file.storage
    response = FileResponse(storage.open(thumbnail_of(storage, material.file.name), "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@person_page
def material_file(request: HttpRequest, profile: Province, person: Person, kind: str, item: int) -> FileResponse:
    """The person's own stored image, never cached by anyone else."""
    material = Material.objects.filter(record__person=person, kind=kind, item=item).first()
    if material is None or kind not in MATERIAL_KINDS:
        raise Http404("还没有上传这项材料")
    response = FileResponse(material.file.open("rb"), content_type=f"image/{material.format}")
    response["Cache-Control"] = "private, no-store"
    return response


# Summary, commitment, submit -----------------------------------------------------------------


def _commitment(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    record = record_of(person)
    context: dict[str, Any] = {}
    if request.method == "POST" and record.status not in (RecordStatus.PENDING, RecordStatus.APPROVED):
        try:
            submit_record(person, accept_commitment=request.POST.get("accept_commitment") == "on")
        except DomainError as exc:
            context.update(form_error=exc.message, status=exc.status, problems=_problems(profile, exc.fields))
        else:
            return HttpResponseRedirect(f"/{profile.code}/me/?submitted=1")
    locked = record.status in (RecordStatus.PENDING, RecordStatus.APPROVED)
    if not locked and "problems" not in context:  # say what is missing before the person presses submit
        context["problems"] = _problems(profile, missing_for_submission(person, record))
    materials = {(m.kind, m.item): m for m in record.materials.all()}
    summary = []
    for key in profile.section_steps:
        summary.append(
            {
                "key": key,
                "title": profile.sections[key].title,
                "groups": section_rows(key, record.sections.get(key), profile),
                "url": _step_url(profile, key),
            }
        )
    uploaded = [
        {"label": req.label, "material": materials.get((req.kind, req.item))}
        for req in material_requirements(profile, record.sections)
    ]
    return _wizard(
        request,
        profile,
        person,
        "commitment",
        "commitment.html",
        record=record,
        summary=summary,
        uploaded=uploaded,
        review=record_status(person),
        flags=returned_flags(profile, record),
        warnings_note=WARNINGS_NOTE,
        locked=locked,
        self_check=[] if locked else _linked(profile, record, self_check(person, record, profile=profile)),
        **context,
    )


def _linked(profile: Province, record: Record, findings: list[dict[str, str]]) -> list[dict[str, str]]:
    """The self-check's findings, each with the address of the step that fixes it. What the machine
    read off a material (its checks, issue 17) names the material and links to it on the
    attachments step, so the summary lists those warnings once, in this list."""
    labels = {(req.kind, req.item): req.label for req in material_requirements(profile, record.sections)}
    linked = []
    for finding in findings:
        url, message = _step_url(profile, finding["step"]), finding["message"]
        if finding["field"].startswith("material:"):
            kind, _, item = finding["field"].removeprefix("material:").partition("#")
            url = f"/{profile.code}/record/attachments/#m-{kind}-{item or 0}"
            message = f"{labels.get((kind, int(item or 0)), kind)}：{message}"
        linked.append({**finding, "url": url, "message": message})
    return linked


def _problems(profile: Province, fields: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each reason the submit was refused, with a link to the step that fixes it."""
    problems: list[dict[str, Any]] = []
    for key, messages in fields.items():
        step_key = "attachments" if key.startswith("material:") else key.split(".", 1)[0]
        url = _step_url(profile, step_key) if step_key in profile.steps else ""
        order = profile.steps.index(step_key) if step_key in profile.steps else len(profile.steps)
        for message in messages:
            problems.append({"message": message, "url": url, "order": order})
    return sorted(problems, key=lambda p: p["order"])  # stable: fields keep the form's order


@person_page
def basic_info_form(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    """LN 10: the basic-information form to print, sign and upload, made from the record now."""
    if "basic_info_form" not in profile.materials:
        raise Http404("本省不需要打印基本信息表")
    return private_pdf_response(
        basic_info_pdf(profile, person, record_of(person), today=timezone.localdate()), "basic-info"
    )


@person_page
def work_proof_form(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    """The province's work-proof template filled from the record (CQ appendix 2, YN 12)."""
    if "work_proof" not in profile.documents:
        raise Http404("本省没有工作证明模板")
    return private_pdf_response(
        work_proof_pdf(profile, person, record_of(person), today=timezone.localdate()), "work-proof"
    )

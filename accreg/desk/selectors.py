"""Reads of the department's desk (管理部门服务台): finding accountants in the staff member's
jurisdiction, one person's account and history, and the corrections waiting for approval.
Every query goes through `people_within_jurisdiction`; outside it a person does not exist (404)."""

from __future__ import annotations

import base64
import datetime
import re
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accreg.accounts.models import Person, Staff
from accreg.accounts.people import id_hash, mobile_hash, verified_name_note
from accreg.accounts.services.lockout import LockoutRule, locked_accounts
from accreg.accounts.services.sign_in import METHOD_LABELS, lockout_rule
from accreg.audit.labels import action_label, party_label, party_names
from accreg.audit.models import AuditEvent
from accreg.codelists.registry import code_list
from accreg.collection.models import ChangeRequest, Submission
from accreg.errors import DomainError, NotFoundError
from accreg.provinces.loader import all_profiles
from accreg.regions.jurisdiction import people_within_jurisdiction
from accreg.regions.models import Department

from .models import FOUR_EYES, Correction, CorrectionField, CorrectionState

PAGE_SIZE = 20
HISTORY_SIZE = 100
MOBILE = re.compile(r"^1\d{10}$")
DOCUMENT_NUMBER = re.compile(r"^(?=.*\d)[A-Za-z0-9]{5,20}$")  # any ID type's number has a digit
NAME_PREFIX = re.compile(r"^[\u4e00-\u9fa5\u3400-\u4dbfA-Za-z·][\u4e00-\u9fa5\u3400-\u4dbfA-Za-z· \-]{0,49}$")
SEARCH_HINT = "请输入完整的证件号码、完整的手机号，或姓名的开头（如“王”或“王芳”）"
OUTSIDE = "没有这位会计人员，或不在您的管辖范围内"
STATUS_LABELS = {"draft": "未提交", "pending": "待审核", "approved": "审核通过", "returned": "审核退回"}


def desk_people(staff: Staff) -> QuerySet[Person]:
    """Every accountant the staff member's desk may find (the one door, issue 15)."""
    return people_within_jurisdiction(Person.objects.all(), staff)


def desk_person(staff: Staff, person_id: int) -> Person:
    """The person if they are in the staff member's jurisdiction; NotFoundError (404) otherwise."""
    person = desk_people(staff).select_related("department", "record__department").filter(pk=person_id).first()
    if person is None:
        raise NotFoundError("not_found", OUTSIDE)
    return person


def _search(qs: QuerySet[Person], raw: str) -> QuerySet[Person]:
    """A whole mobile or ID number through its keyed hash (numbers are stored sealed), or the
    start of a name. A part of a number finds nothing by design: numbers are not searchable."""
    compact = re.sub(r"\s+", "", raw)
    if MOBILE.match(compact):
        return qs.filter(Q(mobile_hash=mobile_hash(compact)) | Q(id_number_hash=id_hash(compact)))
    if DOCUMENT_NUMBER.match(compact):
        return qs.filter(id_number_hash=id_hash(compact.upper()))
    name = re.sub(r"\s+", " ", raw.strip())
    if NAME_PREFIX.match(name):
        return qs.filter(name__startswith=name.replace("•", "·"))
    raise DomainError("invalid", SEARCH_HINT, fields={"q": [SEARCH_HINT]})


def _cursor(person: Person) -> str:
    return base64.urlsafe_b64encode(f"{person.name}|{person.pk}".encode()).decode().rstrip("=")


def _after(qs: QuerySet[Person], cursor: str) -> QuerySet[Person]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        name, pk = raw.rsplit("|", 1)
        last = int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        msg = "翻页参数无效，请从第一页重新开始"
        raise DomainError("invalid", msg, fields={"after": [msg]}) from exc
    return qs.filter(Q(name__gt=name) | Q(name=name, pk__gt=last))


def find_people(staff: Staff, q: str, *, after: str = "", limit: int = PAGE_SIZE) -> tuple[list[dict[str, Any]], str]:
    """找人: accountants in the staff member's jurisdiction by a whole ID number, a whole mobile or
    the start of a name, whether or not they have submitted; by name, a page at a time. Returns the
    rows (numbers masked) and the cursor of the next page ("" on the last)."""
    q = (q or "").strip()
    if not q:
        raise DomainError("invalid", SEARCH_HINT, fields={"q": [SEARCH_HINT]})
    limit = max(1, min(limit, 100))
    qs = _search(desk_people(staff), q)
    if after:
        qs = _after(qs, after)
    people = list(qs.select_related("department", "record__department").order_by("name", "pk")[: limit + 1])
    more = len(people) > limit
    people = people[:limit]
    return person_rows(people), _cursor(people[-1]) if more else ""


def _rule(person: Person) -> LockoutRule:
    return lockout_rule(all_profiles().get(person.province))


def _status(person: Person) -> str:
    record = getattr(person, "record", None)  # the reverse one-to-one's "missing" is an AttributeError
    return record.status if record is not None else "draft"


def _department(person: Person) -> dict[str, str] | None:
    """The department that holds the person now: the assigned one, else the one last submitted to."""
    record = getattr(person, "record", None)  # the reverse one-to-one's "missing" is an AttributeError
    department = person.department or (record.department if record is not None else None)
    return {"code": department.code, "name": department.name} if department else None


def person_rows(people: list[Person]) -> list[dict[str, Any]]:
    """The search rows of API.md: numbers masked, record status, lock-out (one query for the page)."""
    locks = locked_accounts({f"person:{p.pk}": _rule(p) for p in people})
    profiles = all_profiles()
    return [
        {
            "id": p.pk,
            "name": p.name,
            "id_number": p.id_number_masked,
            "mobile": p.mobile_masked,
            "province": p.province,
            "province_name": profiles[p.province].name if p.province in profiles else p.province,
            "status": _status(p),
            "status_label": STATUS_LABELS[_status(p)],
            "locked": f"person:{p.pk}" in locks,
            "name_mismatch": p.name_mismatch,  # the identity provider verified another name (issue 14, item 22)
            "last_sign_in_at": p.last_sign_in_at,
            "department": _department(p),
        }
        for p in people
    ]


def _local(when: datetime.datetime | None) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else ""


def staff_label(staff: Staff | None) -> str:
    if staff is None:
        return ""
    name = (staff.last_name + staff.first_name).strip() or staff.username
    return f"{name}（{staff.department.name if staff.department else '全部部门'}）"


def id_type_label(code: str) -> str:
    return {item.code: item.label for item in code_list("id_types").items}.get(code, code)


def approval_refusal(staff: Staff, correction: Correction) -> str:
    """Why this staff member may not approve or refuse the correction ("" when they may): four
    eyes, by someone of the requester's department or one above it (SPEC §7, issue 15)."""
    if correction.requested_by_id == staff.pk:
        return "不能审批自己提出的更正申请：须由本部门或上级部门的另一位工作人员审批"
    if staff.is_superuser:
        return ""
    requester = correction.requested_by.department
    if staff.department is None or requester is None or not requester.path.startswith(staff.department.path):
        where = requester.name if requester else "全部部门"
        return f"只有申请人所在部门（{where}）或其上级部门的工作人员可以审批此更正申请"
    return ""


def correction_out(correction: Correction, staff: Staff | None = None) -> dict[str, Any]:
    shown = id_type_label if correction.field == CorrectionField.ID_TYPE else str
    new = shown(correction.new_shown)
    if correction.new_id_type:
        new = f"{new}（{id_type_label(correction.new_id_type)}）"
    out: dict[str, Any] = {
        "id": correction.pk,
        "person": {"id": correction.person_id, "name": correction.person.name},
        "field": correction.field,
        "field_label": correction.get_field_display(),
        "old": shown(correction.old_shown),
        "new": new,
        "reason": correction.reason,
        "state": correction.state,
        "state_label": correction.get_state_display(),
        "needs_approval": correction.field in FOUR_EYES,
        "requested_by": staff_label(correction.requested_by),
        "requested_at": correction.requested_at,
        "requested_local": _local(correction.requested_at),
        "decided_by": staff_label(correction.decided_by),
        "decided_at": correction.decided_at,
        "decided_local": _local(correction.decided_at),
        "decision_reason": correction.decision_reason,
    }
    if staff is not None and correction.state == CorrectionState.PENDING:
        out["own"] = correction.requested_by_id == staff.pk
        out["why_not"] = approval_refusal(staff, correction)
        out["can_approve"] = not out["why_not"]
    return out


def _corrections(qs: QuerySet[Correction]) -> QuerySet[Correction]:
    return qs.select_related("person", "requested_by__department", "decided_by__department")


def correction_for_desk(staff: Staff, correction_id: int) -> Correction:
    found = people_within_jurisdiction(_corrections(Correction.objects.filter(pk=correction_id)), staff, via="person")
    correction = found.first()
    if correction is None:
        raise NotFoundError("not_found", "没有这条更正申请，或不在您的管辖范围内")
    return correction


def pending_corrections(staff: Staff) -> QuerySet[Correction]:
    """待审批的更正: pending corrections of people in the jurisdiction, oldest first."""
    pending = _corrections(Correction.objects.filter(state=CorrectionState.PENDING))
    return people_within_jurisdiction(pending, staff, via="person").order_by("requested_at", "pk")


def _summary(event: AuditEvent, departments: dict[str, str]) -> str:
    """What an administrator needs of an event's details, in words (never a full number)."""
    d = event.details or {}
    parts = []
    if d.get("method"):
        parts.append(METHOD_LABELS.get(d["method"], d["method"]))
    if d.get("field"):
        label = dict(CorrectionField.choices).get(d["field"], d["field"])
        old, new = d.get("old", ""), d.get("new", "")
        if d["field"] == CorrectionField.ID_TYPE:
            old, new = id_type_label(old), id_type_label(new)
        parts.append(f"{label}：{old or '（空）'} → {new}" if "old" in d else f"{label}更正为 {new}")
    elif "old" in d and "new" in d:
        parts.append(f"{d['old']} → {d['new']}")
    if d.get("verified_name") and d.get("account_name"):  # identity.name_mismatch
        parts.append(f"平台核验：{d['verified_name']}，登记：{d['account_name']}")
    if d.get("minutes") and event.action == "sign_in.locked":
        parts.append(f"锁定{d['minutes']}分钟")
    if d.get("sent_to"):
        parts.append(f"发送至 {d['sent_to']}")
    if d.get("department"):
        parts.append(departments.get(str(d["department"]), str(d["department"])))
    if d.get("reason"):
        parts.append(f"原因：{d['reason']}")
    return "；".join(parts)


def person_history(person: Person, *, limit: int = HISTORY_SIZE) -> list[dict[str, Any]]:
    """The account's history, newest first: audit events by or about the person (sign-ins, failed
    sign-ins and locks, resets, registrations, corrections, submissions and their decisions)."""
    key = f"person:{person.pk}"
    submissions = Submission.objects.filter(record__person=person).values_list("pk", flat=True)
    requests = ChangeRequest.objects.filter(record__person=person).values_list("pk", flat=True)
    targets = [key, *(f"submission:{pk}" for pk in submissions), *(f"request:{pk}" for pk in requests)]
    events = list(AuditEvent.objects.filter(Q(actor=key) | Q(target__in=targets)).order_by("-at", "-pk")[:limit])
    names = party_names(event.actor for event in events)
    codes = {str(event.details["department"]) for event in events if (event.details or {}).get("department")}
    departments = dict(Department.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return [
        {
            "at": event.at,
            "local": _local(event.at),
            "action": event.action,
            "label": action_label(event.action),
            "actor": party_label(event.actor, names),
            "summary": _summary(event, departments),
        }
        for event in events
    ]


def person_detail(staff: Staff, person_id: int) -> dict[str, Any]:
    """One person for the desk: the search row, the account's state, corrections and history."""
    person = desk_person(staff, person_id)
    row = person_rows([person])[0]
    locks = locked_accounts({f"person:{person.pk}": _rule(person)})
    corrections = _corrections(person.corrections.all()).order_by("-requested_at", "-pk")
    return {
        **row,
        "id_type": person.id_type,
        "id_type_label": id_type_label(person.id_type),
        "is_legacy": person.is_legacy,
        "activated": not person.needs_activation,
        "has_mobile": bool(person.mobile_hash),
        "locked_minutes": (locks.get(f"person:{person.pk}", 0) + 59) // 60,
        "created_at": person.created_at,
        "last_sign_in_local": _local(person.last_sign_in_at),
        "verified_name": verified_name_note(person),
        "corrections": [correction_out(c, staff) for c in corrections],
        "history": person_history(person),
    }

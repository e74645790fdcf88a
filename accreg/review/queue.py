"""The review queue (待审核列表): submissions in the reviewer's subtree, oldest first, filtered,
searched and paged by keyset (`after` is the last item's cursor), with counts per status and each
item's age in working days against the province's service level."""

from __future__ import annotations

import base64
import datetime
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Func, Q, QuerySet, Sum, TextField
from django.utils import timezone

from accreg.accounts.models import Person, Staff
from accreg.accounts.people import id_hash, mobile_hash
from accreg.collection.models import SUBMISSION_KINDS, ChangeRequest, Submission, SubmissionCount
from accreg.collection.working_days import working_days_between
from accreg.errors import DomainError, NotFoundError
from accreg.provinces.loader import all_profiles
from accreg.regions.jurisdiction import subtree_codes, within_jurisdiction
from accreg.regions.models import Department

PAGE_SIZE = 50
KINDS = SUBMISSION_KINDS
ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
MOBILE = re.compile(r"^1\d{10}$")
NAME_PREFIX = re.compile(r"^[\u4e00-\u9fa5][\u4e00-\u9fa5·]{0,19}$")


@dataclass(frozen=True)
class QueueFilters:
    status: str = "pending"
    department: str = ""
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None
    qualification_level: str = ""
    employment: str = ""
    q: str = ""
    kind: str = ""  # collection, change, transfer
    outgoing: bool = False  # transfers out of the subtree, waiting for the receiving department (read only)
    escalated: bool = False  # overdue items listed for this department as the level above (超期督办)
    after: str = ""
    limit: int = PAGE_SIZE


def reviewable(staff: Staff) -> QuerySet[Submission]:
    """Every submission the staff member may see: the one door to review data (SPEC §5)."""
    return within_jurisdiction(Submission.objects.all(), staff)


def outgoing_transfers(staff: Staff) -> QuerySet[Submission]:
    """Transfers out of the staff member's subtree still under review elsewhere: seen, not decided."""
    pending = Submission.objects.filter(kind="transfer", status="pending")
    return within_jurisdiction(pending, staff, via="request__from_department")


def visible(staff: Staff) -> QuerySet[Submission]:
    """What the staff member may read: their reviewable submissions and their outgoing transfers."""
    return reviewable(staff) | outgoing_transfers(staff)


def _department(staff: Staff, code: str) -> Department:
    """A department in the reviewer's subtree; one outside it is not found."""
    department = within_jurisdiction(Department.objects.filter(code=code), staff, via="").first()
    if department is None:
        raise NotFoundError("unknown_department", "没有这个部门，或不在您的管辖范围内")
    return department


def _search(qs: QuerySet[Submission], q: str) -> QuerySet[Submission]:
    """Full ID number (exact, through the keyed hash), mobile (exact), or the start of a name
    ("王" finds 王芳 and 王强) and any part of the unit name ("恒信" finds 河南恒信会计师事务所).

    Names are searched on the queue's own copy, `Submission.person_name`, taken from the record
    at submit time (decision 0022): only ID numbers and mobiles are sealed (decision 0008), and
    the copy keeps the search on one table. On PostgreSQL the prefix is served by the column's
    `varchar_pattern_ops` index (Django's `_like` index for an indexed CharField) and three or
    more characters of a unit by the trigram index of migration collection.0006; shorter unit
    fragments are checked row by row while the queue index is walked in order."""
    q = re.sub(r"\s+", "", q)
    if ID_NUMBER.match(q):
        return qs.filter(record__person__id_number_hash=id_hash(q.upper()))
    if MOBILE.match(q):
        return qs.filter(record__person__mobile_hash=mobile_hash(q))
    if NAME_PREFIX.match(q):  # Chinese characters, with the 间隔号 of many minority names
        if len(q) == 1:  # a surname; one character of a unit name is no search
            return qs.filter(person_name__startswith=q)
        return _with_bigrams(qs, q).filter(Q(person_name__startswith=q) | _unit_part(q))
    return _with_bigrams(qs, q).filter(_unit_part(q))


class Bigrams(Func):
    """accreg_bigrams(unit_name): the name's two-character pieces (PostgreSQL, migration collection.0009)."""

    function = "accreg_bigrams"
    output_field = ArrayField(TextField())


def _two_on_postgres(q: str) -> bool:
    return len(q) == 2 and connection.vendor == "postgresql"


def _with_bigrams(qs: QuerySet[Submission], q: str) -> QuerySet[Submission]:
    return qs.alias(unit_bigrams=Bigrams("unit_name")) if _two_on_postgres(q) else qs


def _unit_part(q: str) -> Q:
    """Part of the unit name. Two characters are too few for the trigram index, so on PostgreSQL
    the bigram index finds the candidates and LIKE confirms them."""
    if _two_on_postgres(q):
        return Q(unit_name__contains=q, unit_bigrams__contains=[q])
    return Q(unit_name__contains=q)


def _cursor(item: Submission) -> str:
    raw = f"{item.submitted_at.isoformat()}|{item.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after(qs: QuerySet[Submission], cursor: str) -> QuerySet[Submission]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        when, last = datetime.datetime.fromisoformat(stamp), int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        msg = "翻页参数无效，请从第一页重新开始"
        raise DomainError("invalid", msg, fields={"after": [msg]}) from exc
    return qs.filter(Q(submitted_at__gt=when) | Q(submitted_at=when, pk__gt=last))


def filtered(staff: Staff, filters: QueueFilters) -> QuerySet[Submission]:
    """The queue's rows before the status filter and paging (the counts per status use it)."""
    if filters.escalated:
        from .escalation import escalated_to  # it reads through this module's `reviewable`

        qs = escalated_to(staff)
    else:
        qs = outgoing_transfers(staff) if filters.outgoing else reviewable(staff)
    qs = qs.filter(latest=True)  # each item in its latest state: a resubmission replaces its return
    if filters.kind:
        if filters.kind not in KINDS:
            msg = "没有这种办理类型"
            raise DomainError("invalid", msg, fields={"kind": [msg]})
        qs = qs.filter(kind=filters.kind)
    if filters.department:
        qs = qs.filter(department_id__in=subtree_codes(_department(staff, filters.department)))
    if filters.submitted_from:
        qs = qs.filter(submitted_at__date__gte=filters.submitted_from)
    if filters.submitted_to:
        qs = qs.filter(submitted_at__date__lte=filters.submitted_to)
    if filters.qualification_level:
        qs = qs.filter(qualification_level=filters.qualification_level)
    if filters.employment:
        qs = qs.filter(employment=filters.employment)
    if filters.q.strip():
        qs = _search(qs, filters.q)
    return qs


def queue_page(staff: Staff, filters: QueueFilters) -> dict[str, Any]:
    base = filtered(staff, filters)
    qs = base.filter(status=filters.status) if filters.status else base
    if filters.after:
        qs = _after(qs, filters.after)
    limit = max(1, min(filters.limit, 200))
    # The page's ids first, from the submission table alone, then its rows with their joins: when
    # a search matches thousands, the planner cannot join them all before it sorts and cuts.
    ids = list(qs.order_by("submitted_at", "pk").values_list("pk", flat=True)[: limit + 1])
    found = (
        Submission.objects.select_related("department", "record__person")
        .defer("snapshot", "record__sections", "record__person__legacy_data")
        .in_bulk(ids)
    )
    rows = [found[pk] for pk in ids]
    _attach_transfers(rows[:limit])
    counts = _counts(staff, filters, base)
    today = timezone.localdate()
    from .escalation import escalation_labels

    escalated = escalation_labels(rows[:limit], today)
    return {
        "items": [{**queue_item(s, today), "escalated_to": escalated.get(s.pk, "")} for s in rows[:limit]],
        "next": _cursor(rows[limit - 1]) if len(rows) > limit else None,
        "counts": {status: counts.get(status, 0) for status in ("pending", "approved", "returned")},
    }


COUNT_CAP = 10_000  # a filtered count stops here and shows "10000+"


def _counts(staff: Staff, filters: QueueFilters, base: QuerySet[Submission]) -> dict[str, int]:
    """Per status: from the kept counters when only the department narrows the queue (a province
    of a million rows answers at once); counted, up to a cap, when other filters apply."""
    if not (
        filters.q.strip()
        or filters.kind
        or filters.outgoing
        or filters.escalated
        or filters.submitted_from
        or filters.submitted_to
        or filters.qualification_level
        or filters.employment
    ):
        counters = SubmissionCount.objects.all()
        if not staff.is_superuser or filters.department:
            scope = _department(staff, filters.department) if filters.department else staff.department
            counters = counters.filter(department_id__in=subtree_codes(scope)) if scope else counters.none()
        return dict(counters.order_by().values_list("status").annotate(total=Sum("n")).values_list("status", "total"))
    found = Counter(base.order_by().values_list("status", flat=True)[: COUNT_CAP + 1])  # one capped query
    return {status: found.get(status, 0) for status in ("pending", "approved", "returned")}


def queue_item(submission: Submission, today: datetime.date) -> dict[str, Any]:
    person: Person = submission.record.person
    profile = all_profiles()[person.province]
    submitted = timezone.localtime(submission.submitted_at).date()
    age = working_days_between(submitted, today)
    return {
        "id": submission.pk,
        "kind": submission.kind,
        "status": submission.status,
        "version": submission.version,
        "person": {"name": person.name, "id_number": person.id_number_masked, "mobile": person.mobile_masked},
        "province": person.province,
        "department": {"code": submission.department.code, "name": submission.department.name},
        "unit_name": submission.unit_name,
        "employment": submission.employment,
        "qualification_level": submission.qualification_level,
        "submitted_at": submission.submitted_at.isoformat(),
        "submitted_local": timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d %H:%M"),
        "due_by": submission.due_by.isoformat(),
        "age_working_days": age,
        "service_days": profile.review.service_days,
        "overdue": submission.status == "pending" and today > submission.due_by,
        "kind_label": KINDS.get(submission.kind, submission.kind),
        "transfer": _transfer(submission),
    }


def _attach_transfers(rows: list[Submission]) -> None:
    """The departments of the page's transfers, in one query, and none when the page has none
    (joining them onto every row cost a third of the page's time)."""
    ids = {s.request_id for s in rows if s.kind == "transfer" and s.request_id}
    if not ids:
        return
    found = ChangeRequest.objects.select_related("from_department", "to_department").in_bulk(ids)
    for submission in rows:
        if submission.request_id in found:
            submission.request = found[submission.request_id]


def _transfer(submission: Submission) -> dict[str, Any] | None:
    request = submission.request if submission.kind == "transfer" else None
    if request is None or request.to_department is None:
        return None
    return {
        "from": {"code": request.from_department.code, "name": request.from_department.name},
        "to": {"code": request.to_department.code, "name": request.to_department.name},
        "reason": request.reason,
    }

"""Working through the queue item by item (逐条审核): the items before and after one in the queue
the reviewer opened it from (same tab, same filters, same order), where to go after a decision,
and what to say about the decision just made. Every read goes through the queue's own door."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Q, QuerySet

from accreg.accounts.models import Staff
from accreg.collection.models import Submission

from .queue import QueueFilters, filtered, reviewable

ORDER = ("submitted_at", "pk")


@dataclass(frozen=True)
class Neighbours:
    previous: int | None
    next: int | None


def _queue(staff: Staff, filters: QueueFilters) -> QuerySet[Submission]:
    qs = filtered(staff, replace(filters, after=""))
    return qs.filter(status=filters.status) if filters.status else qs


def _after(qs: QuerySet[Submission], item: Submission) -> QuerySet[Submission]:
    when = item.submitted_at
    return qs.filter(Q(submitted_at__gt=when) | Q(submitted_at=when, pk__gt=item.pk)).order_by(*ORDER)


def _before(qs: QuerySet[Submission], item: Submission) -> QuerySet[Submission]:
    when = item.submitted_at
    return qs.filter(Q(submitted_at__lt=when) | Q(submitted_at=when, pk__lt=item.pk)).order_by("-submitted_at", "-pk")


def neighbours(staff: Staff, filters: QueueFilters, submission_id: int) -> Neighbours:
    """The items just before and after this one in the reviewer's queue (oldest first); None at
    either end, and both None when the item is not in that queue."""
    item = reviewable(staff).filter(pk=submission_id).only("pk", "submitted_at").first()
    if item is None:
        return Neighbours(None, None)
    qs = _queue(staff, filters).exclude(pk=item.pk)
    return Neighbours(
        _before(qs, item).values_list("pk", flat=True).first(),
        _after(qs, item).values_list("pk", flat=True).first(),
    )


def next_after_decision(staff: Staff, filters: QueueFilters, decided: Submission) -> int | None:
    """Where the reviewer goes once an item is decided: the next item of the same queue and
    filters, else the first one still in it (items skipped earlier), else None (the queue)."""
    qs = _queue(staff, filters).exclude(pk=decided.pk)
    found = _after(qs, decided).values_list("pk", flat=True).first()
    return found if found is not None else qs.order_by(*ORDER).values_list("pk", flat=True).first()


def decided_note(staff: Staff, submission_id: int) -> str:
    """One line on the decision just made, as the next page shows it ("已审核通过：李娜"); empty
    when the submission is not the reviewer's to see or is undecided."""
    found = reviewable(staff).filter(pk=submission_id).select_related("record__person").first()
    if found is None or found.status == "pending":
        return ""
    name = found.record.person.name
    if found.status == "approved":
        return f"已审核通过：{name}。审核结果已保存，已短信通知本人。"
    return f"已退回：{name}（退回原因：{found.reason}）。审核结果已保存，已短信通知本人。"

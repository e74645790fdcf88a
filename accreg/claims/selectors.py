"""Reading claims on the staff side: every read goes through the one jurisdiction helper for
people (the claim follows the account it names), so a claim outside it is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from accreg.accounts.models import Staff
from accreg.collection.models import Record, RecordStatus
from accreg.errors import NotFoundError
from accreg.regions.jurisdiction import people_within_jurisdiction

from .models import ClaimPhoto, ClaimStatus, IdClaim

NOT_FOUND = "没有这条申诉，或不在您的管辖范围内"
RECORD_LABELS = {**dict(RecordStatus.choices), "none": "尚未填写"}


def reviewable_claims(staff: Staff, *, status: str = "") -> QuerySet[IdClaim]:
    """The claims on accounts in the staff member's jurisdiction (管辖范围), oldest first."""
    qs = people_within_jurisdiction(IdClaim.objects.select_related("person", "decided_by"), staff, via="person")
    return (qs.filter(status=status) if status else qs).order_by("filed_at", "pk")


def claim_for(staff: Staff, claim_id: int) -> IdClaim:
    claim = reviewable_claims(staff).filter(pk=claim_id).first()
    if claim is None:
        raise NotFoundError("not_found", NOT_FOUND)
    return claim


def pending_claim_count(staff: Staff) -> int:
    return reviewable_claims(staff, status=ClaimStatus.PENDING).count()


def _time(value: Any) -> str | None:
    return value.isoformat() if value else None


def claim_summary(claim: IdClaim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "reference": claim.reference,
        "status": claim.status,
        "name": claim.name,
        "id_number": claim.id_number_masked,
        "mobile": claim.mobile_masked,
        "account_name": claim.person.name,
        "filed_at": _time(claim.filed_at),
        "decided_at": _time(claim.decided_at),
    }


def account_facts(claim: IdClaim) -> dict[str, Any]:
    """The account as it stands (masked), beside the claim; after a decision, as it stood then."""
    if claim.status == ClaimStatus.APPROVED and claim.account_before:
        return dict(claim.account_before)
    person = claim.person
    record = Record.objects.filter(person=person).only("status").first()
    return {
        "name": person.name,
        "id_number": person.id_number_masked,
        "mobile": person.mobile_masked,
        "registered_at": _time(person.created_at),
        "last_sign_in_at": _time(person.last_sign_in_at),
        "record_status": record.status if record else "none",
        "department": person.department.name if person.department_id and person.department else "",
    }


def claim_detail(claim: IdClaim) -> dict[str, Any]:
    photos = {kind: f"/api/v1/review/id-claims/{claim.pk}/photos/{kind}" for kind in ClaimPhoto.values}
    return {
        **claim_summary(claim),
        "id_type": claim.id_type,
        "statement": claim.statement,
        "reason": claim.reason,
        "version": claim.version,
        "photos": photos,
        "decided_by": (claim.decided_by.get_full_name() or claim.decided_by.username) if claim.decided_by else None,
        "account": account_facts(claim),
    }


def claim_photo(staff: Staff, claim_id: int, kind: str) -> FileResponse:
    """One of the claim's photos, only to staff whose jurisdiction holds the account; never cached."""
    claim = claim_for(staff, claim_id)
    if kind not in ClaimPhoto.values:
        raise NotFoundError("not_found", "没有这张照片")
    file = claim.id_card_photo if kind == ClaimPhoto.ID_CARD else claim.holding_photo
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response

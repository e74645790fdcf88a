"""证件号占用申诉 (ID claim): a person whose ID number is already registered asks the account's
department to hand the account over to them, with photos of the ID card and of themselves holding
it. The row and its photos stay as the evidence of what was decided."""

from __future__ import annotations

from django.db import models

from accreg.accounts.models import Person, Staff


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    APPROVED = "approved", "已通过"
    REFUSED = "refused", "未通过"


class ClaimPhoto(models.TextChoices):
    ID_CARD = "id_card", "证件照片"
    HOLDING = "holding", "本人手持证件照片"


def claim_photo_path(claim: IdClaim, filename: str) -> str:
    return f"id-claims/{claim.reference}/{filename}"


class IdClaim(models.Model):
    """证件号占用申诉: the claimant (name, their own verified mobile, photos, statement) and the
    account (`person`) whose ID number they say is theirs. Decided once, by the staff whose
    jurisdiction holds the account; `version` guards against two decisions."""

    reference = models.CharField("受理编号", max_length=16, unique=True)
    person = models.ForeignKey(Person, verbose_name="被申诉的账户", on_delete=models.PROTECT, related_name="id_claims")
    province = models.CharField("申请门户", max_length=20)
    name = models.CharField("申请人姓名", max_length=50)
    id_type = models.CharField("证件类型", max_length=8)
    id_number_masked = models.CharField("证件号码（脱敏）", max_length=32)
    mobile_encrypted = models.TextField("申请人手机号（加密）")
    mobile_hash = models.CharField("申请人手机号索引", max_length=64, db_index=True)
    mobile_masked = models.CharField("申请人手机号（脱敏）", max_length=16)
    statement = models.TextField("情况说明", blank=True)
    id_card_photo = models.FileField("证件照片", upload_to=claim_photo_path, max_length=200)
    holding_photo = models.FileField("本人手持证件照片", upload_to=claim_photo_path, max_length=200)
    status = models.CharField("状态", max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    version = models.PositiveIntegerField("版本", default=1)
    reason = models.TextField("处理意见", blank=True)
    filed_at = models.DateTimeField("申请时间", auto_now_add=True)
    ip = models.GenericIPAddressField("申请IP", null=True, blank=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        Staff, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The account as the reviewer saw it when deciding (masked), kept as evidence of what was replaced.
    account_before = models.JSONField("处理前的账户", default=dict, blank=True)
    password_set_at = models.DateTimeField("申请人设置密码时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "证件号占用申诉"
        ordering = ["filed_at", "pk"]
        indexes = [models.Index(fields=["status", "filed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "mobile_hash"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_account_and_mobile",
            ),
        ]

    def __str__(self) -> str:
        return f"申诉 {self.reference}（{self.get_status_display()}）"

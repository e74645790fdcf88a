"""The department's desk (管理部门服务台, SPEC §7, issue 15): corrections of an accountant's identity
fields that staff make on evidence. Unlocks and reset messages are audit events only."""

from django.db import models
from django.db.models import F, Q

from accreg.accounts.models import Person, Staff


class CorrectionField(models.TextChoices):
    NAME = "name", "姓名"
    ID_TYPE = "id_type", "证件类型"
    ID_NUMBER = "id_number", "证件号码"
    MOBILE = "mobile", "手机号"


# Name and ID number identify the person and key the archive: a second staff member approves them.
FOUR_EYES = (CorrectionField.NAME, CorrectionField.ID_NUMBER)


class CorrectionState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPLIED = "applied", "已生效"
    REFUSED = "refused", "未批准"
    WITHDRAWN = "withdrawn", "已撤回"


class Correction(models.Model):
    """更正申请: one identity field of a person corrected by a staff member with a reason. A name or
    ID number waits for a second staff member of the same or a higher department; the other
    fields apply at once. ID numbers and mobiles are kept encrypted and shown masked, as on Person;
    the old value stays here, so the archive keeps what the person was registered as."""

    person = models.ForeignKey(Person, verbose_name="会计人员", on_delete=models.PROTECT, related_name="corrections")
    field = models.CharField("更正项目", max_length=16, choices=CorrectionField.choices)
    old_shown = models.CharField("原内容（脱敏）", max_length=64, blank=True)
    new_shown = models.CharField("更正为（脱敏）", max_length=64)
    old_encrypted = models.TextField("原内容（加密）", blank=True)
    new_encrypted = models.TextField("更正为（加密）", blank=True)
    new_id_type = models.CharField("更正后的证件类型", max_length=8, blank=True)
    reason = models.TextField("更正原因及依据", max_length=500)
    state = models.CharField("状态", max_length=16, choices=CorrectionState.choices, default=CorrectionState.PENDING)
    requested_by = models.ForeignKey(Staff, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        Staff, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_reason = models.TextField("驳回或撤回原因", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "身份信息更正"
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "requested_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "field"], condition=Q(state="pending"), name="one_pending_correction_per_field"
            ),
            # Four eyes: an applied name or ID number was approved by someone other than the requester.
            models.CheckConstraint(
                condition=~Q(state="applied", field__in=["name", "id_number"])
                | (Q(decided_by__isnull=False) & ~Q(decided_by=F("requested_by"))),
                name="four_eyes_on_name_and_id_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()}更正（{self.get_state_display()}）"

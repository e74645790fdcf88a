"""The accountant's record (信息档案): one per person, sections kept as they were saved (drafts)."""

from django.db import models

from accreg.accounts.models import Person


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "未提交"
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "审核退回"


class Record(models.Model):
    """信息档案: the sections of FIELDS.md as the person last saved them, in `sections`
    ({"personal": {...}, "qualifications": [...]}). `version` grows with every save, so a later
    submission can freeze exactly what was seen."""

    person = models.OneToOneField(Person, verbose_name="会计人员", on_delete=models.CASCADE, related_name="record")
    sections = models.JSONField("信息项", default=dict, blank=True)
    status = models.CharField("状态", max_length=16, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    version = models.PositiveIntegerField("版本", default=0)
    notice_accepted_at = models.DateTimeField("阅读须知时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "信息档案"

    def __str__(self) -> str:
        return f"{self.person}的信息档案"

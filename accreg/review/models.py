"""Exports (导出): an Excel file of the people in a department subtree, made by a background task.
The file is kept EXPORT_RETENTION_DAYS after it was made, then deleted; the row stays."""

import datetime

from django.conf import settings
from django.db import models

from accreg.regions.models import Department


class ExportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Export(models.Model):
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.PROTECT)
    department = models.ForeignKey(Department, verbose_name="部门", null=True, on_delete=models.PROTECT)
    status = models.CharField("报送状态", max_length=16, blank=True)
    state = models.CharField("进度", max_length=16, choices=ExportState.choices, default=ExportState.QUEUED)
    rows = models.PositiveIntegerField("已导出行数", default=0)
    file = models.FileField("文件", upload_to="exports/", blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    file_deleted_at = models.DateTimeField("文件删除时间", null=True, blank=True)
    # 正式名册: full ID numbers and mobiles and every section, for an administrator who said why.
    roster = models.BooleanField("正式名册（含完整证件号码）", default=False)
    reason = models.CharField("导出事由", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导出"
        indexes = [models.Index(fields=["staff", "created_at"], name="review_export_staff_recent")]

    def __str__(self) -> str:
        return f"导出 #{self.pk}（{self.get_state_display()}）"

    @property
    def expires_at(self) -> datetime.datetime | None:
        """When the file is deleted (保留期满)."""
        if self.finished_at is None:
            return None
        return self.finished_at + datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)

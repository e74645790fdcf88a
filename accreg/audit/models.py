"""Audit events. Rows are only ever inserted: saving an existing row or deleting one raises."""

from typing import Any

from django.db import models


class AuditEvent(models.Model):
    """审计记录: one security-relevant action (SPEC §5: every review action, every view of a full
    ID number, every export; here also sign-ins, registrations, resets and imports)."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.CharField("操作人", max_length=80)  # "person:12", "staff:3", "system", "anonymous"
    action = models.CharField("操作", max_length=64, db_index=True)
    target = models.CharField("对象", max_length=80, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计记录"
        ordering = ["-at", "-pk"]
        # The department's desk lists one person's events (as actor or as target), newest first.
        indexes = [
            models.Index(fields=["actor", "at"], name="audit_by_actor"),
            models.Index(fields=["target", "at"], name="audit_by_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit events are append-only")

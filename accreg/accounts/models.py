"""Staff accounts (审核人员, 管理员), each scoped to one management department's subtree.

Accountants (会计人员) are a separate population with their own table and sign-in; staff never
sign in through the accountant portal and accountants never reach the review console.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models

from accreg.regions.models import Department


class StaffRole(models.TextChoices):
    REVIEWER = "reviewer", "审核人员"
    ADMIN = "admin", "管理员"


class Staff(AbstractUser):
    """审核人员 / 管理员: works inside `department` and every department below it."""

    department = models.ForeignKey(
        Department,
        verbose_name="所属管理部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField("角色", max_length=16, choices=StaffRole.choices, default=StaffRole.REVIEWER)
    otp_secret = models.CharField("动态口令密钥", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=True) | models.Q(department__isnull=False),
                name="staff_has_department_unless_superuser",
            ),
        ]

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

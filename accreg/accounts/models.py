"""Staff accounts (审核人员, 管理员), each scoped to one management department's subtree.

Accountants (会计人员) are a separate population with their own table and sign-in; staff never
sign in through the accountant portal and accountants never reach the review console.
"""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from accreg.regions.models import Department

from .fields import EncryptedTextField


class StaffRole(models.TextChoices):
    REVIEWER = "reviewer", "审核人员"
    LEADER = "leader", "部门负责人"  # reviews, and sees every reviewer's workload in the subtree
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
    otp_secret = EncryptedTextField("动态口令密钥", blank=True, editable=False)
    otp_last_step = models.BigIntegerField("最近使用的动态口令时间片", default=0, editable=False)

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

    @property
    def sees_everyones_workload(self) -> bool:
        """部门负责人 and administrators see each reviewer's workload; a reviewer sees their own."""
        return self.is_superuser or self.role in (StaffRole.LEADER, StaffRole.ADMIN)

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._password_replaced = True

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_replaced = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new (or an unusable) password, however it was set: Django admin's change-password form,
        `changepassword`, a service. It ends every API token of the account once saved, as a
        person's reset does; Django ends the admin and console sessions itself (their hash follows
        the password)."""
        replaced = getattr(self, "_password_replaced", False)
        super().save(*args, **kwargs)
        if replaced:
            from .services.tokens import revoke_all_tokens  # the services import these models

            revoke_all_tokens(self)
            self._password_replaced = False


class Person(models.Model):
    """会计人员: an accountant's account and the key of their archive. The ID number is the archive
    number and never changes (CQ 1.2 ①); ID number and mobile are stored encrypted, with keyed
    hashes for lookup and uniqueness (one mobile, one ID number: CQ 1.2 ②)."""

    province = models.CharField("采集省份", max_length=20)
    name = models.CharField("姓名", max_length=50, db_index=True)  # the desk finds people by its start
    id_type = models.CharField("证件类型", max_length=8)
    id_number_encrypted = models.TextField("证件号码（加密）")
    id_number_hash = models.CharField("证件号码索引", max_length=64, unique=True)
    id_number_masked = models.CharField("证件号码（脱敏）", max_length=32)
    mobile_encrypted = models.TextField("手机号（加密）", blank=True)
    mobile_hash = models.CharField("手机号索引", max_length=64, null=True, blank=True, unique=True)
    mobile_masked = models.CharField("手机号（脱敏）", max_length=16, blank=True)
    mobile_verified_at = models.DateTimeField("手机号验证时间", null=True, blank=True)
    password = models.CharField("密码", max_length=128, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    gender = models.CharField("性别", max_length=1, blank=True)
    is_legacy = models.BooleanField("原有会计人员", default=False)
    activated_at = models.DateTimeField("激活时间", null=True, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name="管理部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    legacy_data = models.JSONField("原有档案信息", default=dict, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_sign_in_at = models.DateTimeField("最近登录", null=True, blank=True)
    # The name the government identity provider (HN 统一身份认证) verified at the latest sign-in
    # through it; "" for someone who never signed in that way. See `name_mismatch`.
    verified_name = models.CharField("统一身份认证核验姓名", max_length=50, blank=True)
    verified_name_at = models.DateTimeField("姓名核验时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "会计人员"
        indexes = [models.Index(fields=["province", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    @property
    def has_password(self) -> bool:
        return bool(self.password)

    @property
    def name_mismatch(self) -> bool:
        """The identity provider verified another name than the account's (issue 14, item 22):
        staff correct one or the other. Queries use `accreg.accounts.people.NAME_MISMATCH`."""
        return bool(self.verified_name) and self.verified_name != self.name

    @property
    def needs_activation(self) -> bool:
        """原有会计人员 who have not yet set a password and bound a mobile (YN 3, LN 2)."""
        return self.is_legacy and not (self.password and self.mobile_hash)


class TokenHolder(models.TextChoices):
    PERSON = "person", "会计人员"
    STAFF = "staff", "工作人员"


class AccessToken(models.Model):
    """A bearer token for API clients (mini-programs and apps have no cookies). Only a hash is
    stored; the token is shown once, expires, and is revoked at sign-out."""

    key_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens")
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "访问令牌"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, staff__isnull=True)
                | models.Q(person__isnull=True, staff__isnull=False),
                name="token_has_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"令牌 {self.pk}（{'会计人员' if self.person_id else '工作人员'}）"


class SmsPurpose(models.TextChoices):
    REGISTER = "register", "注册"
    LOGIN = "login", "登录"
    RESET = "reset", "找回密码"
    BIND = "bind", "绑定手机号"


class SmsCode(models.Model):
    """短信验证码: 6 digits, valid 5 minutes, single use, at most 5 wrong tries (SPEC §2).
    The code is stored hashed; the rows also count sends for the cool-down and daily limits."""

    mobile_hash = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=16, choices=SmsPurpose.choices)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信验证码"
        indexes = [
            models.Index(fields=["mobile_hash", "purpose", "created_at"]),
            models.Index(fields=["ip", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}验证码 {self.created_at:%Y-%m-%d %H:%M}"


class SignInFailure(models.Model):
    """A failed password or code attempt against one account (or an unknown one), for the
    lock-out rule: N failures in M minutes lock password sign-in for M minutes (provinces/*.toml)."""

    account_key = models.CharField(max_length=80, db_index=True)  # "person:<pk>", "staff:<pk>", "id:<hash>"
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录失败记录"
        indexes = [models.Index(fields=["account_key", "at"])]

    def __str__(self) -> str:
        return f"{self.account_key} {self.at:%Y-%m-%d %H:%M}"


class LegacyImportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class LegacyImport(models.Model):
    """原有人员导入: one archive file uploaded in Django admin and loaded by a background task
    (legacy_import.py), with its report. The uploaded file is deleted once the import ends."""

    staff = models.ForeignKey(Staff, verbose_name="导入人", on_delete=models.PROTECT, related_name="legacy_imports")
    province = models.CharField("省份", max_length=20, db_index=True)
    file_name = models.CharField("文件名", max_length=255)
    file = models.FileField("上传的文件", upload_to="legacy-imports/", max_length=300, blank=True)
    state = models.CharField("进度", max_length=16, choices=LegacyImportState.choices, default=LegacyImportState.QUEUED)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    rejected = models.PositiveIntegerField("拒绝", default=0)
    rejected_rows = models.TextField("被拒绝的行", blank=True, help_text="每行一条：第N行：原因")
    warnings = models.TextField("注意事项", blank=True)
    error = models.TextField("失败原因", blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "原有人员导入"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_state_display()}）"

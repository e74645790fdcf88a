"""The Django admin sign-in form: username, password and the TOTP second factor, through the same
service (lock-out, audit) as the API, with messages that say what actually went wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from accreg.audit.services import client_ip
from accreg.errors import DomainError

from .services.sign_in import sign_in_staff


class StaffAdminLoginForm(AdminAuthenticationForm):
    otp = forms.CharField(
        label="动态口令",
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="身份验证器中的6位数字" + ("" if settings.STAFF_REQUIRE_OTP else "（已开通时填写）"),
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。请注意区分大小写。",
        "inactive": "该账户已停用，请联系上级管理员。",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        if not username or not password:
            return self.cleaned_data
        try:
            staff = sign_in_staff(username, password, self.cleaned_data.get("otp") or None, ip=client_ip(self.request))
        except DomainError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
        self.confirm_login_allowed(staff)
        self.user_cache = staff
        return self.cleaned_data

    def confirm_login_allowed(self, user: Any) -> None:
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not user.is_staff:
            # The password was right: say why the door stays closed instead of blaming the password.
            raise ValidationError("审核人员没有管理后台权限，请从审核工作台登录。", code="no_admin_access")

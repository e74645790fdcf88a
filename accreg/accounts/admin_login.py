"""The Django admin sign-in form, with messages that tell staff what actually went wrong."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from .models import Staff


class StaffAdminLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。请注意区分大小写。",
        "inactive": "该账户已停用，请联系上级管理员。",
    }

    def confirm_login_allowed(self, user: Staff) -> None:  # type: ignore[override]
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not user.is_staff:
            # The password was right: say why the door stays closed instead of blaming the password.
            raise ValidationError("审核人员没有管理后台权限，请从审核工作台登录。", code="no_admin_access")

"""Staff account services: creating reviewers and administrators in a department."""

from __future__ import annotations

import pyotp
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError
from accreg.regions.models import Department

from ..models import Staff, StaffRole


@transaction.atomic
def create_staff(username: str, *, password: str, department_code: str, role: str) -> Staff:
    """Create a reviewer (审核人员) or administrator (管理员) scoped to a department's subtree, with a
    TOTP secret for the second factor, recorded in the audit log. Not repeatable: an existing
    username is a conflict."""
    username = username.strip()
    if not username:
        raise DomainError("invalid", "请填写用户名", fields={"username": ["请填写用户名"]})
    if role not in StaffRole.values:
        msg = f"角色只能是 {' 或 '.join(StaffRole.values)}"
        raise DomainError("invalid", msg, fields={"role": [msg]})
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        msg = f"没有代码为 {department_code} 的管理部门（部门代码为所辖区划的6位代码，如 410105）"
        raise DomainError("unknown_department", msg, fields={"department": [msg]})
    if Staff.objects.filter(username__iexact=username).exists():
        msg = f"用户名 {username} 已被使用"
        raise ConflictError("username_taken", msg, fields={"username": [msg]})
    staff = Staff(username=username, department=department, role=role, is_staff=role == StaffRole.ADMIN)
    try:
        validate_password(password, user=staff)
    except ValidationError as exc:
        raise DomainError("weak_password", "密码不符合要求", fields={"password": list(exc.messages)}) from exc
    staff.set_password(password)
    staff.otp_secret = pyotp.random_base32()
    staff.save()
    log_event("system", "staff.created", target=f"staff:{staff.pk}", role=role, department=department.code)
    return staff


def otp_provisioning_uri(staff: Staff) -> str:
    """The otpauth:// URI an authenticator app scans to add this account."""
    return pyotp.TOTP(staff.otp_secret).provisioning_uri(name=staff.username, issuer_name="会计人员信息管理平台")

"""python manage.py create_staff --username U --password P --department CODE --role reviewer|leader|admin"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accreg.accounts.services.staff import create_staff, otp_provisioning_uri
from accreg.errors import DomainError


class Command(BaseCommand):
    help = "Create a reviewer or administrator account scoped to a management department."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--department", required=True, help="department code, e.g. 410105")
        parser.add_argument("--role", required=True, choices=["reviewer", "leader", "admin"])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            staff = create_staff(
                options["username"],
                password=options["password"],
                department_code=options["department"],
                role=options["role"],
            )
        except DomainError as exc:
            details = "; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in exc.fields.items())
            raise CommandError(f"{exc.message}" + (f"（{details}）" if details else "")) from exc
        self.stdout.write(f"已创建 {staff.get_role_display()} {staff.username}：{staff.department}")
        if settings.STAFF_REQUIRE_OTP:
            self.stdout.write(f"动态口令密钥（TOTP）：{staff.otp_secret}")
            self.stdout.write(f"身份验证器添加链接：{otp_provisioning_uri(staff)}")

"""Demo staff accounts for trying the system at once; never created in production."""

from __future__ import annotations

from dataclasses import dataclass

from accreg.accounts.models import Staff
from accreg.accounts.services.staff import create_staff
from accreg.regions.models import Department

DEMO_PASSWORD = "Demo-Kuaiji-2026"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    department: str
    role: str


DEMO_STAFF = (
    DemoStaff("henan_admin", "410000", "admin"),
    DemoStaff("zhengzhou_reviewer", "410100", "reviewer"),
    DemoStaff("zhengzhou_leader", "410100", "leader"),
    DemoStaff("jinshui_reviewer", "410105", "reviewer"),
    DemoStaff("liaoning_admin", "210000", "admin"),
    DemoStaff("shenyang_reviewer", "210100", "reviewer"),
    DemoStaff("heping_reviewer", "210102", "reviewer"),
    DemoStaff("chongqing_admin", "500000", "admin"),
    DemoStaff("yuzhong_reviewer", "500103", "reviewer"),
    DemoStaff("yunnan_admin", "530000", "admin"),
    DemoStaff("wuhua_reviewer", "530102", "reviewer"),
)


def ensure_demo_staff() -> list[DemoStaff]:
    """Create the demo accounts that are missing; existing ones are left as they are."""
    available = set(Department.objects.filter(code__in=[s.department for s in DEMO_STAFF]).values_list("pk", flat=True))
    created = []
    for demo in DEMO_STAFF:
        if demo.department in available and not Staff.objects.filter(username=demo.username).exists():
            create_staff(demo.username, password=DEMO_PASSWORD, department_code=demo.department, role=demo.role)
            created.append(demo)
    return created

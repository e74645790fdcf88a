"""Demo accountants for trying the portals at once: one registered person per province and a few
archive records (原有会计人员) to activate. Never created in production."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from stdnum.cn import ric

from accreg.accounts.identity import check_id_number
from accreg.accounts.legacy_import import import_legacy_people
from accreg.accounts.models import Person
from accreg.accounts.people import person_by_id_number, set_identity, set_mobile
from accreg.provinces.loader import served_profiles

DEMO_PERSON_PASSWORD = "kuaiji2026"


def _id_number(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


@dataclass(frozen=True)
class DemoPerson:
    province: str
    name: str
    id_number: str
    mobile: str


DEMO_PEOPLE = (
    DemoPerson("chongqing", "黄磊", _id_number("50010319880612002"), "13900000501"),
    DemoPerson("yunnan", "杨帆", _id_number("53010219900301003"), "13900000531"),
    DemoPerson("henan", "张伟", _id_number("41010519850518001"), "13900000411"),
    DemoPerson("liaoning", "刘洋", _id_number("21010219920909004"), "13900000211"),
)
DEMO_LEGACY = (("赵云", _id_number("21010319750320003")), ("孙丽", _id_number("21010419800714006")))


def ensure_demo_people() -> list[DemoPerson]:
    """Create the demo accountants that are missing, in the served provinces; idempotent."""
    served = served_profiles()
    created = []
    for demo in DEMO_PEOPLE:
        if demo.province in served and person_by_id_number(demo.id_number) is None:
            person = Person(province=demo.province, name=demo.name, password=make_password(DEMO_PERSON_PASSWORD))
            set_identity(person, check_id_number("111", demo.id_number))
            set_mobile(person, demo.mobile)
            person.mobile_verified_at = person.activated_at = timezone.now()
            person.save()
            created.append(demo)
    if "liaoning" in served:
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "liaoning-archive.csv"
            rows = ["name,id_number,qualification_level"] + [f"{name},{number},01" for name, number in DEMO_LEGACY]
            archive.write_text("\n".join(rows) + "\n", encoding="utf-8")
            import_legacy_people(archive, province="liaoning")
    return created

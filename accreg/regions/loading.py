"""Loads divisions, builds the department tree, and applies the known directory entries.

Each loader is idempotent: it compares with what is stored and writes only what changed, so
running it again reports everything unchanged.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accreg.provinces.schema import Province

from .divisions import Division
from .models import Department, Level, Region
from .tree import clear_region_tree

DIRECTORY_FILE = Path(__file__).resolve().parent / "data" / "directory.toml"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_source: int = 0

    def __str__(self) -> str:
        text = f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"
        return text + (f"，数据源中已无 {self.not_in_source}" if self.not_in_source else "")


@transaction.atomic
def sync_regions(divisions: Iterable[Division]) -> LoadReport:
    """Store the divisions. Divisions no longer in the source are kept (departments and records may
    point at them) and counted in `not_in_source`."""
    report = LoadReport()
    existing = {r.code: r for r in Region.objects.all()}
    seen: set[str] = set()
    to_create: list[Region] = []
    to_update: list[Region] = []
    for d in divisions:
        seen.add(d.code)
        region = existing.get(d.code)
        if region is None:
            to_create.append(Region(code=d.code, name=d.name, level=d.level, parent_id=d.parent))
        elif (region.name, region.level, region.parent_id) != (d.name, d.level, d.parent):
            region.name, region.level, region.parent_id = d.name, d.level, d.parent
            to_update.append(region)
        else:
            report.unchanged += 1
    # Parents come before children in the source, so one ordered bulk insert satisfies the foreign key.
    Region.objects.bulk_create(to_create, batch_size=500)
    Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=500)
    report.created, report.updated = len(to_create), len(to_update)
    report.not_in_source = len(set(existing) - seen)
    if to_create or to_update:
        transaction.on_commit(clear_region_tree)
    return report


def department_name(region: Region) -> str:
    """财政厅 for a province, 财政局 for a municipality, a city or a county."""
    if region.level == Level.PROVINCE and not region.name.endswith("市"):
        return f"{region.name}财政厅"
    return f"{region.name}财政局"


@transaction.atomic
def build_departments(provinces: Iterable[Province]) -> LoadReport:
    """One management department per division of each profile's province: the province bureau,
    city bureaus under it, county bureaus under their city (or under the province when the county
    has no city, as in municipalities). Contact details are left to the directory loader."""
    report = LoadReport()
    existing = {d.code: d for d in Department.objects.all()}
    for province in provinces:
        regions = Region.objects.filter(code__startswith=province.region[:2]).order_by("code")
        by_code = {r.code: r for r in regions}
        if province.region not in by_code:
            raise ValueError(f"provinces/{province.code}.toml: region {province.region} is not a division")
        paths: dict[str, str] = {}
        # Levels in order so that each parent's path is known before its children.
        for level in (Level.PROVINCE, Level.CITY, Level.COUNTY):
            for region in (r for r in regions if r.level == level):
                parent = region.parent_id
                paths[region.code] = (paths[parent] if parent else "") + region.code + "/"
                wanted = {
                    "name": department_name(region),
                    "level": region.level,
                    "parent_id": parent,
                    "path": paths[region.code],
                }
                current = existing.get(region.code)
                if current is None:
                    Department.objects.create(code=region.code, region=region, **wanted)
                    report.created += 1
                elif any(getattr(current, key) != value for key, value in wanted.items()):
                    Department.objects.filter(pk=current.pk).update(**wanted)
                    report.updated += 1
                else:
                    report.unchanged += 1
    return report


@transaction.atomic
def apply_directory(path: Path = DIRECTORY_FILE) -> LoadReport:
    """Set addresses and phones known from real sources (directory.toml); never invents any."""
    report = LoadReport()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for entry in data.get("departments", []):
        wanted = {
            "directory_name": entry.get("directory_name", ""),
            "address": entry.get("address", ""),
            "phone": entry.get("phone", ""),
            "directory_source": entry["source"],
        }
        department = Department.objects.filter(code=entry["code"]).first()
        if department is None:
            report.not_in_source += 1
        elif any(getattr(department, key) != value for key, value in wanted.items()):
            Department.objects.filter(pk=department.pk).update(**wanted)
            report.updated += 1
        else:
            report.unchanged += 1
    return report

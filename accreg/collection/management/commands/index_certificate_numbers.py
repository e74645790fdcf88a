"""python manage.py index_certificate_numbers: fill the duplicate guard's certificate-number table
from every record's latest submission (once, after migration collection.0010; safe to repeat)."""

from typing import Any

from django.core.management.base import BaseCommand

from accreg.collection.certificate_numbers import index_all


class Command(BaseCommand):
    help = "Index the certificate numbers of every record's latest submission (decision 0029)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"已建立证书编号索引：{index_all()} 份档案")

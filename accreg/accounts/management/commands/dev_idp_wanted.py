"""Prints "yes" when a served province signs in through OIDC with no real provider configured, so
`make run` starts the development provider beside the site; "no" otherwise."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accreg.provinces.loader import served_profiles


class Command(BaseCommand):
    help = "Whether the development identity provider should run beside the site."

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = settings.DEV_IDP_ENABLED and any(
            "oidc" in p.sign_in.methods and p.code not in settings.OIDC_PROVIDERS for p in served_profiles().values()
        )
        self.stdout.write("yes" if wanted else "no")

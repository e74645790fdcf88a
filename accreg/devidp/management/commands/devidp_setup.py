"""Prepare the development provider: its tables, and the site registered as its one client."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from oauth2_provider.models import Application

from accreg.devidp.keys import CLIENT_ID, client_secret

# Loopback redirect URIs match on any port (RFC 8252 §7.3), so one entry serves every local port.
DEFAULT_REDIRECTS = ["http://127.0.0.1/henan/oidc/callback/", "http://testserver/henan/oidc/callback/"]


class Command(BaseCommand):
    help = "Create the development provider's tables and register the site as its client (safe to repeat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--redirect-uri", action="append", default=[], help="another allowed callback")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        redirects = " ".join(dict.fromkeys([*DEFAULT_REDIRECTS, *options["redirect_uri"]]))
        app = Application.objects.filter(client_id=CLIENT_ID).first() or Application(client_id=CLIENT_ID)
        app.name = "会计人员信息采集与管理平台（开发）"
        app.client_type = Application.CLIENT_CONFIDENTIAL
        app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        app.algorithm = Application.RS256_ALGORITHM
        app.skip_authorization = True
        app.redirect_uris = redirects
        app.client_secret = client_secret(settings.DATA_DIR)  # hashed when saved
        app.save()
        self.stdout.write(f"开发用统一身份认证已就绪：client_id={CLIENT_ID}")

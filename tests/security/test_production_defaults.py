"""Issue 13, item 11: a server started without ACCREG_ENV is a production one. Turning DEBUG off
and forgetting the second variable no longer leaves staff without TOTP, cookies without Secure, and
the development identity provider (which signs anyone in as whoever's ID number they type) on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
READ = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
    " for k in ('PRODUCTION', 'DEBUG', 'STAFF_REQUIRE_OTP', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
    " 'DEV_IDP_ENABLED', 'SECURE_HSTS_SECONDS')}))"
)


def start(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """The site's settings as a server started with only `variables` (and the secrets) would read them."""
    env = {k: v for k, v in os.environ.items() if k not in ("ACCREG_ENV", "DATABASE_URL", "REDIS_URL")}
    env.pop("DEBUG", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATA_DIR=str(tmp_path),
        SECRET_KEY="s" * 50,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        LOOKUP_HASH_KEY="k" * 40,
        **variables,
    )
    return subprocess.run([sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True)


def test_without_accreg_env_the_server_is_production_safe(tmp_path):
    started = start(tmp_path, DEBUG="false")

    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout) == {
        "PRODUCTION": True,
        "DEBUG": False,
        "STAFF_REQUIRE_OTP": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "DEV_IDP_ENABLED": False,
        "SECURE_HSTS_SECONDS": 31536000,
    }


@pytest.mark.parametrize(
    ("variable", "value"), [("DEV_IDP_ENABLED", "true"), ("STAFF_REQUIRE_OTP", "false"), ("ACCREG_ENV", "prod")]
)
def test_a_development_allowance_outside_development_stops_start_up_naming_itself(tmp_path, variable, value):
    started = start(tmp_path, **{variable: value})

    assert started.returncode != 0
    assert variable in started.stderr.splitlines()[-1]


def test_development_is_said_explicitly_and_relaxes_only_then(tmp_path):
    started = start(tmp_path, ACCREG_ENV="development")

    assert json.loads(started.stdout)["STAFF_REQUIRE_OTP"] is False
    assert json.loads(started.stdout)["DEV_IDP_ENABLED"] is True
    assert json.loads(started.stdout)["SESSION_COOKIE_SECURE"] is False


def test_a_missing_secret_outside_development_names_itself_and_the_way_out(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ACCREG_ENV", "SECRET_KEY")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DATA_DIR=str(tmp_path))

    started = subprocess.run([sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True)

    assert started.returncode != 0
    assert "Set the SECRET_KEY environment variable (or ACCREG_ENV=development" in started.stderr


def test_the_development_identity_provider_will_not_start_outside_development(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ACCREG_ENV"}
    env.update(DJANGO_SETTINGS_MODULE="accreg.devidp.settings", DATA_DIR=str(tmp_path))

    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert started.returncode != 0
    assert "runs only with ACCREG_ENV=development" in started.stderr

"""Settings of the development identity provider: its own process, port and SQLite database, sharing
only DATA_DIR with the main site (where the signing key and the client secret are kept)."""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from accreg.devidp.keys import secret_in, signing_key_pem

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
if env.str("ACCREG_ENV", default="production") != "development":  # it signs in anyone as anyone
    raise ImproperlyConfigured("The development identity provider runs only with ACCREG_ENV=development")
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
SECRET_KEY = env.str("DEV_IDP_SECRET_KEY", default="") or secret_in(DATA_DIR, "dev-idp-django-secret")
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
    "accreg.devidp",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "accreg.devidp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env.str("DEV_IDP_DB", default=str(DATA_DIR / "dev-idp.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
LOGIN_URL = "/login/"
SESSION_COOKIE_NAME = "devidp_session"  # on the same host as the site; keep the cookies apart
CSRF_COOKIE_NAME = "devidp_csrftoken"


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": signing_key_pem(DATA_DIR),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "身份标识", "profile": "姓名与身份证号码"},
    "OAUTH2_VALIDATOR_CLASS": "accreg.devidp.validator.IdentityClaims",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 120,
}

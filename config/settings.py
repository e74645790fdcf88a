"""Settings for Accountant Registry: one module, every value read once from the environment.

The defaults run the whole system on one machine (SQLite, local files, SMS to a local outbox), but
only with `ACCREG_ENV=development` (set by `make run`, `make test` and the tests' settings). Without
it the deployment is production: every secret must come from the environment, cookies are Secure,
staff need TOTP and there is no development identity provider (docs/decisions/0020).
docs/operations.md lists every variable.
"""

import base64
import secrets
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

from config.private_files import private_folder, private_sqlite

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# Development is chosen, never assumed: a server started without ACCREG_ENV is a production one.
ACCREG_ENV = env.str("ACCREG_ENV", default="production")
if ACCREG_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"ACCREG_ENV must be development or production, not {ACCREG_ENV!r}")
DEVELOPMENT = ACCREG_ENV == "development"
PRODUCTION = not DEVELOPMENT
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
private_folder(DATA_DIR)  # the database, uploads and outbox hold personal data: owner only


def _local_secret(name: str) -> str:
    """A per-machine secret kept in DATA_DIR, for development only (production must set it)."""
    path = DATA_DIR / name
    if not path.exists():
        # Fernet keys are 32 url-safe base64 bytes; the other secrets may be any long random string.
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


def _secret(name: str, local_file: str) -> str:
    if PRODUCTION:
        if not env.str(name, default=""):  # no default: a missing secret stops start-up and names itself
            msg = f"Set the {name} environment variable (or ACCREG_ENV=development on a developer's machine)"
            raise ImproperlyConfigured(msg)
        return env.str(name)
    return env.str(name, default="") or _local_secret(local_file)


SECRET_KEY = _secret("SECRET_KEY", "secret-key")
# ID numbers and mobiles are encrypted (Fernet; several comma-separated keys rotate, the first
# encrypts) and looked up by a keyed hash (HMAC-SHA256), docs/decisions/0008.
FIELD_ENCRYPTION_KEYS = [k.strip() for k in _secret("FIELD_ENCRYPTION_KEYS", "field-keys").split(",") if k.strip()]
LOOKUP_HASH_KEY = _secret("LOOKUP_HASH_KEY", "lookup-hash-key")

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Province portals this deployment serves: "all", or a comma-separated list of profile codes.
ACCREG_PROVINCES = env.list("ACCREG_PROVINCES", default=["all"])
ACCREG_PROVINCES_DIR = Path(env.str("ACCREG_PROVINCES_DIR", default=str(BASE_DIR / "provinces")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from its own static files, not a CDN (the network may be closed)
    "accreg.provinces",
    "accreg.regions",
    "accreg.codelists",
    "accreg.accounts",
    "accreg.collection",
    "accreg.uploads",
    "accreg.reading",
    "accreg.review",
    "accreg.desk",
    "accreg.claims",
    "accreg.notices",
    "accreg.portal",
    "accreg.audit",
    "accreg.notifications",
    "accreg.api",
    "accreg.demo",
]

MIDDLEWARE = [
    "config.proxy.TrustedProxyMiddleware",  # first: everything after sees the phone's own address
    "config.nul_bytes.RefuseNulMiddleware",  # no NUL reaches a view (PostgreSQL cannot hold one)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.security_headers.SecurityHeadersMiddleware",  # after WhiteNoise: static files keep their caching
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accreg.accounts.middleware.PersonSessionMiddleware",
    "ninja.compatibility.files.fix_request_files_middleware",  # multipart bodies on PUT (API.md uploads)
    "accreg.api.method_not_allowed.JsonMethodNotAllowedMiddleware",  # a wrong method on /api/: JSON 405
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Behind a proxy (deploy/serve puts nginx in front): the header it sets to the client's address, and
# the peer addresses it connects from ("" is a Unix socket, which only the proxy can reach).
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="")
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[""])

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and a statement a connection runs again and again prepared
    # once (psycopg's prepare_threshold): the hot requests' statements then skip PostgreSQL's
    # parse and plan and psycopg's quoting (decision 0031). DB_PREPARE_THRESHOLD= (empty) turns
    # preparing off, for a pooler that cannot carry prepared statements (PgBouncer before 1.21).
    _prepare = env.str("DB_PREPARE_THRESHOLD", default="5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=env.bool("DB_SERVER_SIDE_BINDING", default=True),
        prepare_threshold=int(_prepare) if _prepare else None,
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    private_sqlite(str(DATABASES["default"]["NAME"]))
    # WAL lets the page server read while a loader writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A database table, not process memory: rate limits and captchas must hold across server workers.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "accreg_cache"}}
RATELIMIT_USE_CACHE = "default"
# Requests per client IP on the endpoints that take codes and passwords. Generous: a whole finance
# bureau or company may share one address; the per-account lock-out is the tight rule.
RATE_LIMITS = {
    "sms-codes": env.str("RATE_LIMIT_SMS_CODES", default="30/h"),
    "accounts": env.str("RATE_LIMIT_ACCOUNTS", default="30/h"),
    "sessions": env.str("RATE_LIMIT_SESSIONS", default="120/5m"),
    "captchas": env.str("RATE_LIMIT_CAPTCHAS", default="120/5m"),
    "password-resets": env.str("RATE_LIMIT_PASSWORD_RESETS", default="20/h"),
    "legacy-activations": env.str("RATE_LIMIT_LEGACY_ACTIVATIONS", default="30/h"),
    "identity-verifications": env.str("RATE_LIMIT_IDENTITY_VERIFICATIONS", default="20/h"),
    "id-claims": env.str("RATE_LIMIT_ID_CLAIMS", default="30/h"),
    "passwords": env.str("RATE_LIMIT_PASSWORDS", default="20/h"),
    "mobiles": env.str("RATE_LIMIT_MOBILES", default="20/h"),
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]  # the database cache is shared, if not atomic

# Background work (SMS, exports, imports, reading materials): the database queue by default, worked by
# `manage.py run_worker` (docs/decisions/0019). SMS have their own queue and worker, so no export backlog
# delays a login code; so does the reading of ID cards and certificates (`reading`: the page waits for
# it, and its worker keeps the OCR engine's memory to itself).
# TASKS_BACKEND=redis: the same queues in Redis (django-tasks-rq), worked by RQ's workers on any
# number of machines, through the same `manage.py run_worker` (docs/decisions/0024).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
TASKS_REDIS_URL = env.str("TASKS_REDIS_URL", default=REDIS_URL)
TASK_QUEUES = ["default", "sms", "reading"]
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "redis": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }.get(TASKS_BACKEND, TASKS_BACKEND),
        "QUEUES": TASK_QUEUES,
    }
}
if TASKS_BACKEND == "redis":
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=redis needs TASKS_REDIS_URL (or REDIS_URL), e.g. redis://host:6379/1")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {queue: {"URL": TASKS_REDIS_URL} for queue in TASK_QUEUES}
    RQ = {"JOB_CLASS": "accreg.notifications.redis_worker.Job", "COMMIT_MODE": "auto"}
# Seconds a task may stay running; past it, its worker is taken as dead and the task runs again
# (every task is safe to run twice). "*" is for any other task. TASK_TIME_LIMITS (JSON) overrides.
TASK_TIME_LIMITS = {
    "*": 3600,
    "accreg.notifications.tasks.send_sms": 120,
    "accreg.review.exports.write_export": 1800,
    "accreg.reading.tasks.read_material": 300,
    "accreg.accounts.legacy_import_jobs.run_legacy_import": 7200,
    **env.json("TASK_TIME_LIMITS", default={}),
}
WORKER_HOUSEKEEPING_SECONDS = env.float("WORKER_HOUSEKEEPING_SECONDS", default=30.0)
# With TASKS_BACKEND=redis: how often a worker running a task tells Redis it is alive; silent for
# three of these, it is taken as dead and its task runs again.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=30)
# Exports (导出): how many one staff member may start per hour and have waiting at once; files are deleted after N days.
EXPORTS_PER_HOUR = env.int("EXPORTS_PER_HOUR", default=20)
EXPORTS_AT_ONCE = env.int("EXPORTS_AT_ONCE", default=3)
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)

AUTH_USER_MODEL = "accounts.Staff"
PASSWORD_HASHERS = [
    "accreg.accounts.hashers.Argon2idHasher",  # verifies older Argon2 hashes too, and upgrades them
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff need a second factor in production; the one-machine demo may sign in without it.
STAFF_REQUIRE_OTP = env.bool("STAFF_REQUIRE_OTP", default=PRODUCTION)
if PRODUCTION and not STAFF_REQUIRE_OTP:
    raise ImproperlyConfigured("STAFF_REQUIRE_OTP may be off only with ACCREG_ENV=development")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Browser libraries from the npm registry (package.json, installed by `make`), served as they ship.
CHART_JS_DIST = BASE_DIR / "node_modules" / "chart.js" / "dist"
STATICFILES_DIRS = [("vendor/chart.js", CHART_JS_DIST)] if CHART_JS_DIST.is_dir() else []
STATIC_ROOT.mkdir(exist_ok=True)  # filled by collectstatic; WhiteNoise expects it to exist
WHITENOISE_USE_FINDERS = DEBUG  # serve app static files without collectstatic while developing
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "uploads")))
MEDIA_URL = "media/"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
private_folder(MEDIA_ROOT)


def object_storage(url: str) -> dict[str, Any]:
    """The S3-compatible object store of OBJECT_STORAGE_URL (docs/operations.md, issue 16):
    s3://KEY:SECRET@HOST:PORT/BUCKET[?region=…&secure=false]. Objects are private: no ACL is set
    (the bucket's own, which must not be public) and the application serves each file itself after
    its permission checks, never by a public or signed URL."""
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    secure = query.get("secure", "true").lower() != "false"
    if parts.scheme != "s3" or not parts.hostname or not parts.path.strip("/"):
        raise ImproperlyConfigured("OBJECT_STORAGE_URL must read s3://KEY:SECRET@HOST:PORT/BUCKET")
    host = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": parts.path.strip("/"),
            "endpoint_url": f"{'https' if secure else 'http'}://{host}",
            "access_key": unquote(parts.username or ""),
            "secret_key": unquote(parts.password or ""),
            "region_name": query.get("region", "us-east-1"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }


OBJECT_STORAGE_URL = env.str("OBJECT_STORAGE_URL", default="")
STORAGES = {
    "default": object_storage(OBJECT_STORAGE_URL)
    if OBJECT_STORAGE_URL
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SMS_OUTBOX = DATA_DIR / "sms-outbox.jsonl"
# The SMS gateway: the outbox file by default; a provider's backend by dotted path in production.
SMS_BACKEND = env.str("SMS_BACKEND", default="accreg.notifications.sms.OutboxBackend")
SMS_DAILY_LIMIT_PER_MOBILE = env.int("SMS_DAILY_LIMIT_PER_MOBILE", default=10)
SMS_DAILY_LIMIT_PER_IP = env.int("SMS_DAILY_LIMIT_PER_IP", default=50)
# Identity verification for password resets where a province asks for it (HN 2.1).
IDENTITY_VERIFIER = env.str("IDENTITY_VERIFIER", default="accreg.accounts.identity_verification.DevelopmentVerifier")
# External government identity providers (OpenID Connect) for provinces whose sign-in offers `oidc`
# (HN 统一身份认证平台): a JSON object {"henan": {"metadata_url", "client_id", "client_secret",
# "id_number_claim", "name_claim"}}. Outside production, a province without one uses the built-in
# development provider at DEV_IDP_BASE_URL, which stands in for the real one.
OIDC_PROVIDERS = env.json("OIDC_PROVIDERS", default={})
DEV_IDP_ENABLED = env.bool("DEV_IDP_ENABLED", default=DEVELOPMENT)
if PRODUCTION and DEV_IDP_ENABLED:  # it signs anyone in as whoever's ID number they type
    raise ImproperlyConfigured("DEV_IDP_ENABLED may be on only with ACCREG_ENV=development")
# The development provider runs as its own process (`make run` starts it on DEV_IDP_PORT).
DEV_IDP_PORT = env.int("DEV_IDP_PORT", default=8001)
DEV_IDP_BASE_URL = env.str("DEV_IDP_BASE_URL", default=f"http://127.0.0.1:{DEV_IDP_PORT}/o")
# Bearer tokens of the API expire; pages use the session cookie.
TOKEN_LIFETIME_HOURS = env.int("TOKEN_LIFETIME_HOURS", default=12)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS only, once a browser has seen the site over it (sent on HTTPS answers only). Behind the
# trusted proxy, the scheme it saw comes in X-Forwarded-Proto (deploy/nginx.conf.template sets it).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if PRODUCTION else 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_HEADER else None
# Every page works without inline scripts or styles (config/security_headers.py, docs/decisions/0020).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
CONTENT_SECURITY_POLICY_BY_PATH: dict[str, str] = {}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

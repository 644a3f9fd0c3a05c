"""Core Django settings: apps, middleware, auth, i18n, static files, modes."""

from __future__ import annotations

from pathlib import Path

from claimsportal.config.env import data_dir, env_flag, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

DEBUG = env_flag("CLAIMSPORTAL_DEBUG", False)
# A development key is used only when none is configured and DEBUG or sandbox mode is on.
SECRET_KEY = (
    env_str("CLAIMSPORTAL_SECRET_KEY") or "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"
)
ALLOWED_HOSTS = [
    h for h in env_str("CLAIMSPORTAL_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]

# Sandbox mode (integration environment): the clock can be moved, for every process.
SANDBOX = env_flag("CLAIMSPORTAL_SANDBOX", False)
# live: MFA at every sign-in; training and sandbox: none (ADMINISTRATION.md §2.5). Sandbox implies it.
CLAIMSPORTAL_MODE = "sandbox" if SANDBOX else env_str("CLAIMSPORTAL_MODE", "live")
if CLAIMSPORTAL_MODE not in ("live", "training", "sandbox"):
    raise ValueError("CLAIMSPORTAL_MODE must be live, training or sandbox")
CLAIMSPORTAL_PASSWORD_RULES = env_str("CLAIMSPORTAL_PASSWORD_RULES", "2023")  # or 2025: 60-day age, last 12
if CLAIMSPORTAL_PASSWORD_RULES not in ("2023", "2025"):
    raise ValueError("CLAIMSPORTAL_PASSWORD_RULES must be 2023 or 2025")
CLAIMSPORTAL_A2A_RATE = float(
    env_str("CLAIMSPORTAL_A2A_RATE", "100")
)  # requests/s per client, all servers together
CLAIMSPORTAL_A2A_BURST = float(env_str("CLAIMSPORTAL_A2A_BURST", "200"))
# Days an A2A client secret works before it must be changed with changePassword (0: never expires).
CLAIMSPORTAL_A2A_SECRET_MAX_DAYS = int(env_str("CLAIMSPORTAL_A2A_SECRET_MAX_DAYS", "90"))
# Webhooks (docs/webhooks.md): http:// and private or loopback addresses are for tests, the sandbox
# and training only; the secrets are sealed with this key (else one derived from SECRET_KEY).
CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES = env_flag("CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES", False)
if CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES and CLAIMSPORTAL_MODE == "live":
    raise ValueError("CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES is refused in live mode")
CLAIMSPORTAL_WEBHOOK_TIMEOUT = min(30.0, max(1.0, float(env_str("CLAIMSPORTAL_WEBHOOK_TIMEOUT", "10"))))
CLAIMSPORTAL_WEBHOOK_THREADS = min(64, max(1, int(env_str("CLAIMSPORTAL_WEBHOOK_THREADS", "8"))))
CLAIMSPORTAL_WEBHOOK_SEALING_KEY = env_str("CLAIMSPORTAL_WEBHOOK_SEALING_KEY", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' Swagger UI from its own static files (no CDN)
    "claimsportal.core",
    "claimsportal.reference",
    "claimsportal.organisations",
    "claimsportal.claims",
    "claimsportal.notifications",
    "claimsportal.documents",
    "claimsportal.custody",
    "claimsportal.transfers",
    "claimsportal.webhooks",
    "claimsportal.a2a",
    "claimsportal.litigants",
    "claimsportal.helpdesk",
    "claimsportal.publishing",
    "claimsportal.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # No control character (NUL …) in a path or query string reaches a view (JSON 422 on /a2a/, else a 400 page)
    "claimsportal.core.request_guard.RequestGuardMiddleware",
    # Response times per minute for the Executive Dashboard's service report (anonymous, publishing/service.py)
    "claimsportal.publishing.service.ServiceTimingMiddleware",
    # During a scheduled maintenance window: the API's 503 MAINTENANCE, the web's maintenance page
    "claimsportal.publishing.maintenance.MaintenanceMiddleware",
    # A session opens only the pages of the section chosen at sign-in (Claims Portal / Administration)
    "claimsportal.web.account.sections.SectionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "claimsportal.config.urls"
WSGI_APPLICATION = "claimsportal.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",  # {{ csp_nonce }} for an inline script
            ],
        },
    },
]

AUTH_USER_MODEL = "organisations.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves collected files from here
WHITENOISE_USE_FINDERS = True  # and, without collectstatic, the apps' own static files
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Attachments and printable documents: private files, served only by the authorised views
# (claimsportal.documents.storage). Override "private" with any Django storage (e.g. S3).
PRIVATE_FILES_DIR = DATA_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_FILES_DIR), "base_url": None},
    },
}
# A2A addAttachment sends a file of up to 4 MB base64-encoded in JSON (about 5.6 MB): request bodies
# up to 6 MB are read (Django's default is 2.5 MB). Web uploads stream their files to disk and
# stop reading a file at the 4 MB limit (web.claims.attachments).
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# user_id is unique case-insensitively by a functional constraint (organisations.User.Meta), which the
# auth check cannot see. models.W040: the dashboard facts' covering index (INCLUDE amount) is a
# PostgreSQL speed-up; SQLite (make run, make test) builds the same index without the included column.
SILENCED_SYSTEM_CHECKS = ["auth.E003", "models.W040"]

"""Settings of Guichet: one module, driven by environment variables (see README, "Configuration").

Figures that come from a rule (30 minutes idle, 6 months of inactivity...) are defaults an operator
can change; the rule ID is named beside each.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from guichet.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GUICHET_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_bool("GUICHET_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY") or ("" if PRODUCTION else "insecure-development-key-never-used-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "guichet.events",
    "guichet.members",
    "guichet.accounts",
    "guichet.messaging",
    "guichet.terms",
    "guichet.traffic",
    "guichet.pages",
    "guichet.privacy",
    "guichet.cookies",
    "guichet.ledger",
    "guichet.communication",
    "guichet.mandates",
    "guichet.backoffice",
    "guichet.ebox",
    "guichet.signing",
    "guichet.rights",
    "guichet.retention",
    "guichet.decisions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "guichet.accounts.middleware.SessionLifetimeMiddleware",
    "guichet.accounts.middleware.ActorMiddleware",
    "guichet.mandates.middleware.SubjectMiddleware",
    "guichet.accounts.middleware.PrivateByDefaultMiddleware",
    "guichet.terms.middleware.CurrentTermsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "guichet.traffic.middleware.ConnectionLogMiddleware",
    "guichet.cookies.middleware.CookieConsentMiddleware",
]

if PRODUCTION:  # static files from collectstatic, served with far-future caching
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "guichet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.pages.context.site",
            ],
        },
    },
]

# Database: PostgreSQL in production and CI (DATABASE_URL); an embedded SQLite file by default.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "guichet"}
    ),
    # Rendered template fragments that hold nothing personal (base.html's header and footer per language,
    # the cookie form): in each worker's memory, so reading one costs no network round trip, and emptied at
    # every restart, so a deploy never serves the HTML of the previous version.
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "guichet-fragments",
                  "OPTIONS": {"MAX_ENTRIES": 1000}},
}

# Accounts and passwords (ACC-3): Argon2, at least 12 characters, long ones allowed, no composition rules.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["guichet.accounts.backends.AccountBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:private-home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "guichet.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "guichet.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 256}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "guichet.accounts.passwords.PersonalDataValidator"},
]

# Sessions (ACC-7): server-side state, 30 minutes idle, 12 hours at most, a cookie that ends with the browser.
SESSION_ENGINE = "guichet.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_SECONDS = env_int("GUICHET_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_SECONDS = env_int("GUICHET_SESSION_MAX_HOURS", 12) * 3600
SESSION_TOUCH_SECONDS = env_int("GUICHET_SESSION_TOUCH_SECONDS", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "guichet.pages.views.csrf_failure"
SUDO_SECONDS = env_int("GUICHET_SUDO_MINUTES", 10) * 60

# One-time codes and throttling (ACC-2, ACC-3).
OTP_CODE_DIGITS = env_int("GUICHET_CODE_DIGITS", 6)
OTP_CODE_TTL_SECONDS = env_int("GUICHET_CODE_MINUTES", 10) * 60
OTP_CODE_MAX_TRIES = env_int("GUICHET_CODE_MAX_TRIES", 5)
THROTTLE_FREE_FAILURES = env_int("GUICHET_THROTTLE_FREE_FAILURES", 3)
THROTTLE_BASE_DELAY_SECONDS = env_int("GUICHET_THROTTLE_BASE_DELAY_SECONDS", 2)
THROTTLE_MAX_DELAY_SECONDS = env_int("GUICHET_THROTTLE_MAX_DELAY_SECONDS", 900)
OTP_TOTP_ISSUER = env_str("GUICHET_TOTP_ISSUER", "Guichet")

# Inactivity (ACC-6): warning two weeks before, login access removed after 6 months without login.
INACTIVITY_MONTHS = env_int("GUICHET_INACTIVITY_MONTHS", 6)
INACTIVITY_WARNING_DAYS = env_int("GUICHET_INACTIVITY_WARNING_DAYS", 14)

# Languages (ACC-8): remembered in a cookie that ends with the browser session.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]
LANGUAGE_COOKIE_AGE = None
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LOCALE_PATHS = [BASE_DIR / "guichet" / "locale"]
FORMAT_MODULE_PATH = ["guichet.formats"]  # Belgian date formats (Django's nl ones are the Netherlands')
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "guichet" / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Messages to members. In development SMS and e-mail land in the outbox page (/dev/outbox/).
SMS_GATEWAY = env_str("SMS_GATEWAY", "outbox")  # "outbox" or "http"
SMS_HTTP_URL = env_str("SMS_HTTP_URL")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN")
SMS_HTTP_TIMEOUT_SECONDS = env_int("SMS_HTTP_TIMEOUT_SECONDS", 10)
SMS_SENDER = env_str("SMS_SENDER", "Guichet")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "guichet.messaging.backends.OutboxEmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@guichet.localhost")
DEV_OUTBOX_ENABLED = env_bool("GUICHET_DEV_OUTBOX", not PRODUCTION)

# Celery: a real broker in production (Redis or RabbitMQ); run inline when none is configured.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "memory://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "guichet")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE = {
    "mandates-end-expired": {"task": "guichet.mandates.tasks.end_expired_mandates", "schedule": 6 * 3600},
    "accounts-inactivity": {"task": "guichet.accounts.tasks.apply_inactivity_rule", "schedule": 6 * 3600},
    "accounts-clear-expired": {"task": "guichet.accounts.tasks.clear_expired_credentials", "schedule": 3600},
    "events-deliver-outbox": {"task": "guichet.events.tasks.deliver_outbox", "schedule": 60},
    "members-coming-of-age": {"task": "guichet.members.tasks.publish_comings_of_age", "schedule": 6 * 3600},
    "cookies-erase-expired-analytics": {"task": "guichet.cookies.tasks.erase_expired_analytics", "schedule": 24 * 3600},
    "ledger-checkpoint": {"task": "guichet.ledger.tasks.checkpoint_head", "schedule": 3600},
    "ledger-verify": {"task": "guichet.ledger.tasks.verify_daily", "schedule": 24 * 3600},
    "communication-deliver-webhooks": {"task": "guichet.communication.tasks.deliver_due_webhooks", "schedule": 60},
    "communication-retention": {"task": "guichet.communication.tasks.apply_retention", "schedule": 6 * 3600},
}

# Cookies (COOK-3, COOK-6, RET-8): a choice stands one year; a visit ends after 30 minutes without a page;
# analytics data are erased after 24 months.
COOKIE_CONSENT_DAYS = env_int("GUICHET_COOKIE_CONSENT_DAYS", 365)
ANALYTICS_VISIT_IDLE_MINUTES = env_int("GUICHET_ANALYTICS_VISIT_IDLE_MINUTES", 30)
ANALYTICS_RETENTION_DAYS = env_int("GUICHET_ANALYTICS_RETENTION_DAYS", 730)

# Security headers. Behind a TLS-terminating proxy set GUICHET_PRODUCTION=1.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", PRODUCTION) else None

# The evidence ledger (SEC-1, SIGN-4): the Ed25519 key that signs checkpoints (PEM, PKCS#8; in
# development a key is generated into VAR_DIR), the public key the verifier trusts (default: the signing
# key's), and the number of entries between two signed checkpoints (the hourly job signs the rest).
GUICHET_LEDGER_SIGNING_KEY_FILE = env_str("GUICHET_LEDGER_SIGNING_KEY_FILE")
GUICHET_LEDGER_PUBLIC_KEY_FILE = env_str("GUICHET_LEDGER_PUBLIC_KEY_FILE")
GUICHET_LEDGER_CHECKPOINT_EVERY = env_int("GUICHET_LEDGER_CHECKPOINT_EVERY", 1000)

# Mandates and parental authority: the court decision attached as proof (MIN-3), PDF, JPEG or PNG.
COURT_DECISION_MAX_BYTES = env_int("GUICHET_COURT_DECISION_MAX_MB", 10) * 1_000_000

# Back office (ACL-1..3): how long an opened file stays open for the staff member, the longest
# health-data delegation an advising physician may grant, and the confidentiality text in force.
BACKOFFICE_FILE_ACCESS_MINUTES = env_int("GUICHET_FILE_ACCESS_MINUTES", 30)
BACKOFFICE_DELEGATION_MAX_DAYS = env_int("GUICHET_DELEGATION_MAX_DAYS", 365)
BACKOFFICE_CONFIDENTIALITY_VERSION = env_str("GUICHET_CONFIDENTIALITY_VERSION", "2026-1")

# Benchmarks mount a bare one-query view next to the real pages (bench/).
BENCH_ENDPOINTS = env_bool("GUICHET_BENCH_ENDPOINTS", False)

ORGANISATION_NAME = env_str("GUICHET_ORGANISATION_NAME", "Guichet")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"guichet.security": {"level": "INFO"}},
}

ADMIN_SITE_TITLE = _("Guichet administration")

# Communication and campaigns (COMM). Links in e-mails start with the public address of the site.
PUBLIC_BASE_URL = env_str("GUICHET_PUBLIC_BASE_URL", "https://guichet.localhost")
CAMPAIGN_LINK_HOSTS = env_list("GUICHET_CAMPAIGN_LINK_HOSTS", [])  # hosts campaign links may point to, besides ours
CAMPAIGN_UNSUBSCRIBE_MAILTO = env_str("GUICHET_CAMPAIGN_UNSUBSCRIBE_MAILTO")  # optional mailto: of List-Unsubscribe
CAMPAIGN_BATCH_SIZE = env_int("GUICHET_CAMPAIGN_BATCH_SIZE", 500)
CAMPAIGN_MINIMUM_AGE = env_int("GUICHET_CAMPAIGN_MINIMUM_AGE", 18)
WEBHOOK_TIMEOUT_SECONDS = env_int("GUICHET_WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_RETRY_BASE_SECONDS = env_int("GUICHET_WEBHOOK_RETRY_BASE_SECONDS", 30)  # COMM-7: retried until delivered
WEBHOOK_RETRY_MAX_SECONDS = env_int("GUICHET_WEBHOOK_RETRY_MAX_SECONDS", 900)  # minutes, not weeks
GROUP_MATCHING_KEY = env_str("GUICHET_GROUP_MATCHING_KEY")  # shared with group entities to match non-members (COMM-6)
DO_NOT_CALL_REGION = env_str("GUICHET_DO_NOT_CALL_REGION", "BE")  # numbers without a country code (COMM-8)
PROSPECT_RETENTION_DAYS = env_int("GUICHET_PROSPECT_RETENTION_DAYS", 365)  # COMM-10, RET-2: 1 year at most
CALL_RECORDING_RETENTION_DAYS = env_int("GUICHET_CALL_RECORDING_RETENTION_DAYS", 30)  # COMM-12, RET-3 (P1M)

# --- e-Box (issue 7: EBOX-1..5, uploads) ---
# Documents issued to members: a filesystem under VAR_DIR, or an S3-compatible bucket when
# GUICHET_DOCUMENTS_S3_BUCKET is set (endpoint, region and keys from the variables below).
GUICHET_DOCUMENTS_S3_BUCKET = env_str("GUICHET_DOCUMENTS_S3_BUCKET")
if GUICHET_DOCUMENTS_S3_BUCKET:
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": GUICHET_DOCUMENTS_S3_BUCKET,
            "endpoint_url": env_str("GUICHET_DOCUMENTS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("GUICHET_DOCUMENTS_S3_REGION") or None,
            "access_key": env_str("GUICHET_DOCUMENTS_S3_ACCESS_KEY") or None,
            "secret_key": env_str("GUICHET_DOCUMENTS_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "documents", "base_url": None, "file_permissions_mode": 0o600},
    }
# The organisation's sealing certificate and key (PEM) and the trust anchors of verify_seal; required in
# production, generated into VAR_DIR/ebox-seal in development.
GUICHET_EBOX_SEAL_CERT_FILE = env_str("GUICHET_EBOX_SEAL_CERT_FILE")
GUICHET_EBOX_SEAL_KEY_FILE = env_str("GUICHET_EBOX_SEAL_KEY_FILE")
GUICHET_EBOX_SEAL_TRUST_FILE = env_str("GUICHET_EBOX_SEAL_TRUST_FILE")
GUICHET_UPLOAD_MAX_BYTES = env_int("GUICHET_UPLOAD_MAX_MB", 10) * 1_000_000
GUICHET_EBOX_PRINT_EXPORT_DIR = env_str("GUICHET_EBOX_PRINT_EXPORT_DIR", str(VAR_DIR / "print-export"))
GUICHET_EBOX_PAGE_SIZE = env_int("GUICHET_EBOX_PAGE_SIZE", 20)
CELERY_BEAT_SCHEDULE["ebox-print-export"] = {"task": "guichet.ebox.tasks.export_print_batch", "schedule": 3600}

# --- Electronic signature (issue 7: SIGN-1..5) ---
# Trust anchors: PEM files of the roots a signature certificate must chain to. Production: the Belgian eID
# roots (Belgium Root CA4 and CA6, from repository.eidpki.belgium.be / crt.eidpki.belgium.be, installed by
# the operator; see docs/signing.md). Guichet fetches OCSP, CRLs and CA certificates only at these URL prefixes.
# The local test hierarchy (VAR_DIR/signing-test-pki) and its test card are accepted outside production only.
GUICHET_SIGNING_TRUST_ANCHORS = env_list("GUICHET_SIGNING_TRUST_ANCHORS", [])
GUICHET_SIGNING_REVOCATION_URLS = env_list("GUICHET_SIGNING_REVOCATION_URLS", [
    "http://ocsp.eid.belgium.be", "http://ocsp.eidpki.belgium.be", "http://crl.eid.belgium.be",
    "http://crl.eidpki.belgium.be", "http://certs.eid.belgium.be", "http://crt.eidpki.belgium.be"])
GUICHET_SIGNING_ACCEPT_TEST_TOKEN = env_bool("GUICHET_SIGNING_ACCEPT_TEST_TOKEN", not PRODUCTION)
GUICHET_SIGNING_TEST_PKI_DIR = env_str("GUICHET_SIGNING_TEST_PKI_DIR", "")
GUICHET_SIGNING_TEST_OCSP_URL = env_str("GUICHET_SIGNING_TEST_OCSP_URL", "http://127.0.0.1:8089/ocsp")

# --- Rights of the person (issue 8: DSR-1..16) ---
GUICHET_RIGHTS_REMINDER_DAYS = env_int("GUICHET_RIGHTS_REMINDER_DAYS", 7)  # DSR-15: remind staff before the due date
CELERY_BEAT_SCHEDULE["rights-remind-due"] = {"task": "guichet.rights.tasks.remind_due_requests", "schedule": 6 * 3600}

# --- Retention (issue 8: RET-1..9) ---
# RET-9: rows per transaction of a run. 50,000 rather than 10,000: each batch costs a boundary query and a
# commit besides its DELETE, and at 10,000 that overhead made the run 2.2 times as slow as one raw DELETE
# (BENCH retention, 2,000,000 rows: 2.0 s -> 1.6 s); a batch still holds its locks for tens of milliseconds.
RETENTION_BATCH_SIZE = env_int("GUICHET_RETENTION_BATCH_SIZE", 50000)
CELERY_BEAT_SCHEDULE["retention-run"] = {"task": "guichet.retention.tasks.run_retention", "schedule": 24 * 3600}

# --- Automated decisions (issue 9: AUTO-1..10) ---
# The MAF batch (AUTO-5) every night: the running counter pays as care lines arrive; the batch catches up
# (incomes received later) and closes the year in January. Rule sets are data: guichet/decisions/rulesets/.
CELERY_BEAT_SCHEDULE["decisions-maf-batch"] = {"task": "guichet.decisions.tasks.maf_batch", "schedule": 86400}
MAF_WORK_MEM = env_str("GUICHET_MAF_WORK_MEM", "256MB")  # PostgreSQL work_mem of the MAF batch's transaction

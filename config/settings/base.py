"""Settings shared by every environment.

All state lives under ZHIFA_DATA_DIR (default: var/ in the working directory): the SQLite
database, the evidence store, the signing key and the secret key. DATABASE_URL switches to
PostgreSQL; ZHIFA_READ_REPLICA_URL adds a read replica for the public portal (docs/deploy.md).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("ZHIFA_DATA_DIR", "var")).resolve()
EVIDENCE_DIR = DATA_DIR / "evidence"
SIGNING_KEY_PATH = DATA_DIR / "signing-key.ed25519"
SECRET_KEY_PATH = DATA_DIR / "secret-key"


def data_folder_secret_key(path: Path) -> str:
    """The data folder's own secret key, created on first use, so sessions survive restarts,
    every server process of one data folder shares it, and two data folders never do.

    Before the folder exists (``zhifa migrate`` or ``zhifa restore`` creates it) a throw-away
    key is returned: nothing signed with it outlives the command. Created atomically (written
    aside, then linked into place), so concurrent first starts agree on one key.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    except OSError:
        return secrets.token_urlsafe(50)
    if not path.parent.is_dir():
        return secrets.token_urlsafe(50)
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        aside.write_text(secrets.token_urlsafe(50))
        aside.chmod(0o600)
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process won the race: use its key
        finally:
            aside.unlink()
        return path.read_text().strip()
    except OSError:
        return secrets.token_urlsafe(50)  # a read-only folder: /healthz reports it


SECRET_KEY = os.environ.get("ZHIFA_SECRET_KEY") or data_folder_secret_key(SECRET_KEY_PATH)
DEBUG = False
ALLOWED_HOSTS: list[str] = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves its bundled Swagger UI locally (no CDN)
    "axes",  # login lockout (zhifa.registry.logins)
    "csp",  # the Content-Security-Policy header (django-csp)
    "zhifa.core",
    "zhifa.registry",
    "zhifa.record",
    "zhifa.notifications",
    "zhifa.todos",
    "zhifa.cases",
    "zhifa.licensing",
    "zhifa.inspections",  # 涉企行政检查 (issue 14)
    "zhifa.evaluation",  # 案卷评查 and 效能评价 (issue 15)
    "zhifa.statistics",  # 行政执法统计 (issue 16)
    "zhifa.review",
    "zhifa.approvals",
    "zhifa.filings",
    "zhifa.discretion",  # the 裁量基准 applied in penalty decisions (issue 13)
    "zhifa.publicity",
    "zhifa.publicity.search",
    "zhifa.supervision",
    "zhifa.complaints",
    "zhifa.alerts",
    "zhifa.demo",  # `zhifa demo`: loads every app's demo in order
]

MIDDLEWARE = [
    # First: every log line of the request, the 500 traceback included, carries its id.
    "zhifa.core.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.api.ApiJsonErrorsMiddleware",  # JSON clients get JSON errors under /api/
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhifa.core.replica.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a refused login into the login page naming the lockout rule.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhifa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.notifications.context.unread_notifications",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "zhifa.sqlite3",
        # WAL lets readers go on while one writer commits; IMMEDIATE avoids
        # "database is locked" upgrades in the middle of a write transaction.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}

# A streaming replica of the PostgreSQL primary: the public portal, search, feeds and
# statistics read from it (zhifa.core.replica); every write, every read inside a write
# transaction and the record log's lock stay on the primary.
READ_REPLICA_URL = os.environ.get("ZHIFA_READ_REPLICA_URL", "")
ZHIFA_READ_REPLICA_ALIAS = "replica" if READ_REPLICA_URL else ""
if READ_REPLICA_URL:
    DATABASES["replica"] = dict(dj_database_url.parse(READ_REPLICA_URL, conn_max_age=60))
DATABASE_ROUTERS = ["zhifa.core.replica.ReplicaRouter"]
# Requests (GET and HEAD) under these paths read from the replica when there is one.
ZHIFA_REPLICA_PATHS = ["/public/", "/api/v1/public/", "/check/"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "registry.Account"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "home"

# Django's four validators (length, common passwords, similarity to the username or name, all
# digits), worded in Chinese naming the rule (zhifa.registry.passwords). They run wherever a
# person chooses a password: services.account_create (except the demo's bootstrap accounts,
# whose passwords are published), createsuperuser, changepassword, the admin's password forms.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "zhifa.registry.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "zhifa.registry.passwords.CommonPasswordValidator"},
    {
        "NAME": "zhifa.registry.passwords.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "email")},
    },
    {"NAME": "zhifa.registry.passwords.NumericPasswordValidator"},
]

# -- logins and guessing (docs/decisions.md) ------------------------------------------------------
# django-axes counts failed logins in the database (every worker and server sees them): an
# account is locked after ZHIFA_LOGIN_FAILURES_PER_ACCOUNT failures, a network address after
# ZHIFA_LOGIN_FAILURES_PER_ADDRESS (higher: one office's officers share one address), each
# failure counting for ZHIFA_LOGIN_LOCKOUT_MINUTES; then logins are refused until that long after
# the last failure, or until the system administrator unlocks (zhifa logins unlock, or the
# page /registry/logins/). Lockouts and unlocks are entries of the record log.
ZHIFA_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("ZHIFA_LOGIN_FAILURES_PER_ACCOUNT", "5"))
ZHIFA_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("ZHIFA_LOGIN_FAILURES_PER_ADDRESS", "20"))
ZHIFA_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("ZHIFA_LOGIN_LOCKOUT_MINUTES", "15"))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked account or address first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "zhifa.registry.logins.LoginAttemptsHandler"
AXES_FAILURE_LIMIT = ZHIFA_LOGIN_FAILURES_PER_ACCOUNT
# Each on its own limit; LoginAttemptsHandler expects exactly these two, in this order.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=ZHIFA_LOGIN_LOCKOUT_MINUTES)
# The lock ends at a fixed time the page can name: attempts while locked do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login does not clear failures: clearing them by address would let an insider
# reset the count against a colleague's account by logging into his own between guesses.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "zhifa.registry.logins.login_address"
AXES_LOCKOUT_CALLABLE = "zhifa.registry.logins.lockout_response"
AXES_ENABLE_ADMIN = False  # deleting attempts in the admin would unlock without a record
AXES_HTTP_RESPONSE_CODE = 429
# Successful logins (axes' access log: account, address, browser, login and logout time) are
# kept this many days (网络安全法第二十一条: network logs at least six months), then pruned.
ZHIFA_LOGIN_LOG_DAYS = 180

# Proxies whose X-Forwarded-For is believed (as gunicorn trusts them): the client's address for
# lockouts and throttling is the one the outermost trusted proxy saw (zhifa.core.throttling).
ZHIFA_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("ZHIFA_FORWARDED_ALLOW_IPS", "127.0.0.1").split(",")
]
# Per network address, at most "limit" in any "minutes" (a sliding window), in the database so
# every worker counts alike: anonymous 纠错 reports, and failed API tokens (past the limit every
# bearer token from that address is answered 429 until the window has slid on).
ZHIFA_THROTTLES: dict[str, dict[str, float]] = {
    "publicity.report": {"limit": 5, "minutes": 10},
    "api.token_failure": {"limit": 20, "minutes": 10},
    "complaints.submit": {"limit": 5, "minutes": 60},
    "complaints.status": {"limit": 10, "minutes": 10},
    "inspections.code": {"limit": 20, "minutes": 10},  # unknown inspection codes looked up
    "inspections.rate": {"limit": 5, "minutes": 60},  # enterprises' ratings of inspections
    "evaluation.survey": {"limit": 10, "minutes": 60},  # satisfaction survey answers and codes
}
# API tokens expire this many days after issue (zhifa apitoken issue --days may give fewer).
ZHIFA_API_TOKEN_DAYS = int(os.environ.get("ZHIFA_API_TOKEN_DAYS", "365"))

# -- response headers (production adds HSTS and the HTTPS redirect: config/settings/prod.py) -----
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Every environment enforces the same policy, the tests' browser included: scripts and styles
# only from zhifa's own static files under zhifa/static/ (no inline <script>, no on…= handler,
# no style="", no <style>), the Django admin and the bundled Swagger UI included. A page that
# breaks it fails its browser test (zhifa/conftest.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# -- logs: one line per event on standard output, each with its request's id -----------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "zhifa.core.request_ids.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        # Django's own handlers (console only with DEBUG, mail to ADMINS) are replaced: an
        # unexpected error is logged with its traceback by django.request, here.
        "django": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        "zhifa": {"level": "INFO"},
    },
}

# Users see Simplified Chinese. Message ids are the Chinese texts themselves (see
# docs/decisions.md); the i18n machinery stays in place for other locales.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "zhifa" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "zhifa" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Pagination of registry lists.
PAGE_SIZE = 50

# The record log: the origin line of its signed checkpoints (and its signing key's name), and
# the hours within which audio/video must be uploaded after recording ends before it is flagged.
ZHIFA_LOG_ORIGIN = os.environ.get("ZHIFA_LOG_ORIGIN", "zhifa.local/record")
ZHIFA_AV_UPLOAD_HOURS = 24

# When a case step may be dated (zhifa/cases/legal_dates.py). A step entered more than
# ZHIFA_LATE_ENTRY_DAYS calendar days after its date (补录 of a paper record) needs a written
# reason, kept in its record entry and shown on the timeline. 3 by default: a record made in the
# field on a Friday is entered on Monday without explanation; 国办发〔2018〕118号 wants the record
# kept as enforcement happens, and several provinces want audio/video uploaded within 24 hours
# (ZHIFA_AV_UPLOAD_HOURS). None: no window. No step is dated before ZHIFA_EARLIEST_LEGAL_DATE,
# cited as ZHIFA_EARLIEST_LEGAL_DATE_SOURCE (default: the day the revised 《行政处罚法》 came
# into force, 第八十六条 — the procedure zhifa implements is that text's); set both when a
# deployment starts later or takes in older files; nor before the day an agency's qualification
# as an enforcement body was announced (Agency.qualification_announced_on, 第十七条).
ZHIFA_LATE_ENTRY_DAYS: int | None = 3
ZHIFA_EARLIEST_LEGAL_DATE = "2021-07-15"
ZHIFA_EARLIEST_LEGAL_DATE_SOURCE = "《行政处罚法》第八十六条（2021年修订，自2021年7月15日起施行）"

# Case files (案卷) retention in years after archiving, per case kind (None: permanent). These are
# defaults, not law: set them to the agency's own 档案保管期限表; a RetentionPolicy row overrides.
# 不予行政处罚决定 are published as the deployment decides. Default on: 国办发〔2018〕118号 asks for
# the 行政处罚 results to be published, and the decision not to penalise is one of the decisions
# 《行政处罚法》第五十七条 lists; several provinces publish them with the penalties. Set False
# where the deployment's rules publish only penalties. Published through the same redaction
# review as every decision (publicity.services.publication_draft).
ZHIFA_PUBLISH_NOT_PENALISED = os.environ.get("ZHIFA_PUBLISH_NOT_PENALISED", "1") != "0"
# The look-back of a party's history (zhifa.law.history): {"first_violation": {"years": 2,
# "source": "…"}, "repeat": {"years": 1, "source": "…"}}; empty: the defaults with their sources
# (SAMR's 首违 definition; 国市监法规〔2022〕2号第十六条).
ZHIFA_HISTORY_LOOKBACK: dict[str, dict[str, object]] = {}
# When True, a penalty on a power item that has a published 裁量基准 is refused until a 基准 is
# applied to the case (国办发〔2022〕27号（十二）); off, so cases opened before the 基准 keep going.
ZHIFA_DISCRETION_REQUIRED = False
# 不予行政许可 decisions are published only where the deployment's rules say so (118号 names the
# 许可 decisions granted); 准予 decisions are always published in full.
ZHIFA_LICENSING_PUBLISH_REFUSALS = False
# 双随机 draws (zhifa.inspections.draw): the seed head must cover this many entries beyond the
# freeze entry (N = log size after the freeze + margin), and the risk-class ratio bands — empty:
# the shipped bands (A ≤ 5 %, B 5–20 %, C 21–60 %, D 61–100 %) with their source; a table of
# one's own is {"A": {"low": "0", "high": "0.05", "default": "0.05"}, …, "source": "…"}.
ZHIFA_DRAW_SEED_MARGIN = 20
ZHIFA_DRAW_RISK_RATIOS: dict[str, object] = {}
ZHIFA_RETENTION_YEARS = {
    "penalty_general": 30,
    "penalty_simple": 10,
    "inspection": 10,
    "seizure": 30,
}

# Evidence store: "local" (EVIDENCE_DIR) or "s3" (a bucket of any S3-compatible service). The S3
# credentials are boto3's own chain — AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE,
# instance roles —, never a Django setting. Uploads are spooled in EVIDENCE_DIR/tmp either way.
ZHIFA_EVIDENCE_BACKEND = os.environ.get("ZHIFA_EVIDENCE_BACKEND", "local")
ZHIFA_S3_ENDPOINT_URL = os.environ.get("ZHIFA_S3_ENDPOINT_URL", "")  # empty: AWS itself
ZHIFA_S3_BUCKET = os.environ.get("ZHIFA_S3_BUCKET", "")
ZHIFA_S3_REGION = os.environ.get("ZHIFA_S3_REGION", "")  # empty: boto3's (AWS_DEFAULT_REGION)
ZHIFA_S3_PREFIX = os.environ.get("ZHIFA_S3_PREFIX", "")  # e.g. "zhifa/evidence"
ZHIFA_S3_ADDRESSING_STYLE = os.environ.get("ZHIFA_S3_ADDRESSING_STYLE", "auto")  # path|virtual

# Evidence uploads (docs/evidence.md: each value's meaning and where it comes from). Bytes per
# file by media kind; bytes of uploads per agency (0: no quota); calendar days an upload never
# attached to a step is kept before the daily job removes it (record.expire-uploads).
ZHIFA_UPLOAD_LIMITS = {
    "image": 30 * 1024**2,  # photos: a phone's or camera's JPEG/HEIC is 3–15 MB
    "audio_video": 4 * 1024**3,  # 执法记录仪 segments stay under FAT32's 4 GB file limit
    "document": 100 * 1024**2,  # PDF/OFD scans of 笔录 and 书证, office files
    "other": 20 * 1024**2,
}
ZHIFA_EVIDENCE_QUOTA = 500 * 1024**3
ZHIFA_UPLOAD_UNATTACHED_DAYS = 7
# Every multipart request is parsed whole and refused when it did not arrive whole, or when a
# file passes its kind's limit (zhifa.record.upload_handler); then Django's own handlers.
FILE_UPLOAD_HANDLERS = [
    "zhifa.record.upload_handler.CompleteUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Legal review (法制审核), per sector (the case's domain code; "default" for the national rule).
# Time limit in working days and the one extension (国办发〔2018〕118号 leaves both to the
# provinces; market regulation reviews within 10 working days and may extend with approval).
ZHIFA_REVIEW_TIME_LIMITS = {
    "default": {"workdays": 5, "extension": 5},
    "market": {"workdays": 10, "extension": 5},
}
# The outcomes a reviewer may give: the national 同意 / 存在问题, refined by sector. "agree" is
# the agreeing outcome of every vocabulary; every other outcome lists what must change.
ZHIFA_REVIEW_OUTCOMES = {
    "default": [("agree", "同意"), ("problem", "存在问题")],
    "market": [
        ("agree", "同意"),
        ("correct", "建议纠正"),
        ("supplement", "建议补充调查"),
        ("other", "其他意见"),
    ],
}
# 集体讨论: the share of the agency's heads that must be present (a local rule; "2/3" = at
# least two thirds).
ZHIFA_COLLECTIVE_QUORUM = "2/3"

# -- publicity (行政执法公示) ----------------------------------------------------------------------
# Redaction of published decisions (国办发〔2018〕118号), per jurisdiction: "default" first, then
# every division code containing the case's, wider before narrower. Each entry overrides fields
# of zhifa.publicity.redaction.Rules ("name_contexts": [...] replaces, "name_contexts_add": [...]
# appends).
ZHIFA_REDACTION_RULES: dict[str, dict[str, object]] = {"default": {}}
# Working days to publish a decision after it is made, per decision kind (国办发〔2018〕118号:
# 7 for 许可 and 处罚, 20 for the others), and per-sector overrides: market regulation publishes
# penalties within 20 working days and keeps 通报批评 and small fines online for 3 months
# ("small_fine" — the province's 较低数额 — is a local figure; 3,000 元 is a placeholder).
ZHIFA_PUBLICITY_WORKDAYS = {"penalty": 7, "licensing": 7, "*": 20}
ZHIFA_PUBLICITY_SECTORS = {
    "market": {
        "workdays": {"penalty": 20},
        "short_online_months": 3,
        "short_kinds": ["circulated_criticism", "fine"],
        "small_fine": "3000",
    }
}
# Years a decision stays online where no sector says otherwise.
ZHIFA_PUBLICITY_ONLINE_YEARS = 3
# How the penalised natural person is named: "surname" (张某, the default), "full" or "hidden";
# or a dict from division-code prefix to one of those.
ZHIFA_PUBLICITY_PERSON_NAME = "surname"

# -- registry imports (导入) -----------------------------------------------------------------
# How much of an uploaded table an import reads (zhifa.registry.tabular.ReadLimits): the file
# (the upload page refuses a larger request from its Content-Length, before reading the body),
# its data rows after the header, its columns, and the bytes an .xlsx may inflate to (a deflate
# bomb stops there). A file beyond one of them is refused, naming the limit and the row.
ZHIFA_IMPORT_MAX_BYTES = 50 * 2**20
ZHIFA_IMPORT_MAX_ROWS = 100_000
ZHIFA_IMPORT_MAX_COLUMNS = 50
ZHIFA_IMPORT_MAX_INFLATED_BYTES = 256 * 2**20
# Django's own bounds on a request body, at their defaults, said here on purpose: form fields
# (not files) at most 2.5 MB in memory; an uploaded file over 2.5 MB is spooled to a temporary
# file rather than held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# -- notifications by e-mail (zhifa.notifications) --
# E-mail goes out only where an SMTP server is configured (ZHIFA_SMTP_HOST); each account turns
# its channels on or off on its 通知设置 page. ZHIFA_SITE_URL makes the links in e-mails absolute.
EMAIL_HOST = os.environ.get("ZHIFA_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("ZHIFA_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ZHIFA_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ZHIFA_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ZHIFA_SMTP_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("ZHIFA_EMAIL_FROM", "zhifa@localhost")
ZHIFA_EMAIL_NOTIFICATIONS = bool(EMAIL_HOST)
ZHIFA_SITE_URL = os.environ.get("ZHIFA_SITE_URL", "")

# Time limits that differ by place (zhifa.core.time_limits): key → the fields a deployment
# changes, a changed number always with its source, e.g.
# {"complaints.accept": {"count": 7, "source": "《某省行政执法监督办法》第十二条"}}.
ZHIFA_TIME_LIMITS: dict[str, dict[str, object]] = {}

# -- inspections: directory, plans, joint inspections (issue 14) --
# Annual inspection plans (年度检查计划) are published on the portal by this day of the plan's
# year ("MM-DD"); a head's to-do reminds until then and the supervisor sees who was late.
ZHIFA_INSPECTION_PLAN_PUBLISH_BY = "03-31"
ZHIFA_INSPECTION_PLAN_PUBLISH_BY_SOURCE = (
    "《北京市优化营商环境条例》第六十七条；《上海市优化营商环境条例》第六十二条"
)
# Who approves a 专项检查 plan: the government level the deployment sets (国办发〔2024〕54号（六）:
# 县级以上人民政府, or the upper organ of a vertically managed body).
ZHIFA_INSPECTION_SPECIAL_PLAN_APPROVER = "县级以上人民政府（垂直管理部门为上一级机关）"
ZHIFA_INSPECTION_SPECIAL_PLAN_APPROVER_SOURCE = (
    "国办发〔2024〕54号《关于严格规范涉企行政检查的意见》（六）；重庆市人民政府令第375号第二十七条"
)
# 综合查一次: planned inspections of one entity by several agencies within this many calendar
# days of each other are proposed for merging into one joint inspection.
ZHIFA_INSPECTION_JOINT_WINDOW_DAYS = 30
ZHIFA_INSPECTION_JOINT_WINDOW_DAYS_SOURCE = (
    "《北京市优化营商环境条例》第七十条；《浙江省综合行政执法条例》第十三条"
)

# -- evaluation, outcomes part (issue 15) --
# An agency or officer with at least this many failed files (不合格案卷) in a year is listed for
# 通报 and for the accountability register (广东: "不合格案卷较多的", a number the deployment sets).
ZHIFA_EVALUATION_REPEATED_FAILURES = 2
ZHIFA_EVALUATION_REPEATED_FAILURES_SOURCE = "《广东省行政执法案卷评查办法》第二十五条"

"""Production, and what `make run` and the `zhifa` command use: DEBUG off, static files
collected into the data folder under hashed, compressed names and served by WhiteNoise, the
secret key from ZHIFA_SECRET_KEY or the data folder's own (config.settings.base).

Behind a TLS-terminating proxy set ZHIFA_HTTPS=1 (secure cookies, the proxy's
X-Forwarded-Proto trusted) and ZHIFA_ALLOWED_HOSTS to the site's host names (docs/deploy.md).
"""

import os

from .base import *  # noqa: F403

_hosts = os.environ.get("ZHIFA_ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or ["127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("ZHIFA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached for a year by browsers and proxies) and gzip/brotli copies.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
if os.environ.get("ZHIFA_HTTPS", "") in ("1", "true", "yes"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"zhifa": {"level": "INFO"}},
}

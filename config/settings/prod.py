"""Production, and what `make run` and the `zhifa` command use: DEBUG off, static files
collected into the data folder under hashed, compressed names and served by WhiteNoise, the
secret key from ZHIFA_SECRET_KEY or the data folder's own (config.settings.base).

Behind a TLS-terminating proxy set ZHIFA_HTTPS=1 (secure cookies, the proxy's
X-Forwarded-Proto trusted, HTTP redirected to HTTPS, HSTS) and ZHIFA_ALLOWED_HOSTS to the site's
host names (docs/deploy.md); then `zhifa check --deploy` has nothing to warn about. The
Content-Security-Policy, X-Frame-Options, Referrer-Policy and the logging are shared by every
environment (config.settings.base).
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

if os.environ.get("ZHIFA_HTTPS", "") in ("1", "true", "yes"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # nginx terminates TLS and says so; a plain-HTTP request is redirected to HTTPS, except the
    # load balancer's health probe, which may come in plain HTTP.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Browsers remember for a year to come only over HTTPS (subdomains too). "preload" only
    # consents to the browsers' preload list: nothing is listed unless the registrable domain's
    # owner submits it (docs/deploy.md). ZHIFA_HSTS_SECONDS=0 switches HSTS off.
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHIFA_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

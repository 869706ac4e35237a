"""Production: PostgreSQL via DATABASE_URL, secrets from the environment."""

import os

from .base import *  # noqa: F403
from .base import SECRET_KEY

if not SECRET_KEY:
    raise RuntimeError("ZHIFA_SECRET_KEY must be set in production")
ALLOWED_HOSTS = os.environ.get("ZHIFA_ALLOWED_HOSTS", "").split(",")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True

"""The test suite: fast hashing, a throw-away data folder."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

DATA_DIR = Path(os.environ.get("ZHIFA_DATA_DIR") or tempfile.mkdtemp(prefix="zhifa-test-"))
EVIDENCE_DIR = DATA_DIR / "evidence"
SIGNING_KEY_PATH = DATA_DIR / "signing-key.ed25519"
STATIC_ROOT = DATA_DIR / "static"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = DATA_DIR / "zhifa.sqlite3"
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it
# The registry's demo tests load only the city; the cases' demo test loads its own sample.
ZHIFA_DEMO_CASES = "none"

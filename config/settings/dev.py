"""Local development: `make run`."""

from .base import *  # noqa: F403
from .base import DATA_DIR, SECRET_KEY, STATIC_ROOT

DEBUG = True
if not SECRET_KEY:
    # A per-data-folder key, created on first start, so sessions survive restarts
    # and two data folders never share one.
    _key_file = DATA_DIR / "secret-key"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it

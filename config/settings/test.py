"""The test suite: fast hashing, a throw-away data folder."""

import os
import tempfile

# The data folder is chosen before the shared settings derive every path (and the data folder's
# secret key) from it.
if not os.environ.get("ZHIFA_DATA_DIR"):
    os.environ["ZHIFA_DATA_DIR"] = tempfile.mkdtemp(prefix="zhifa-test-")

from .base import *  # noqa: F403
from .base import DATABASES, STATIC_ROOT

SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it
# No 补录 window (ZHIFA_LATE_ENTRY_DAYS): the suite walks cases through days long past in one
# go; the tests of the window (cases/tests/test_legal_dates.py …) set it.
ZHIFA_LATE_ENTRY_DAYS = None
# The registry's demo tests load only the city; the cases' demo test loads its own sample.
ZHIFA_DEMO_CASES = "none"
# A second alias for the read replica, mirroring the test database: the router's tests turn
# the replica on and see which alias each request reads from (zhifa/core/tests/test_replica.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# Notifications by e-mail are on; Django's test runner swaps in the locmem backend.
ZHIFA_EMAIL_NOTIFICATIONS = True

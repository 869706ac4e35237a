"""Local development: `make dev` (Django's development server, DEBUG on, static files straight
from the source folders)."""

from .base import *  # noqa: F403
from .base import STATIC_ROOT

DEBUG = True
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it

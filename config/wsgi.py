"""The WSGI application, for a server other than `zhifa serve` (which sets the same umask in
the `zhifa` command)."""

import os

from django.core.wsgi import get_wsgi_application

from zhifa.cli import PRIVATE_UMASK

os.umask(PRIVATE_UMASK)  # files in the data folder: 0600, folders 0700
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()

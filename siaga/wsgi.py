"""WSGI entry point for production servers: Django, with the lean path for election-day status reports in front
(siaga.api.fastpath)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
django_application = get_wsgi_application()

from siaga.api.fastpath import StatusFastPath  # noqa: E402 - needs the settings above

application = StatusFastPath(django_application)

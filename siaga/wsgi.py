"""WSGI entry point for production servers: Django, with the lean path for election-day status reports in front
(siaga.api.fastpath). With SIAGA_WARMUP=1 (siaga serve and the benchmarks set it) each server process parses the
current plans in a thread as it starts, before the first field report needs them."""

import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

from siaga import conf

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
django_application = get_wsgi_application()

from siaga.api.fastpath import StatusFastPath  # noqa: E402 - needs the settings above

application = StatusFastPath(django_application)


def _warm() -> None:
    from django.db import connection

    from siaga.operations.context import plans_warm

    try:
        versions = plans_warm()
        logging.getLogger("siaga").info("plans parsed at start: versions %s", versions)
    except Exception:  # a database still starting must not stop the server; requests parse on demand
        logging.getLogger("siaga").warning("could not parse plans at start", exc_info=True)
    finally:
        connection.close()


if conf.env("SIAGA_WARMUP") == "1":
    threading.Thread(target=_warm, name="siaga-warmup", daemon=True).start()

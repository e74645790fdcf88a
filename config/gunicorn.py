"""gunicorn's settings for every way this project serves (deploy/serve, the benchmarks):
`gunicorn -c python:config.gunicorn config.wsgi ...`; the command line still sets the rest.

Each worker, once it has loaded the application, imports every view (Django otherwise does that
on the first request, which then waits) and moves everything loaded so far out of the garbage
collector's reach (`gc.freeze()`). Without that, the collector's first full passes walk every
object of Django and the libraries, and each worker stalls for tens of milliseconds a few
seconds into its life, which is what the slowest requests of bench/record_api.py were."""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every URLconf and view module
    gc.collect()
    gc.freeze()

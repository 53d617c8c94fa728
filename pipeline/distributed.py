"""Distributed runs on Dask: workers parse and extract, this process alone writes the store.

``govtrace ingest PATH --executor dask`` starts a LocalCluster with ``--jobs``
worker processes; ``--scheduler tcp://HOST:PORT`` uses a running cluster
instead (every worker needs govtrace and the spaCy model package installed
and must see the files at the same paths).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from .config import Settings
from .errors import GovtraceError
from .records import Failure

log = logging.getLogger(__name__)
T = TypeVar("T")


def run_on_dask(paths: list[Path], settings: Settings, task: Callable[[Path, Settings], T]
                ) -> Iterator[tuple[Path, T | Failure]]:
    """Run ``task(path, settings)`` for every path on Dask workers, results in completion order.

    At most four tasks per worker are in flight, so memory stays bounded on large folders.

    Raises:
        GovtraceError: The scheduler cannot be reached.
    """
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if settings.scheduler:
            client = Client(settings.scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=max(settings.jobs, 1), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise GovtraceError(f"cannot reach the Dask scheduler {settings.scheduler} ({exc}); "
                            "check the address or run without --scheduler") from exc
    try:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        queue = iter(paths)
        pending = {}
        for path in queue:
            pending[client.submit(task, path, settings, pure=False)] = path
            if len(pending) >= workers * 4:
                break
        completed = as_completed(list(pending))
        for future in completed:
            path = pending.pop(future)
            try:
                yield path, future.result()
            except Exception as exc:  # a worker died; the file is recorded, the run goes on
                yield path, Failure(str(path), type(exc).__name__,
                                    f"{path}: the Dask worker failed ({exc}). Run again, or with --executor "
                                    "local.")
            following = next(queue, None)
            if following is not None:
                new = client.submit(task, following, settings, pure=False)
                pending[new] = following
                completed.add(new)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

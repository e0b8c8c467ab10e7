"""Scale-out on Dask: the same shards of work, run in this process or on a Dask cluster.

A job splits its work into shards that do not depend on each other (:data:`SHARD_RUNS` model
runs each for the uncertainty bands and the optimizer's plans x futures; one least-squares start
or one chunk of bootstrap refits for the calibration) and hands them to a :class:`Pool`:

- ``Pool()`` (no ``--workers``, no ``--scheduler``) runs them one after the other in this
  process, today's path;
- ``--workers N`` starts a local cluster of ``N`` worker processes on 127.0.0.1 for the run
  (each worker's numba kernels share the machine's cores between them);
- ``--scheduler ADDRESS`` joins a running cluster (``dask scheduler`` and ``dask worker``).

What every shard needs (the batch simulator, the futures' inputs, the objective) is sent to each
worker once (:meth:`Pool.share`, Dask's ``scatter`` with ``broadcast=True``); a worker rebuilds
the batch simulator from its spec (:class:`sdmodel.engine.batch.BatchModel` pickles as plain
data). Results come back in shard order. Every random number is drawn in the calling process,
before the work is split, and no shard's result depends on another's, so the results are the
same bytes with and without Dask, whatever the number of workers.

Dask is an optional extra: ``pip install -e '.[dask]'``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sdmodel.errors import AsielketenError

SHARD_RUNS = 10_000
"""Model runs per shard of the uncertainty bands and the optimizer."""
DASK_MISSING = ("--workers and --scheduler need Dask; install it with "
                "pip install -e '.[dask]' (or run without them)")

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")


def dask_available() -> bool:
    """Whether ``dask.distributed`` can be imported."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Shared:
    """Something every shard reads: the object itself in process, a Dask future on a cluster."""

    handle: Any


class Pool:
    """Where shards run: in this process (``client=None``) or on a Dask cluster.

    Build one with :func:`open_pool`; in-process, ``Pool()``.
    """

    def __init__(self, client: Any = None) -> None:
        self.client = client

    @property
    def distributed(self) -> bool:
        """True on a Dask cluster."""
        return self.client is not None

    @property
    def workers(self) -> int:
        """Workers the shards are spread over (1 in process)."""
        if self.client is None:
            return 1
        return max(len(self.client.scheduler_info()["workers"]), 1)

    def share(self, value: T) -> Shared:
        """Send ``value`` to every worker once; the handle stands for it in :meth:`map`."""
        if self.client is None:
            return Shared(value)
        return Shared(self.client.scatter(value, broadcast=True, hash=False))

    def map(self, func: Callable[[T, S], R], shared: Shared, shards: Sequence[S]) -> list[R]:
        """``[func(value, shard) for shard in shards]``, on the cluster when there is one.

        ``func`` must be a module-level function (Dask pickles it by name).
        """
        if self.client is None:
            return [func(shared.handle, shard) for shard in shards]
        futures = [self.client.submit(func, shared.handle, shard, pure=False)
                   for shard in shards]
        return self.client.gather(futures)


def shards(total: int, size: int) -> list[tuple[int, int]]:
    """``(lo, hi)`` bounds that cut ``range(total)`` into pieces of ``size`` (the last shorter)."""
    size = max(int(size), 1)
    return [(lo, min(lo + size, total)) for lo in range(0, int(total), size)]


@contextmanager
def open_pool(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Pool]:
    """The pool of a command's ``--workers`` / ``--scheduler`` options, closed on exit.

    Parameters
    ----------
    workers
        Start a local cluster of this many worker processes on 127.0.0.1.
    scheduler
        Join the Dask scheduler at this address (``tcp://host:8786``).

    Raises
    ------
    AsielketenError
        For both options at once, fewer than one worker, Dask not installed, or a scheduler
        that cannot be reached.
    """
    if workers is None and scheduler is None:
        yield Pool()
        return
    if workers is not None and scheduler is not None:
        raise AsielketenError("give --workers N (a local cluster) or --scheduler ADDRESS (an "
                              "existing one), not both")
    if workers is not None and workers < 1:
        raise AsielketenError(f"--workers {workers}: give at least 1 worker")
    if not dask_available():
        raise AsielketenError(DASK_MISSING)
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise AsielketenError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there "
                                  f"({err}); start one with 'dask scheduler' or check the "
                                  "address") from err
        try:
            yield Pool(client)
        finally:
            client.close()
        return
    threads = max((os.cpu_count() or 1) // int(workers), 1)
    cluster = LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None,
                           env={"NUMBA_NUM_THREADS": str(threads)})
    client = Client(cluster)
    try:
        yield Pool(client)
    finally:
        client.close()
        cluster.close()

"""Progress bars for long work: a bar with an ETA on a terminal, nothing when stderr is piped.

:func:`terminal_bar` returns a tqdm bar on stderr only when stderr is a terminal (``None``
otherwise, so a log file or a pipe gets no bar). :class:`ProgressPool` wraps a
:class:`sdmodel.scaleout.Pool` so that the shards any job sends through ``map`` advance one bar:
the caller (the command line) adds the bar without the job knowing about it.
:func:`writing_bar` does the same for the writers of an output folder.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sdmodel.outputs.writers import Writer
from sdmodel.scaleout import Pool, Shared

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")


def on_terminal() -> bool:
    """Whether stderr is a terminal (bars are shown there only)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def terminal_bar(total: int, label: str, *, unit: str = "step", force: bool = False) -> Any:
    """A tqdm bar on stderr when it is a terminal (or ``force``), else ``None``."""
    if not (force or on_terminal()):
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit=unit, leave=False, file=sys.stderr,
                dynamic_ncols=True)


class ProgressPool(Pool):
    """A :class:`~sdmodel.scaleout.Pool` whose ``map`` advances a bar as shards finish.

    Parameters
    ----------
    pool
        The pool that runs the shards (in process or on Dask).
    label
        Text of the bar.
    force
        Show the bar even when stderr is not a terminal (tests).
    """

    def __init__(self, pool: Pool, label: str, *, force: bool = False) -> None:
        super().__init__(pool.client)
        self.label = label
        self.force = force
        self.bars = 0

    def map(self, func: Callable[[T, S], R], shared: Shared, shards: Sequence[S]) -> list[R]:
        bar = terminal_bar(len(shards), self.label, unit="shard", force=self.force)
        if bar is None:
            return super().map(func, shared, shards)
        self.bars += 1
        try:
            if self.client is None:
                results = []
                for shard in shards:
                    results.append(func(shared.handle, shard))
                    bar.update(1)
                return results
            from distributed import as_completed

            futures = [self.client.submit(func, shared.handle, shard, pure=False)
                       for shard in shards]
            for _ in as_completed(futures):
                bar.update(1)
            return self.client.gather(futures)
        finally:
            bar.close()


@contextmanager
def writing_bar(files: Mapping[str, Writer], label: str = "write", *, force: bool = False
                ) -> Iterator[dict[str, Writer]]:
    """Yield ``files`` with each writer advancing one bar (on a terminal) when it is done."""
    bar = terminal_bar(len(files), label, unit="file", force=force)
    if bar is None:
        yield dict(files)
        return

    def ticking(write: Writer) -> Writer:
        def run(path: Path) -> None:
            write(path)
            bar.update(1)

        return run

    try:
        yield {name: ticking(write) for name, write in files.items()}
    finally:
        bar.close()

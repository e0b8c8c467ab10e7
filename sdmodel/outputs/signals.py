"""SIGTERM and SIGHUP end a command as Ctrl-C (SIGINT) does: cleanly, with exit code 130.

:func:`interrupt_on_termination` makes both signals raise :class:`KeyboardInterrupt` in the main
thread, so the same clean-up runs whichever of the three stops a job: the temporary output folder
is removed (:func:`sdmodel.outputs.folder.write_outputs`), worker pools are closed, and the command
line reports the interruption and exits with :data:`INTERRUPTED_EXIT_CODE`.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

INTERRUPTED_EXIT_CODE = 130
"""128 + SIGINT, what shells report for a job stopped by Ctrl-C."""


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def interrupt_on_termination() -> None:
    """Let SIGTERM and SIGHUP raise :class:`KeyboardInterrupt` (main thread only; else no-op)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)

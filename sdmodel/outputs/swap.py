"""The file-system steps of an atomic output folder: temporary siblings, fsync, the swap, cleanup.

A job writes into ``.<name>.tmp-<pid>-<token>`` next to ``--out`` (created with the user's umask,
not ``mkdtemp``'s 0700). :func:`swap_into_place` then puts it at ``--out`` so that at every
instant either the old or the new folder is there: on Linux one ``renameat2(RENAME_EXCHANGE)``
call swaps the two folders, after which the temporary name holds the old folder and is removed;
where that call is missing, the old folder is first renamed to ``.<name>.old-<pid>-<token>`` and
:func:`remove_stale_siblings` (run before every write) puts it back if the process died between
the two renames. Temporary folders of processes that are gone are removed by the next run;
those of running processes are left alone.

``ASIELKETEN_TEST_KILL_AT=<point>`` (with ``ASIELKETEN_TEST_KILL_SIGNAL``, default ``KILL``)
makes the writer send itself that signal at one of :data:`KILL_POINTS`, so the tests can check
every instant of the write phase.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import secrets
import shutil
import signal
from pathlib import Path

KILL_VARIABLE = "ASIELKETEN_TEST_KILL_AT"
KILL_SIGNAL_VARIABLE = "ASIELKETEN_TEST_KILL_SIGNAL"
KILL_POINTS: tuple[str, ...] = ("first-file", "files-written", "before-swap", "after-swap",
                                "after-old-renamed")
"""Where the test hook can kill the writer: after the first file; after all files and the
manifest; just before the swap; just after it (the old folder not yet removed); between the two
renames of the fallback swap."""

_AT_FS_CWD = -100
_RENAME_EXCHANGE = 2


def kill_point(point: str) -> None:
    """Send this process the test signal if ``ASIELKETEN_TEST_KILL_AT`` names ``point``."""
    if os.environ.get(KILL_VARIABLE) == point:
        name = os.environ.get(KILL_SIGNAL_VARIABLE, "KILL").upper().removeprefix("SIG")
        os.kill(os.getpid(), getattr(signal, f"SIG{name}"))


def temp_sibling(out_dir: Path, kind: str) -> Path:
    """Create and return ``.<name>.<kind>-<pid>-<token>`` next to ``out_dir`` (umask applies)."""
    path = out_dir.parent / f".{out_dir.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"
    os.mkdir(path, 0o777)
    return path


def fsync_path(path: Path) -> None:
    """Flush a file or folder to disk (folders: their entries)."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with ``renameat2(RENAME_EXCHANGE)``; False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FS_CWD, os.fsencode(a), _AT_FS_CWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Put the complete folder ``tmp`` at ``out_dir``; an old ``out_dir`` ends up removed.

    At every instant ``out_dir`` holds the old folder or the new one. Interrupted (an exception,
    or a signal turned into one) before the swap, the old folder stays; after it, the new one.
    """
    fsync_path(tmp)
    kill_point("before-swap")
    if not out_dir.exists():
        os.rename(tmp, out_dir)
        fsync_path(out_dir.parent)
        kill_point("after-swap")
        return
    if _exchange(tmp, out_dir):  # tmp now holds the old folder
        fsync_path(out_dir.parent)
        kill_point("after-swap")
        shutil.rmtree(tmp, ignore_errors=True)
        return
    old = temp_sibling(out_dir, "old")
    os.rename(out_dir, old / out_dir.name)
    try:
        kill_point("after-old-renamed")
        os.rename(tmp, out_dir)
    except BaseException:
        os.rename(old / out_dir.name, out_dir)  # put the old folder back
        shutil.rmtree(old, ignore_errors=True)
        raise
    try:
        fsync_path(out_dir.parent)
        kill_point("after-swap")
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_stale_siblings(out_dir: Path) -> list[Path]:
    """Remove the temporary folders of ``out_dir`` left by processes that are gone.

    A ``.old-`` folder of a dead process that still holds the old output while ``out_dir`` is
    missing (a kill between the fallback's two renames) is put back at ``out_dir`` first.
    Folders of running processes (another run writing the same ``--out``) are left alone.

    Returns
    -------
    list of Path
        The folders removed.
    """
    parent = out_dir.parent
    if not parent.is_dir():
        return []
    pattern = re.compile(rf"^\.{re.escape(out_dir.name)}\.(tmp|old)-(\d+)-[0-9a-f]+$")
    removed = []
    for entry in sorted(parent.iterdir()):
        match = pattern.match(entry.name)
        if not match or not entry.is_dir() or _pid_alive(int(match.group(2))):
            continue
        kept = entry / out_dir.name
        if match.group(1) == "old" and kept.is_dir() and not out_dir.exists():
            os.rename(kept, out_dir)
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    if removed:
        fsync_path(parent)
    return removed

"""Output folders that appear complete or not at all, each with a run manifest.

Every command that writes files goes through :func:`write_outputs`: the files are written into a
temporary sibling folder (``.<name>.tmp-<pid>-<token>``), flushed to disk, and swapped into place
only when every writer succeeded (see :mod:`sdmodel.outputs.swap`: the old or the new folder is
at ``--out`` at every instant; temporary folders of killed runs are removed by the next run).
Each folder holds a ``manifest.json`` (see :func:`sdmodel.outputs.manifest.build_manifest`) that
records what produced it and the hash of every file.

An existing folder is replaced only with ``force``, and only when it is empty or is the output of
the same command: its manifest names that command, and it holds nothing but the files the
manifest lists, unchanged. So ``--force`` never deletes a calibration, a file the user added or
edited, or a folder another command wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sdmodel.errors import AsielketenError, OutputExistsError
from sdmodel.outputs.swap import (
    fsync_path,
    kill_point,
    remove_stale_siblings,
    swap_into_place,
    temp_sibling,
)
from sdmodel.outputs.writers import Writer

MANIFEST_NAME = "manifest.json"


def job_of(command: str | None) -> str | None:
    """The job of a manifest's command line: ``"simulate"`` for ``asielketen simulate ...``.

    A command that is not an ``asielketen`` command line counts as its first word.
    """
    try:
        parts = shlex.split(command or "")
    except ValueError:
        parts = (command or "").split()
    if not parts:
        return None
    if Path(parts[0]).name == "asielketen" and len(parts) > 1:
        return parts[1]
    return parts[0]


def check_out_dir(out_dir: Path | str, *, force: bool, job: str | None = None) -> Path:
    """Check, before any work is done, that ``out_dir`` may be written.

    Temporary folders that killed runs left next to ``out_dir`` are removed first (see
    :func:`sdmodel.outputs.swap.remove_stale_siblings`).

    Parameters
    ----------
    out_dir
        The output folder the user asked for.
    force
        Whether an existing folder may be replaced.
    job
        The command that will write it (``"simulate"``, ...); with ``force`` an existing folder
        must have been written by the same command. ``None``: any command (the manifest's
        other checks still apply).

    Returns
    -------
    Path
        ``out_dir`` as a :class:`~pathlib.Path`.

    Raises
    ------
    OutputExistsError
        If ``out_dir`` exists and ``force`` is false; if it exists and is not a folder; or, with
        ``force``, if it is a non-empty folder that is not the output of ``job`` (no readable
        ``manifest.json``, another command's, or holding files the manifest does not list or
        files changed since they were written).
    """
    out_dir = Path(out_dir)
    if out_dir.parent.is_dir():
        remove_stale_siblings(out_dir)  # of killed runs; may put an old output back first
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputExistsError(
            f"{out_dir} exists and is a file, not a folder; choose another --out"
        )
    if out_dir.exists() and not force:
        raise OutputExistsError(
            f"output folder {out_dir} already exists; use --force to replace it"
        )
    if out_dir.exists() and any(out_dir.iterdir()):
        _check_replaceable(out_dir, job)
    return out_dir


def _check_replaceable(out_dir: Path, job: str | None) -> None:
    """Refuse to replace ``out_dir`` unless it is, untouched, an output of ``job``."""
    keep = "; remove it yourself or choose another --out"
    manifest_path = out_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        raise OutputExistsError(
            f"{out_dir} is not an asielketen output folder (it has no {MANIFEST_NAME}), so "
            f"--force will not replace it{keep}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        listed = dict(manifest.get("outputs") or {})
        written_by = job_of(manifest.get("command"))
    except (OSError, ValueError, AttributeError, TypeError):
        raise OutputExistsError(
            f"{manifest_path} is unreadable, so --force will not replace {out_dir}{keep}"
        ) from None
    if job is not None and written_by != job:
        raise OutputExistsError(
            f"{out_dir} was written by 'asielketen {written_by or '?'}', not by "
            f"'asielketen {job}', so --force will not replace it; choose another --out")
    present = {p.name for p in out_dir.iterdir()} - {MANIFEST_NAME}
    extra = sorted(present - set(listed))
    if extra:
        shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
        raise OutputExistsError(
            f"{out_dir} holds files its manifest does not list ({shown}), so --force will not "
            "replace it; move them out or choose another --out")
    changed = sorted(name for name, digest in listed.items()
                     if (out_dir / name).is_file() and _sha256(out_dir / name) != digest)
    if changed:
        raise OutputExistsError(
            f"{out_dir}: {', '.join(changed[:3])} changed since asielketen wrote it, so "
            "--force will not replace the folder; move the file out or choose another --out")


def write_outputs(
    out_dir: Path | str,
    files: Mapping[str, Writer],
    *,
    force: bool,
    manifest: Mapping[str, Any],
) -> Path:
    """Write ``files`` and ``manifest.json`` into ``out_dir``, all or nothing.

    Parameters
    ----------
    out_dir
        The folder to create (its parents are created if needed).
    files
        File name (relative to ``out_dir``, no folders) -> a function that writes that file to
        the path it is given.
    force
        Replace an existing ``out_dir`` if it is empty or an untouched output of the same
        command (see :func:`check_out_dir`; the command is read from ``manifest["command"]``);
        the old folder is replaced only after the new one is complete and on disk.
    manifest
        The run manifest (see :func:`sdmodel.outputs.manifest.build_manifest`); written as
        ``manifest.json`` with an ``"outputs"`` entry added that gives the SHA-256 of each written
        file.

    Returns
    -------
    Path
        ``out_dir``.

    Raises
    ------
    OutputExistsError
        If ``out_dir`` exists and ``force`` is false, or cannot be replaced (see
        :func:`check_out_dir`).
    AsielketenError
        If a file name is not a plain name, or a writer did not create its file.
    Exception
        Whatever a writer raises; the temporary folder is removed and ``out_dir`` is untouched.
    """
    job = job_of(manifest.get("command"))
    out_dir = check_out_dir(out_dir, force=force, job=job)
    names = list(files)
    for name in [*names, MANIFEST_NAME]:
        if Path(name).name != name or name in (".", ".."):
            raise AsielketenError(f"output name '{name}' must be a plain file name without folders")
    if MANIFEST_NAME in files:
        raise AsielketenError(f"'{MANIFEST_NAME}' is written by write_outputs itself")

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_sibling(out_dir, "tmp")
    try:
        for number, name in enumerate(names):
            target = tmp / name
            files[name](target)
            if not target.is_file():
                raise AsielketenError(f"internal error: the writer for '{name}' wrote no file")
            fsync_path(target)
            if number == 0:
                kill_point("first-file")
        full_manifest = {**manifest, "outputs": {n: _sha256(tmp / n) for n in names}}
        (tmp / MANIFEST_NAME).write_text(
            json.dumps(full_manifest, indent=2, ensure_ascii=False, default=str) + "\n",
            encoding="utf-8",
        )
        fsync_path(tmp / MANIFEST_NAME)
        kill_point("files-written")
        check_out_dir(out_dir, force=force, job=job)  # it may have appeared while we wrote
        swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_writable(out_dir: Path | str) -> None:
    """Check, before any work is done, that ``out_dir`` (or the folder it will be made in) can be
    written.

    Raises
    ------
    OutputExistsError
        If a parent of ``out_dir`` is a file, or the nearest existing parent is not writable.
    """
    out_dir = Path(out_dir).absolute()
    parent = out_dir.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise OutputExistsError(f"cannot write the output folder {out_dir}: {parent} is a "
                                "file, not a folder; choose another --out")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputExistsError(f"cannot write the output folder {out_dir}: {parent} is not "
                                "writable; choose another --out")

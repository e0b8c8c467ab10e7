"""Output folders that appear complete or not at all, each with a run manifest.

Every command that writes files goes through :func:`write_outputs`: the files are written into a
temporary sibling folder (``.<name>.tmp-XXXX``) and that folder is renamed into place only when
every writer succeeded. An existing folder is kept unless ``force`` is given, and even then it is
replaced only after the new folder is complete. Each folder holds a ``manifest.json`` (see
:func:`sdmodel.outputs.manifest.build_manifest`) that records what produced it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sdmodel.errors import AsielketenError, OutputExistsError
from sdmodel.outputs.writers import Writer

MANIFEST_NAME = "manifest.json"


def check_out_dir(out_dir: Path | str, *, force: bool) -> Path:
    """Check, before any work is done, that ``out_dir`` may be written.

    Parameters
    ----------
    out_dir
        The output folder the user asked for.
    force
        Whether an existing folder may be replaced.

    Returns
    -------
    Path
        ``out_dir`` as a :class:`~pathlib.Path`.

    Raises
    ------
    OutputExistsError
        If ``out_dir`` exists and ``force`` is false; if it exists and is not a folder; or if it
        is a non-empty folder without ``manifest.json`` (``force`` only replaces folders this
        module wrote, so a mistyped ``--out`` cannot wipe an unrelated folder).
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputExistsError(
            f"{out_dir} exists and is a file, not a folder; choose another --out"
        )
    if out_dir.exists() and not force:
        raise OutputExistsError(
            f"output folder {out_dir} already exists; use --force to replace it"
        )
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MANIFEST_NAME).is_file():
        raise OutputExistsError(
            f"{out_dir} is not an asielketen output folder (it has no {MANIFEST_NAME}), so "
            "--force will not replace it; remove it yourself or choose another --out"
        )
    return out_dir


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
        Replace an existing ``out_dir`` (empty, or written by this function: it has a
        ``manifest.json``); the old folder is removed only after the new one is complete.
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
    out_dir = check_out_dir(out_dir, force=force)
    names = list(files)
    for name in [*names, MANIFEST_NAME]:
        if Path(name).name != name or name in (".", ".."):
            raise AsielketenError(f"output name '{name}' must be a plain file name without folders")
    if MANIFEST_NAME in files:
        raise AsielketenError(f"'{MANIFEST_NAME}' is written by write_outputs itself")

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for name in names:
            target = tmp / name
            files[name](target)
            if not target.is_file():
                raise AsielketenError(f"internal error: the writer for '{name}' wrote no file")
        full_manifest = {**manifest, "outputs": {n: _sha256(tmp / n) for n in names}}
        (tmp / MANIFEST_NAME).write_text(
            json.dumps(full_manifest, indent=2, ensure_ascii=False, default=str) + "\n",
            encoding="utf-8",
        )
        _move_into_place(tmp, out_dir, force=force)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _move_into_place(tmp: Path, out_dir: Path, *, force: bool) -> None:
    """Rename the complete ``tmp`` folder to ``out_dir``, replacing an old one if ``force``."""
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    check_out_dir(out_dir, force=force)  # it may have appeared while we were writing
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.replace(out_dir, old / out_dir.name)
    try:
        os.replace(tmp, out_dir)
    except BaseException:
        os.replace(old / out_dir.name, out_dir)  # put the old folder back
        shutil.rmtree(old, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

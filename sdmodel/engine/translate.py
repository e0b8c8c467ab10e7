"""Translate a Vensim .mdl with PySD into a cache folder keyed by the file's hash.

PySD writes the translated ``.py`` next to the ``.mdl``; we copy the ``.mdl`` into
``<cache>/<sha256>/`` first, so the model folder never gets generated files and an edited model is
translated anew.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sdmodel.errors import ModelFileError
from sdmodel.paths import cache_dir


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def translated_copy(mdl_path: Path) -> Path:
    """Return the cached copy of ``mdl_path`` (``<cache>/<sha256>/<name>.mdl``), creating it.

    Raises
    ------
    ModelFileError
        If the file does not exist or is not a ``.mdl`` file.
    """
    mdl_path = Path(mdl_path)
    if not mdl_path.is_file():
        raise ModelFileError(
            f"{mdl_path}: model file not found; give the path of a Vensim .mdl file"
        )
    if mdl_path.suffix.lower() != ".mdl":
        raise ModelFileError(f"{mdl_path}: not a Vensim .mdl file; save the model as text (.mdl)")
    target_dir = cache_dir() / file_sha256(mdl_path)
    target = target_dir / mdl_path.name
    if not target.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".mdl.tmp")
        shutil.copyfile(mdl_path, tmp)
        tmp.replace(target)
    return target

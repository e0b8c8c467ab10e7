"""Translate a Vensim .mdl with PySD into a cache folder keyed by the file's hash.

PySD writes the translated ``.py`` next to the ``.mdl``; we copy the ``.mdl`` into
``<cache>/<sha256>/`` first, so the model folder never gets generated files and an edited model is
translated anew. Before PySD sees a file, :func:`check_model_text` refuses an empty file, bytes
that are not text, and text without Vensim equations, with one line and a fix.

Every file this project writes into the cache goes through :func:`write_cache_file`: atomically
(a temporary file with a name unique to the process and call, then a rename) and sealed with the
SHA-256 of its content in its first line. :func:`cache_file_state` checks the seal, so a corrupt
cache file (a crash of the disk, an edit) is detected, rebuilt and reported once on stderr
(:func:`report_rebuilt`), never blamed on the user's model.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sys
from pathlib import Path
from typing import Literal

from sdmodel.errors import ModelFileError
from sdmodel.paths import cache_dir

SEAL = "# asielketen-cache sha256="
"""First line of a sealed cache file: the SHA-256 of the rest of the file."""

CacheState = Literal["missing", "intact", "corrupt", "unsealed"]


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def unique_temp(path: Path) -> Path:
    """A temporary name next to ``path``, unique to this process and call."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def write_cache_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` sealed with its hash, atomically (readers never see half a
    file; two processes writing at once each rename a complete file of their own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = text.encode("utf-8")
    tmp = unique_temp(path)
    try:
        with tmp.open("wb") as fh:
            fh.write(f"{SEAL}{hashlib.sha256(body).hexdigest()}\n".encode())
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def cache_file_state(path: Path) -> CacheState:
    """Whether a cache file is missing, intact, corrupt (its seal does not match its content),
    or unsealed (written before seals, or by PySD itself)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return "missing"
    first, _, rest = data.partition(b"\n")
    if not first.startswith(SEAL.encode()):
        return "unsealed"
    return "intact" if first[len(SEAL):].decode(errors="replace") == hashlib.sha256(
        rest).hexdigest() else "corrupt"


def report_rebuilt(path: Path, why: str = "was corrupt") -> None:
    """Say once, on stderr, that a cache file was rebuilt."""
    print(f"note: the cached file {path} {why}; rebuilt it", file=sys.stderr)


def check_model_text(mdl_path: Path) -> None:
    """Refuse a file PySD cannot read as a Vensim model, with one line and a fix.

    Raises
    ------
    ModelFileError
        If the file is empty, is not UTF-8 text (binary, or another encoding), or holds no
        Vensim equation (``name = expression ~ units ~ comment |``).
    """
    data = Path(mdl_path).read_bytes()
    fix = "save the model from Vensim as a text .mdl file"
    if not data.strip():
        raise ModelFileError(f"{mdl_path}: the file is empty; {fix}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ModelFileError(f"{mdl_path}: not a text Vensim model (byte {err.start} is not "
                             f"UTF-8); {fix}") from None
    if "\x00" in text:
        raise ModelFileError(f"{mdl_path}: not a text Vensim model (it holds binary data); {fix}")
    if "~" not in text or "|" not in text:
        raise ModelFileError(f"{mdl_path}: no Vensim equation found (name = expression ~ units "
                             f"~ comment |); {fix}")


def translated_copy(mdl_path: Path) -> Path:
    """Return the cached copy of ``mdl_path`` (``<cache>/<sha256>/<name>.mdl``), creating it.

    A copy whose bytes no longer match its folder's hash is replaced (and reported once).

    Raises
    ------
    ModelFileError
        If the file does not exist, is not a ``.mdl`` file, or is not a text Vensim model.
    """
    mdl_path = Path(mdl_path)
    if not mdl_path.is_file():
        raise ModelFileError(
            f"{mdl_path}: model file not found; give the path of a Vensim .mdl file"
        )
    if mdl_path.suffix.lower() != ".mdl":
        raise ModelFileError(f"{mdl_path}: not a Vensim .mdl file; save the model as text (.mdl)")
    check_model_text(mdl_path)
    digest = file_sha256(mdl_path)
    target_dir = cache_dir() / digest
    target = target_dir / mdl_path.name
    if target.exists() and file_sha256(target) != digest:
        report_rebuilt(target)
        shutil.rmtree(target_dir, ignore_errors=True)  # its translation came from bad bytes
    if not target.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = unique_temp(target)
        try:
            shutil.copyfile(mdl_path, tmp)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
    return target

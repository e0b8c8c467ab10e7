"""The run manifest: what produced an output folder (command, model, data, parameters, versions).

:func:`build_manifest` records the command line, the model file and its hash, the data hash, the
parameters and seed of the run, the versions of the packages that shape a result and the
platform; :func:`sdmodel.outputs.folder.write_outputs` adds the hash of every file written.
"""

from __future__ import annotations

import datetime as dt
import platform
import tomllib
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from sdmodel.paths import PYPROJECT

VERSIONED_PACKAGES: tuple[str, ...] = ("asielketen", "pysd", "numpy", "pandas", "scipy")


def package_versions() -> dict[str, str]:
    """Return the versions of Python and the packages that shape a result.

    Versions are read from the installed package metadata, so nothing heavy is imported. A package
    that is not installed is reported as ``"not installed"``; ``asielketen`` run from a source
    checkout falls back to the version in ``pyproject.toml``.
    """
    versions = {"python": platform.python_version()}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    if versions["asielketen"] == "not installed":
        versions["asielketen"] = _source_version()
    return versions


def _source_version() -> str:
    try:
        with PYPROJECT.open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"]) + " (source checkout)"
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "not installed"


def build_manifest(
    *,
    model_path: Path | str,
    model_sha256: str,
    data_sha256: str | None,
    parameters: Mapping[str, Any],
    seed: int | None,
    command: str,
) -> dict[str, Any]:
    """Return the manifest that records how an output folder was made.

    Parameters
    ----------
    model_path
        The ``.mdl`` file that was run.
    model_sha256
        SHA-256 of the ``.mdl`` bytes.
    data_sha256
        SHA-256 of the calibration data files (``None`` if no data was used).
    parameters
        Everything else that determines the result: scenario, overrides, time range, ...
    seed
        Random seed, or ``None`` for a deterministic run or an unseeded one.
    command
        The command line that produced the folder.

    Returns
    -------
    dict
        Keys ``created_utc`` (ISO 8601), ``command``, ``model`` (``path``, ``sha256``),
        ``data_sha256``, ``parameters``, ``seed``, ``versions`` (``python``, ``asielketen``,
        ``pysd``, ``numpy``, ``pandas``, ``scipy``) and ``platform``.
    """
    return {
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": command,
        "model": {"path": str(model_path), "sha256": model_sha256},
        "data_sha256": data_sha256,
        "parameters": dict(parameters),
        "seed": seed,
        "versions": package_versions(),
        "platform": platform.platform(),
    }

"""The calibrated constants runs start from: the committed fit, another calibration, or none.

``calibration/fitted/`` is an ordinary ``asielketen calibrate`` output folder, used by default for
the project's model; this module reads a calibration folder's ``parameters.csv`` (estimated
constants and the constants tied to them) and its manifest, and says which constants a run starts
from (:func:`calibrated_constants`).
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdmodel.errors import DataFileError
from sdmodel.paths import FITTED_DIR, project_relative


def load_default(directory: Path | str | None = None) -> dict[str, float]:
    """Return the fitted constants ``{Vensim name: value}`` of the default calibration.

    Parameters
    ----------
    directory
        A calibration output folder; default ``calibration/fitted/``.

    Raises
    ------
    DataFileError
        If ``parameters.csv`` is missing, lacks the ``name``/``value`` columns, or a value is
        not a finite number.
    """
    path = Path(directory or FITTED_DIR) / "parameters.csv"
    if not path.is_file():
        raise DataFileError(_missing(path))
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"name", "value"} <= set(reader.fieldnames):
            raise DataFileError(f"{path.name} line 1: the header needs the columns name and "
                                "value; recreate the file with 'asielketen calibrate'")
        values: dict[str, float] = {}
        for line, row in enumerate(reader, start=2):
            try:
                value = float(row["value"])
            except (TypeError, ValueError) as err:
                raise DataFileError(f"{path.name} line {line}, field 'value': {row['value']!r} "
                                    "is not a number; recreate the file") from err
            if not math.isfinite(value):
                raise DataFileError(f"{path.name} line {line}, field 'value': not finite; "
                                    "recreate the file")
            values[row["name"]] = value
    return values


def default_manifest(directory: Path | str | None = None) -> dict[str, Any]:
    """Return the manifest of the default calibration (model and data hashes, settings)."""
    path = Path(directory or FITTED_DIR) / "manifest.json"
    if not path.is_file():
        raise DataFileError(_missing(path))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise DataFileError(f"{path}: not valid JSON ({err}); give an 'asielketen calibrate' "
                            "output folder as --calibration") from err
    if not isinstance(manifest, dict):
        raise DataFileError(f"{path}: not a run manifest; give an 'asielketen calibrate' "
                            "output folder as --calibration")
    return manifest


def _missing(path: Path) -> str:
    """The message for a calibration folder without ``path``; never suggests ``--force`` (it
    would replace the folder the user named)."""
    if path.parent.resolve() == FITTED_DIR.resolve():
        return (f"{project_relative(path)}: file not found; the committed calibration is "
                "incomplete: restore it with 'git checkout calibration/fitted'")
    if not path.parent.is_dir():
        return (f"--calibration {path.parent}: no such folder; give an 'asielketen calibrate' "
                "output folder, or 'none' for the model's defaults")
    return (f"{path}: file not found, so {path.parent} is not a calibration; give an "
            "'asielketen calibrate' output folder as --calibration, or 'none'")


def check_calibration_choice(choice: str | None) -> None:
    """Check, before any work, that ``--calibration`` names a usable calibration folder.

    Raises
    ------
    DataFileError
        If the folder lacks ``parameters.csv`` or a readable ``manifest.json``.
    """
    if choice is None or choice == "none":
        return
    default_manifest(choice)
    if not (Path(choice) / "parameters.csv").is_file():
        raise DataFileError(_missing(Path(choice) / "parameters.csv"))


@dataclass(frozen=True)
class Calibration:
    """The constants a run starts from, and where they come from.

    Attributes
    ----------
    values
        Vensim name -> fitted value (empty: the model's defaults).
    note
        The calibration folder (relative to the project when inside it), or ``"model defaults"``.
    directory
        The calibration folder (``None`` without a calibration); it may hold ``bootstrap.csv``.
    model_matches
        False when the calibration was fitted to another version of the .mdl (``None`` without
        a calibration).
    reason
        Why this calibration (or none) was chosen when that is not obvious from the command
        line (another model file than the project's), for the user to read; else ``""``.
    """

    values: dict[str, float]
    note: str
    directory: Path | None = None
    model_matches: bool | None = None
    reason: str = ""


def calibrated_constants(choice: str | None = None, *, model_sha256: str,
                         is_default_model: bool) -> Calibration:
    """Return the calibrated constants to run with, and where they come from.

    Parameters
    ----------
    choice
        ``None``: ``calibration/fitted/`` for the project's model or a copy of it with the same
        bytes (matched by SHA-256, as is the model the fit was made for), nothing for another
        model (``reason`` says why); ``"none"``: the model's own defaults; else a calibration
        output folder.
    model_sha256
        Hash of the model run, compared with the one the calibration was fitted to.
    is_default_model
        Whether the model is the project's ``models/asielketen.mdl``.

    Raises
    ------
    DataFileError
        If the calibration folder lacks its parameters.csv or manifest.json.
    """
    if choice == "none":
        return Calibration({}, "model defaults")
    reason = ""
    if choice is None and not is_default_model:
        matched = _matches_project_model(model_sha256)
        if matched is None:
            return Calibration({}, "model defaults", reason=(
                "no calibration: this model differs from models/asielketen.mdl and from the "
                "model calibration/fitted was fitted to (by SHA-256); give --calibration DIR "
                "to use one"))
        reason = f"calibration/fitted: this model is byte-identical to {matched} (SHA-256)"
    directory = Path(choice) if choice is not None else FITTED_DIR
    values = load_default(directory)
    fitted_to = _fitted_model_sha(default_manifest(directory))
    return Calibration(values, project_relative(directory), directory,
                       fitted_to == model_sha256, reason)


def _fitted_model_sha(manifest: dict[str, Any]) -> str | None:
    model = manifest.get("model")
    return model.get("sha256") if isinstance(model, dict) else None


def _matches_project_model(model_sha256: str) -> str | None:
    """Which model the committed calibration belongs to that has these bytes, if any."""
    from sdmodel.engine.translate import file_sha256
    from sdmodel.paths import DEFAULT_MDL

    if DEFAULT_MDL.is_file() and file_sha256(DEFAULT_MDL) == model_sha256:
        return "models/asielketen.mdl"
    try:
        if _fitted_model_sha(default_manifest(FITTED_DIR)) == model_sha256:
            return "the model calibration/fitted was fitted to"
    except DataFileError:
        pass
    return None

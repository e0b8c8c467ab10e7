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
        raise DataFileError(f"{path}: file not found; run 'asielketen calibrate --out "
                            f"{path.parent} --force' to create the default calibration")
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
        raise DataFileError(f"{path}: file not found; run 'asielketen calibrate --out "
                            f"{path.parent} --force'")
    return json.loads(path.read_text(encoding="utf-8"))


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
    """

    values: dict[str, float]
    note: str
    directory: Path | None = None
    model_matches: bool | None = None


def calibrated_constants(choice: str | None = None, *, model_sha256: str,
                         is_default_model: bool) -> Calibration:
    """Return the calibrated constants to run with, and where they come from.

    Parameters
    ----------
    choice
        ``None``: ``calibration/fitted/`` for the project's model, nothing for another model;
        ``"none"``: the model's own defaults; else a calibration output folder.
    model_sha256
        Hash of the model run, compared with the one the calibration was fitted to.
    is_default_model
        Whether the model is the project's ``models/asielketen.mdl``.

    Raises
    ------
    DataFileError
        If the calibration folder lacks its parameters.csv or manifest.json.
    """
    if choice == "none" or (choice is None and not is_default_model):
        return Calibration({}, "model defaults")
    directory = Path(choice) if choice is not None else FITTED_DIR
    values = load_default(directory)
    fitted_to = default_manifest(directory).get("model", {}).get("sha256")
    return Calibration(values, project_relative(directory), directory,
                       fitted_to == model_sha256)

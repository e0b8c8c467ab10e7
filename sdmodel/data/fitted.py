"""The committed default calibration (``calibration/fitted/``), used by ``simulate`` by default.

``calibration/fitted/`` is an ordinary ``asielketen calibrate`` output folder; this module reads
its ``parameters.csv`` (estimated constants and the constants tied to them) and its manifest.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from sdmodel.errors import DataFileError
from sdmodel.paths import FITTED_DIR


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


def calibration_overrides(
    choice: str | None, *, model_sha256: str, is_default_model: bool
) -> tuple[dict[str, float], dict[str, Any]]:
    """Return the calibrated constants to run with, and a record of where they came from.

    Parameters
    ----------
    choice
        ``None`` for the default (``calibration/fitted/`` for the project's model, nothing for
        another model), ``"none"`` for the model's own defaults, or a calibration output folder.
    model_sha256
        Hash of the model being run; compared with the hash the calibration was fitted to.
    is_default_model
        Whether the model is the project's ``models/asielketen.mdl``.

    Returns
    -------
    overrides, record
        ``record`` has the folder used (or None) and ``model_matches``: False when the
        calibration was fitted to another version of the model, so the caller can warn.
    """
    if choice == "none" or (choice is None and not is_default_model):
        return {}, {"calibration": None}
    directory = Path(choice) if choice is not None else FITTED_DIR
    overrides = load_default(directory)
    fitted_to = default_manifest(directory).get("model", {}).get("sha256")
    return overrides, {"calibration": str(directory), "model_matches": fitted_to == model_sha256}

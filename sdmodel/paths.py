"""The project's folders and files, named in one place.

The model and its scenarios live in ``models/``; the sourced data and the committed fit live in
``calibration/data/`` and ``calibration/fitted/`` (shipped as package data of ``calibration``,
see ``pyproject.toml``), next to ``calibration/calibration.toml``. Code in either package that
needs one of these folders takes it from here; only the code moved into ``sdmodel``, never the
files. Paths are built from this file's location, so they hold from any working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The source checkout (the folder with ``pyproject.toml``)."""
PYPROJECT = PROJECT_ROOT / "pyproject.toml"
MODEL_DIR = PROJECT_ROOT / "models"
DEFAULT_MDL = MODEL_DIR / "asielketen.mdl"
"""The project's model: the single source of truth for the structure."""
SCENARIO_DIR = MODEL_DIR / "scenarios"
"""Named scenarios and optimisation specs (``<name>.toml``)."""
DATA_DIR = PROJECT_ROOT / "calibration" / "data"
"""The four sourced data files (observations, forecasts, parameters, timeline)."""
FITTED_DIR = PROJECT_ROOT / "calibration" / "fitted"
"""The committed calibration: an ``asielketen calibrate`` output folder."""
CALIBRATION_CONFIG = PROJECT_ROOT / "calibration" / "calibration.toml"
"""What the calibration fits: series, weights, parameters and search settings."""
DEFAULT_CACHE = PROJECT_ROOT / ".cache" / "pysd"
CACHE_VARIABLE = "ASIELKETEN_CACHE"
"""Environment variable that moves the cache folder."""


def cache_dir() -> Path:
    """Return the cache of translated and compiled models (``ASIELKETEN_CACHE`` overrides it)."""
    return Path(os.environ.get(CACHE_VARIABLE, DEFAULT_CACHE))


def project_relative(path: Path | str) -> str:
    """Return ``path`` relative to the project folder when it lies inside it, else as given."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)

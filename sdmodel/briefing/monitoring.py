"""The briefing's monitoring pages, from an ``asielketen monitor`` output folder.

:func:`load_monitor` reads the folder's ``signposts.csv``, ``drift.csv``, ``state.csv`` and
manifest; the briefing then shows the signpost dashboard as a figure (titled with its finding,
:func:`sdmodel.monitor.figures.signpost_title`) and a table of the drift: each new figure against
the plan and the update, and the state at the end of the monitored month.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sdmodel.errors import AsielketenError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FILES = ("signposts.csv", "drift.csv", "state.csv", "manifest.json")
DRIFT_ROWS = 24
"""At most this many drift rows in the briefing (the largest misses of the plan first)."""


@dataclass(frozen=True)
class Monitored:
    """A monitor output folder: its signposts, drift and state, and what it monitored."""

    path: Path
    signposts: pd.DataFrame
    drift: pd.DataFrame
    state: pd.DataFrame
    as_of: pd.Timestamp
    drift_from: str
    scenario: str
    calibration: str


def load_monitor(path: Path | str) -> Monitored:
    """Read an ``asielketen monitor`` output folder.

    Raises
    ------
    AsielketenError
        If the folder or one of its files is missing or the manifest is not a monitor's.
    """
    import pandas as pd

    folder = Path(path)
    for name in FILES:
        if not (folder / name).is_file():
            raise AsielketenError(f"--monitor {folder}: {name} is missing; give the output "
                                  "folder of 'asielketen monitor'")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    parameters = manifest.get("parameters", {})
    if "as_of" not in parameters:
        raise AsielketenError(f"--monitor {folder}: manifest.json is not that of "
                              "'asielketen monitor'; give a monitor output folder")
    return Monitored(
        path=folder,
        signposts=pd.read_csv(folder / "signposts.csv", parse_dates=["date", "crosses_on"]),
        drift=pd.read_csv(folder / "drift.csv", parse_dates=["date"]),
        state=pd.read_csv(folder / "state.csv", parse_dates=["date"]),
        as_of=pd.Timestamp(parameters["as_of"] + "-01"),
        drift_from=str(parameters.get("drift_from", "")),
        scenario=str(parameters.get("scenario", "")),
        calibration=str(parameters.get("calibration", "")),
    )


def drift_table(monitored: Monitored, *, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the drift table: the largest misses of the plan first."""
    import numpy as np

    from sdmodel.figures.formats import format_date, format_number
    from sdmodel.figures.labels import KPI_LABELS, label

    nl = lang == "nl"
    headers = (["Reeks", "Datum", "Waargenomen", "Plan", "Bijgewerkt", "In band plan"] if nl
               else ["Series", "Date", "Observed", "Plan", "Updated", "In plan's band"])
    drift = monitored.drift.copy()
    drift["miss"] = np.abs(np.log(drift["planned"] / drift["observed"]))
    drift = drift.sort_values("miss", ascending=False).head(DRIFT_ROWS)
    yes, no = ("ja", "nee") if nl else ("yes", "no")

    def number(value: float) -> str:
        return format_number(value, lang, decimals=0 if abs(value) >= 10 else 2)

    rows = [[label(r.series, lang) if r.series in KPI_LABELS else r.series,
             format_date(r.date, lang), number(r.observed),
             number(r.planned), number(r.updated), yes if r.in_band else no]
            for r in drift.itertuples()]
    return headers, rows


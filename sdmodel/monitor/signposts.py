"""Signposts: the chain's state at the end of the monitored month against the plan's limits.

Four signposts, each a KPI of the updated run against a threshold:

- COA occupancy as a share of the regular places, against the scenario's
  ``[thresholds] coa_occupancy_share`` (or occupancy against ``coa_occupancy`` persons);
- Ter Apel occupancy against the scenario's ``[thresholds] ter_apel`` (the court-enforced
  2,000, parameters.csv ter_apel_norm);
- the IND backlog as the wait at the current pace (pending / decisions, in weeks) against the
  legal six-month decision period, 26 weeks (parameters.csv decision_period_standard);
- status holders waiting in COA beyond the 14-week norm against 11,300, the number of
  1 January 2023 (parameters.csv status_holders_beyond_norm). assumption: no official limit
  exists; the level of early 2023, when the housing task was already far behind, is the
  signpost (range 5,000-15,000).

Status: ``red`` when the value is above the threshold; ``amber`` when it is within
:data:`AMBER_MARGIN` of it or the updated projection crosses it within
:data:`HORIZON_MONTHS`; ``green`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.scenarios.tables import Thresholds

Status = Literal["green", "amber", "red"]
AMBER_MARGIN = 0.10
"""A value within 10% below its threshold is amber."""
HORIZON_MONTHS = 12
"""A threshold the updated projection crosses within a year makes the signpost amber."""
IND_WAIT_WEEKS = 26.0
"""The legal decision period of six months in weeks (parameters.csv decision_period_standard)."""
BEYOND_NORM = 11300.0
"""Status holders beyond the 14-week norm on 1 Jan 2023 (parameters.csv
status_holders_beyond_norm); the signpost level is an assumption (see the module docstring)."""


@dataclass(frozen=True)
class Signpost:
    """A signpost: its name, the KPI it reads and how the KPI's value is computed."""

    name: str
    kpi: str
    threshold: float
    unit: str


def signposts(thresholds: Thresholds) -> tuple[Signpost, ...]:
    """The four signposts with the scenario's thresholds."""
    if thresholds.coa_occupancy is not None:
        coa = Signpost("coa_occupancy", "coa_occupancy_total", thresholds.coa_occupancy,
                       "persons")
    else:
        coa = Signpost("coa_occupancy", "coa_occupancy_total / coa_regular_capacity",
                       thresholds.coa_occupancy_share, "share")
    return (coa,
            Signpost("ter_apel", "ter_apel_occupancy", thresholds.ter_apel, "persons"),
            Signpost("ind_backlog", "ind_average_wait_weeks", IND_WAIT_WEEKS, "weeks"),
            Signpost("status_holders_beyond_norm", "status_holders_beyond_norm", BEYOND_NORM,
                     "persons"))


def kpi_values(frame: pd.DataFrame, kpi: str) -> np.ndarray:
    """A signpost's KPI from monthly results (a column, or ``a / b`` of two columns)."""
    if " / " in kpi:
        top, bottom = kpi.split(" / ")
        return frame[top].to_numpy(dtype=float) / frame[bottom].to_numpy(dtype=float)
    return frame[kpi].to_numpy(dtype=float)


def status(value: float, threshold: float, *, crosses: bool) -> Status:
    """Red above the threshold, amber near it or when it is crossed soon, else green."""
    if value > threshold:
        return "red"
    if value >= (1 - AMBER_MARGIN) * threshold or crosses:
        return "amber"
    return "green"


def signpost_table(updated: pd.DataFrame, planned: pd.DataFrame, thresholds: Thresholds, *,
                   state_date: pd.Timestamp) -> pd.DataFrame:
    """``signpost, kpi, threshold, value, status`` (plus ``date``, ``planned``, ``unit`` and
    ``crosses_on``, the first month within the horizon the updated projection is above it)
    at ``state_date`` (the first day after the monitored month)."""
    import pandas as pd

    at = int(updated.index.get_indexer([state_date])[0])
    rows = []
    for post in signposts(thresholds):
        values = kpi_values(updated, post.kpi)
        ahead = values[at: at + HORIZON_MONTHS + 1]
        above = np.flatnonzero(ahead > post.threshold)
        crosses_on = updated.index[at + above[0]] if len(above) else pd.NaT
        value = float(values[at])
        rows.append({"signpost": post.name, "kpi": post.kpi, "threshold": post.threshold,
                     "value": value,
                     "status": status(value, post.threshold, crosses=bool(len(above))),
                     "date": state_date, "planned": float(kpi_values(planned, post.kpi)[at]),
                     "unit": post.unit, "crosses_on": crosses_on})
    return pd.DataFrame(rows)

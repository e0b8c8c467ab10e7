"""Monthly KPIs from a raw model run: one mapping from model variables to KPI names.

KPIs that correspond to an observed series carry that series' name from
``calibration/data/observations.csv``, so model and data meet by name everywhere. Stocks are read at
the start of each month; flows are summed over the month (Euler steps x TIME STEP), so they are
monthly totals; ratios are averaged over the month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sdmodel.calendar import month_dates

WEEKS_PER_MONTH = 52.0 / 12.0


@dataclass(frozen=True)
class Kpi:
    """A KPI: the model variable it reads, how it is aggregated to months, and a scale."""

    variable: str
    aggregation: str  # "stock", "flow" or "ratio"
    scale: float = 1.0


KPIS: dict[str, Kpi] = {
    "coa_occupancy_total": Kpi("COA occupancy", "stock"),
    "coa_occupancy_regular": Kpi("regular occupancy", "stock"),
    "coa_occupancy_emergency": Kpi("emergency reception occupancy", "stock"),
    "coa_regular_capacity": Kpi("regular COA capacity", "stock"),
    "ter_apel_occupancy": Kpi("awaiting registration", "stock"),
    "ind_pending_asylum": Kpi("IND pending asylum", "stock"),
    "ind_pending_nareis": Kpi("nareis pending", "stock"),
    "ind_first_instance_decisions": Kpi("IND decisions", "flow"),
    "ind_average_wait_weeks": Kpi("IND waiting time", "ratio", WEEKS_PER_MONTH),
    "ind_grant_rate": Kpi("grant rate", "ratio"),
    "ind_decision_staff": Kpi("IND decision staff", "stock"),
    "court_appeals_pending": Kpi("appeals pending", "stock"),
    "court_status_appeals_pending": Kpi("status appeals pending", "stock"),
    "coa_status_holders_waiting": Kpi("status holders waiting", "stock"),
    "status_holders_beyond_norm": Kpi("status holders waiting beyond norm", "stock"),
    "status_holders_housed": Kpi("housing outflow", "flow"),
    "housing_target": Kpi("housing target", "flow"),
    "nareis_arrivals": Kpi("nareis arrivals", "flow"),
    "asylum_first_applications": Kpi("first applications", "flow"),
    "asylum_subsequent_applications": Kpi("subsequent applications", "flow"),
    "asylum_inflow_total": Kpi("asylum inflow total", "flow"),
    "departures_independent_verified": Kpi("departures independent verified", "flow"),
    "departures_forced": Kpi("departures forced", "flow"),
    "departures_unsupervised": Kpi("departures unsupervised", "flow"),
    "undocumented_on_street": Kpi("undocumented on street", "stock"),
    "undocumented_in_lvv": Kpi("undocumented in LVV", "stock"),
    "reassessments": Kpi("reassessments", "flow"),
    "revocations": Kpi("revocations", "flow"),
    "share_reassessed_before_integration": Kpi("share reassessed before integration", "ratio"),
    "cost_coa_regular": Kpi("cost COA regular", "flow"),
    "cost_coa_emergency": Kpi("cost COA emergency", "flow"),
    "cost_ind": Kpi("cost IND", "flow"),
    "cost_courts": Kpi("cost courts", "flow"),
    "cost_dtv": Kpi("cost DTV", "flow"),
    "cost_flexible_housing": Kpi("cost flexible housing", "flow"),
    "persons_in_chain": Kpi("persons in chain", "stock"),
}


def monthly_kpis(raw: pd.DataFrame, *, time_step: float) -> pd.DataFrame:
    """Aggregate a raw run (index ``time`` in months, every time step) to monthly KPIs.

    Parameters
    ----------
    raw
        Output of :meth:`sdmodel.engine.model.ChainModel.run_raw` (Vensim names as columns).
    time_step
        The model's TIME STEP in months.

    Returns
    -------
    pandas.DataFrame
        Index ``date`` (month start), one column per KPI in :data:`KPIS` order. The last month
        reported is the last whole month of the run.
    """
    time = raw.index.to_numpy(dtype=float)
    month = np.floor(time + 1e-9).astype(int)
    n_months = int(np.floor(time[-1] + 1e-9))
    in_range = month < n_months
    starts = np.isclose(time, month) & in_range
    columns: dict[str, np.ndarray] = {}
    for name, kpi in KPIS.items():
        values = raw[kpi.variable].to_numpy(dtype=float)
        if kpi.aggregation == "stock":
            monthly = values[starts]
        elif kpi.aggregation == "flow":
            monthly = np.bincount(month[in_range], values[in_range] * time_step, n_months)
        else:
            sums = np.bincount(month[in_range], values[in_range], n_months)
            monthly = sums / np.bincount(month[in_range], minlength=n_months)
        columns[name] = monthly * kpi.scale
    return pd.DataFrame(columns, index=month_dates(n_months, name="date"))

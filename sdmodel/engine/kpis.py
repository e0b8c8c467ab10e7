"""Monthly KPIs from a raw model run, by the mapping of :data:`sdmodel.names.KPIS`.

Stocks are read at the start of each month; flows are summed over the month (Euler steps x TIME
STEP), so they are monthly totals; ratios are averaged over the month.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sdmodel.calendar import month_dates
from sdmodel.names import KPIS, Kpi


def monthly_kpis(raw: pd.DataFrame, *, time_step: float, kpis: Mapping[str, Kpi] = KPIS
                 ) -> pd.DataFrame:
    """Aggregate a raw run (index ``time`` in months, every time step) to monthly KPIs.

    Parameters
    ----------
    raw
        Output of :meth:`sdmodel.engine.model.ChainModel.run_raw` (Vensim names as columns).
    time_step
        The model's TIME STEP in months.
    kpis
        The KPIs to compute (default :data:`~sdmodel.names.KPIS`).

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
    for name, kpi in kpis.items():
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

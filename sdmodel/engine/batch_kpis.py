"""Monthly KPIs of many runs at once, from the batch simulator.

The aggregation is that of :func:`sdmodel.engine.kpis.monthly_kpis` (stocks at the start of each
month, flows summed over the month's Euler steps, ratios averaged over them), computed inside the
batch run: stocks are saved at the month starts, flows and ratios are accumulated by the simulator
(``value * TIME STEP`` over the steps of the month). A month's total is read at the start of the
next month, so the run goes one month beyond the last month reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.calendar import month_dates
from sdmodel.names import KPIS, RULE_EVENT_KPIS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.engine import Backend
    from sdmodel.engine.batch import BatchModel


def month_starts(batch: BatchModel) -> np.ndarray:
    """Model times of the month starts from INITIAL TIME to FINAL TIME (whole months)."""
    control = batch.control
    return np.arange(control["initial_time"], np.floor(control["final_time"] + 1e-9) + 0.5, 1.0)


def run_monthly(
    batch: BatchModel,
    params: Mapping[str, object],
    *,
    n: int,
    kpis: Sequence[str] | None = None,
    chunk_size: int | None = None,
    engine: Backend | None = None,
) -> dict[str, np.ndarray]:
    """Run ``n`` parameter sets and return monthly KPIs.

    Parameters
    ----------
    batch
        The compiled model.
    params
        Inputs as :meth:`sdmodel.engine.batch.BatchModel.run` takes them (numbers, ``(n,)`` arrays,
        ``(T, n)`` time series on the integration grid or on the month starts).
    n
        Number of runs.
    kpis
        KPI names of :data:`sdmodel.names.KPIS` (or of
        :data:`sdmodel.names.RULE_EVENT_KPIS`) to return (default: all KPIS).
    chunk_size
        Runs simulated per pass (default: the simulator's).
    engine
        The batch backend (default: the model's, else the fastest installed; see
        :func:`sdmodel.engine.batch.fastest_backend`).

    Returns
    -------
    dict
        KPI name -> array ``(months, n)``: one row per whole month of the run, scaled like
        :func:`sdmodel.engine.kpis.monthly_kpis`.
    """
    names = list(KPIS) if kpis is None else list(kpis)
    known = {**KPIS, **RULE_EVENT_KPIS}
    chosen = {name: known[name] for name in names}
    stocks = sorted({k.variable for k in chosen.values() if k.aggregation == "stock"})
    summed = sorted({k.variable for k in chosen.values() if k.aggregation != "stock"})
    times = month_starts(batch)
    options = {} if chunk_size is None else {"chunk_size": int(chunk_size)}
    ds = batch.run(dict(params), n=n, return_columns=stocks, return_timestamps=times,
                   accumulate=summed, engine=engine, output="arrays", **options)
    out: dict[str, np.ndarray] = {}
    for name, kpi in chosen.items():
        if kpi.aggregation == "stock":
            values = ds[batch.info(kpi.variable)["name"]][:-1]
        else:  # accumulated over [t_(k-1), t_k): month k-1's total, read at month k
            values = ds[f"{batch.info(kpi.variable)['name']} (accumulated)"][1:]
        out[name] = values if kpi.scale == 1 else values * kpi.scale  # no copy when unscaled
    return out


def to_frames(monthly: Mapping[str, np.ndarray], labels: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Split monthly KPI arrays ``(months, n)`` into one DataFrame per run, keyed by label.

    The frames have the layout of :meth:`sdmodel.engine.model.ChainModel.run`: index ``date`` (month
    starts from 2014-01-01), one column per KPI.
    """
    import pandas as pd

    first = next(iter(monthly.values()))
    dates = month_dates(first.shape[0], name="date")
    return {
        label: pd.DataFrame({k: v[:, i] for k, v in monthly.items()}, index=dates)
        for i, label in enumerate(labels)
    }

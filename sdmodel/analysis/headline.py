"""The headline figures: the central run, checked against the ensemble around it.

The headline run of every command is the central run (calibrated constants, every assumption at
its central value, the scenario's band). With an ensemble (``--samples N``),
:func:`headline_table` places each KPI of the central run in the distribution of the same KPI
over the ensemble (its percentile, mid-rank for ties) and applies :data:`HEADLINE_RULE`, one
decision per scenario so that the headline figures of a scenario come from one source: when
every key KPI (:data:`KEY_KPIS`) of the central run lies within the 40th-60th percentile, the
headline is the central run; otherwise the headline reports the ensemble median of every KPI of
that scenario, and the table says so (``headline_from = "median"``). A nonlinear chain (capacity
that binds, queues) makes the outcome of the run at every input's median differ from the median
outcome, so the check is needed even though each input's median is its central value.

:func:`sample_kpis` computes the KPIs of many runs at once from monthly arrays, the same way
:func:`sdmodel.analysis.compare.kpi_table` computes them from one run's table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.calendar import REPORT_YEAR, SCENARIO_PERIOD, month_dates
from sdmodel.names import COST_KPIS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.scenarios.scenario import Scenario

CENTRAL_RANGE: tuple[float, float] = (40.0, 60.0)
"""Percentiles of the ensemble within which the central run is the headline."""
HEADLINE_RULE = ("per scenario: the headline is the central run when each key KPI (COA "
                 "occupancy 2030, emergency reception 2030, Ter Apel 2030, IND pending 2030, "
                 "total cost) of it lies within the 40th-60th percentile (mid-rank) of the "
                 "ensemble; otherwise the headline reports the ensemble median of every KPI")
"""The rule, as recorded in manifests."""
KEY_KPIS: tuple[str, ...] = ("coa_2030", "coa_emergency_2030", "ter_apel_2030",
                             "ind_backlog_2030", "cost_total_meur")
"""The KPIs whose percentiles decide the headline."""
HEADLINE_KPIS: dict[str, str] = {
    "coa_2030": "COA occupancy, average of 2030 (persons)",
    "coa_emergency_2030": "of which in emergency reception, average of 2030 (persons)",
    "coa_peak": "highest COA occupancy in the scenario period (persons)",
    "ter_apel_2030": "Ter Apel occupancy, average of 2030 (persons)",
    "ter_apel_months_above_threshold": "months in 2026-2035 with Ter Apel above its threshold",
    "ind_backlog_2030": "IND pending asylum applications, average of 2030 (cases)",
    "court_backlog_2030": "pending asylum and status appeals, average of 2030 (cases)",
    "status_holders_waiting_2030": "status holders in COA waiting for a home, 2030 (persons)",
    "undocumented_on_street_2030": "people without residence rights on the street, 2030",
    "cost_total_meur": "total cost, average per year 2026-2035 (EUR million)",
}
"""KPIs of the headline check, with their meaning (the names of ``kpis.csv`` where it has them)."""
SAMPLE_MONTHLY: tuple[str, ...] = (
    "coa_occupancy_total", "coa_occupancy_emergency", "coa_regular_capacity",
    "ter_apel_occupancy", "ind_pending_asylum", "court_appeals_pending",
    "court_status_appeals_pending", "coa_status_holders_waiting", "undocumented_on_street",
    *COST_KPIS)
"""Monthly KPIs that :func:`sample_kpis` reads."""


def sample_kpis(scenario: Scenario, monthly: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Return the KPIs of many runs: name -> ``(runs,)`` (see :data:`HEADLINE_KPIS`, plus
    ``coa_months_above_threshold``).

    ``monthly`` maps each of :data:`SAMPLE_MONTHLY` to ``(months, runs)`` from the first model
    month; averages, thresholds and costs as in :func:`sdmodel.analysis.compare.kpi_table`.
    """
    coa = np.asarray(monthly["coa_occupancy_total"], dtype=float)
    dates = month_dates(coa.shape[0])
    period = np.asarray((dates >= SCENARIO_PERIOD[0]) & (dates <= SCENARIO_PERIOD[1]))
    years = np.asarray(dates.year)
    in_year = years == REPORT_YEAR
    limits = scenario.thresholds
    coa_limit = (limits.coa_occupancy if limits.coa_occupancy is not None
                 else limits.coa_occupancy_share * monthly["coa_regular_capacity"])
    cost = sum(np.asarray(monthly[c], dtype=float) for c in COST_KPIS)
    n_years = len(set(years[period]))
    court = monthly["court_appeals_pending"] + monthly["court_status_appeals_pending"]

    def mean_2030(values: np.ndarray) -> np.ndarray:
        return np.asarray(values, dtype=float)[in_year].mean(axis=0)

    return {
        "coa_2030": mean_2030(coa),
        "coa_emergency_2030": mean_2030(monthly["coa_occupancy_emergency"]),
        "coa_peak": coa[period].max(axis=0),
        "coa_months_above_threshold": (coa > coa_limit)[period].sum(axis=0).astype(float),
        "ter_apel_2030": mean_2030(monthly["ter_apel_occupancy"]),
        "ter_apel_months_above_threshold":
            (monthly["ter_apel_occupancy"] > limits.ter_apel)[period].sum(axis=0).astype(float),
        "ind_backlog_2030": mean_2030(monthly["ind_pending_asylum"]),
        "court_backlog_2030": mean_2030(court),
        "status_holders_waiting_2030": mean_2030(monthly["coa_status_holders_waiting"]),
        "undocumented_on_street_2030": mean_2030(monthly["undocumented_on_street"]),
        "cost_total_meur": cost[period].sum(axis=0) / n_years / 1e6,
    }


def central_kpis(scenario: Scenario, results: pd.DataFrame) -> dict[str, float]:
    """The KPIs of :func:`sample_kpis` for one run's monthly table (index from the first month)."""
    monthly = {k: results[k].to_numpy(dtype=float)[:, None] for k in SAMPLE_MONTHLY}
    return {k: float(v[0]) for k, v in sample_kpis(scenario, monthly).items()}


def percentile_of(value: float, values: np.ndarray) -> float:
    """Mid-rank percentile of ``value`` among ``values`` (0-100; ties count half)."""
    values = np.asarray(values, dtype=float)
    scale = max(abs(value), 1.0) * 1e-9  # equal up to the last bits of the arithmetic
    below = np.sum(values < value - scale)
    ties = np.sum(np.abs(values - value) <= scale)
    return float(100.0 * (below + 0.5 * ties) / len(values))


def headline_table(scenarios: Sequence[Scenario], results: Mapping[str, pd.DataFrame],
                   samples: pd.DataFrame) -> pd.DataFrame:
    """Return the headline check per scenario and KPI.

    Parameters
    ----------
    scenarios
        The scenarios (row order).
    results
        Scenario name -> the central run's monthly table (from the first month).
    samples
        KPIs per ensemble run: columns ``scenario, sample`` and the KPIs of :func:`sample_kpis`
        (``Uncertainty.sample_kpis``).

    Returns
    -------
    DataFrame
        ``scenario, kpi, key, central, percentile, q05, q50, q95, headline, headline_from``:
        ``key`` marks the KPIs of :data:`KEY_KPIS`; ``headline_from`` is ``"central"`` or
        ``"median"``, the same for every KPI of a scenario (:data:`HEADLINE_RULE`).
    """
    import pandas as pd

    rows = []
    for scenario in scenarios:
        central = central_kpis(scenario, results[scenario.name])
        ensemble = samples[samples["scenario"] == scenario.name]
        own = []
        for kpi in HEADLINE_KPIS:
            values = ensemble[kpi].to_numpy(dtype=float)
            q05, q50, q95 = np.quantile(values, (0.05, 0.5, 0.95))
            own.append({"scenario": scenario.name, "kpi": kpi, "key": kpi in KEY_KPIS,
                        "central": central[kpi],
                        "percentile": round(percentile_of(central[kpi], values), 1),
                        "q05": q05, "q50": q50, "q95": q95})
        inside = all(CENTRAL_RANGE[0] <= r["percentile"] <= CENTRAL_RANGE[1]
                     for r in own if r["key"])
        for r in own:
            r["headline"] = r["central"] if inside else r["q50"]
            r["headline_from"] = "central" if inside else "median"
        rows += own
    table = pd.DataFrame(rows)
    return table.round({c: 1 for c in ("central", "q05", "q50", "q95", "headline")})

"""The KPIs of ``kpis.csv`` and KPIs of any one year, computed for many runs at once.

:func:`table_kpis` gives the numeric columns of :data:`sdmodel.analysis.compare.TABLE_COLUMNS`
(what :func:`sdmodel.analysis.compare.kpi_table` reports for one run, unrounded) from monthly
KPI arrays ``(months, runs)`` as :func:`sdmodel.engine.batch_kpis.run_monthly` returns them;
:func:`year_kpi` one KPI of :data:`YEAR_KPIS` in a chosen year (the break-even analysis).
The decomposition and the break-even analysis need them unrounded: their shares must add up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from sdmodel.calendar import REPORT_YEAR, SCENARIO_PERIOD, month_dates
from sdmodel.errors import AsielketenError, did_you_mean
from sdmodel.names import COST_ACTORS, COST_KPIS

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.scenarios.tables import Thresholds


@dataclass(frozen=True)
class YearKpi:
    """A KPI of one calendar year: the monthly KPIs summed, then averaged or totalled.

    Attributes
    ----------
    parts
        Monthly KPIs (:data:`sdmodel.names.KPIS`) added together.
    how
        ``"mean"`` over the year's months (stocks, ratios) or ``"sum"`` (flows, costs).
    scale
        Factor on the result (costs in EUR million: ``1e-6``).
    """

    parts: tuple[str, ...]
    how: Literal["mean", "sum"]
    scale: float = 1.0


YEAR_KPIS: dict[str, YearKpi] = {
    "coa": YearKpi(("coa_occupancy_total",), "mean"),
    "coa_emergency": YearKpi(("coa_occupancy_emergency",), "mean"),
    "ter_apel": YearKpi(("ter_apel_occupancy",), "mean"),
    "ind_backlog": YearKpi(("ind_pending_asylum",), "mean"),
    "ind_wait_weeks": YearKpi(("ind_average_wait_weeks",), "mean"),
    "court_backlog": YearKpi(("court_appeals_pending", "court_status_appeals_pending"), "mean"),
    "status_holders_waiting": YearKpi(("coa_status_holders_waiting",), "mean"),
    "status_holders_beyond_14_weeks": YearKpi(("status_holders_beyond_norm",), "mean"),
    "undocumented_on_street": YearKpi(("undocumented_on_street",), "mean"),
    "reassessments": YearKpi(("reassessments",), "sum"),
    "housing_outflow": YearKpi(("status_holders_housed",), "sum"),
    **{f"cost_{actor}_meur": YearKpi(columns, "sum", 1e-6)
       for actor, columns in COST_ACTORS.items()},
    "cost_total_meur": YearKpi(COST_KPIS, "sum", 1e-6),
}
"""KPIs of one year (``--kpi`` of ``asielketen breakeven``): the kpis.csv names without the
year (``coa`` is ``coa_2030`` in any year; costs are that year's, in EUR million)."""

TABLE_MONTHLY: tuple[str, ...] = tuple(dict.fromkeys((
    "coa_occupancy_total", "coa_regular_capacity", "ter_apel_occupancy",
    *(part for kpi in YEAR_KPIS.values() for part in kpi.parts),
)))
"""The monthly KPIs :func:`table_kpis` reads."""


def _rows(months: int) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the scenario period's months and the years of all months."""
    dates = month_dates(months)
    period = (dates >= SCENARIO_PERIOD[0]) & (dates <= SCENARIO_PERIOD[1])
    return np.asarray(period), np.asarray(dates.year)


def year_kpi(monthly: Mapping[str, np.ndarray], kpi: str, year: int) -> np.ndarray:
    """One KPI of :data:`YEAR_KPIS` in ``year``, per run.

    Parameters
    ----------
    monthly
        Monthly KPIs ``(months, runs)`` (at least ``YEAR_KPIS[kpi].parts``).
    kpi
        A name of :data:`YEAR_KPIS` (check it with :func:`check_year_kpi`).
    year
        A calendar year inside the run.

    Returns
    -------
    numpy.ndarray
        Shape ``(runs,)``.
    """
    spec = YEAR_KPIS[kpi]
    values = sum(monthly[part] for part in spec.parts)
    _, years = _rows(values.shape[0])
    rows = values[years == year]
    out = rows.mean(axis=0) if spec.how == "mean" else rows.sum(axis=0)
    return out * spec.scale if spec.scale != 1 else out


def table_kpis(monthly: Mapping[str, np.ndarray], thresholds: Thresholds
               ) -> dict[str, np.ndarray]:
    """The numeric KPIs of ``kpis.csv`` per run, unrounded (as :func:`kpi_table` defines them).

    Parameters
    ----------
    monthly
        Monthly KPIs ``(months, runs)``, at least :data:`TABLE_MONTHLY`.
    thresholds
        The limits the months above are counted against (the same for every run).

    Returns
    -------
    dict
        KPI (a column of ``kpis.csv``) -> values ``(runs,)``, in the column order of kpis.csv.
    """
    coa = monthly["coa_occupancy_total"]
    period, years = _rows(coa.shape[0])
    limit = (thresholds.coa_occupancy if thresholds.coa_occupancy is not None
             else thresholds.coa_occupancy_share * monthly["coa_regular_capacity"])
    out: dict[str, np.ndarray] = {
        "coa_peak": coa[period].max(axis=0),
        "coa_2030": year_kpi(monthly, "coa", REPORT_YEAR),
        "coa_emergency_2030": year_kpi(monthly, "coa_emergency", REPORT_YEAR),
        "coa_months_above_threshold": (coa > limit)[period].sum(axis=0).astype(float),
        "ter_apel_months_above_threshold":
            (monthly["ter_apel_occupancy"] > thresholds.ter_apel)[period].sum(axis=0)
            .astype(float),
    }
    for name in ("ind_backlog", "ind_wait_weeks", "court_backlog", "status_holders_waiting",
                 "status_holders_beyond_14_weeks", "undocumented_on_street", "reassessments",
                 "housing_outflow"):
        out[f"{name}_{REPORT_YEAR}"] = year_kpi(monthly, name, REPORT_YEAR)
    n_years = len(set(years[period]))
    total = 0.0
    for actor, columns in COST_ACTORS.items():
        value = sum(monthly[c][period].sum(axis=0) for c in columns) / n_years / 1e6
        out[f"cost_{actor}_meur"] = value
        total = total + value
    out["cost_total_meur"] = total
    return out


def check_year_kpi(kpi: str, year: int, *, months: int) -> tuple[str, int]:
    """Return ``(name in YEAR_KPIS, year)`` for ``--kpi`` and ``--year``.

    ``coa_2030`` is accepted for ``coa`` when the year is 2030.

    Parameters
    ----------
    kpi, year
        As given.
    months
        Whole months of the model's run (from January 2014).

    Raises
    ------
    AsielketenError
        For an unknown KPI, a year suffix that differs from ``year``, or a year outside the
        scenario period of the run (the inflow change acts from the end of the history).
    """
    name, match = kpi, re.fullmatch(r"(.+)_(\d{4})", kpi)
    if match and match.group(1) in YEAR_KPIS:
        name = match.group(1)
        if int(match.group(2)) != year:
            raise AsielketenError(f"--kpi {kpi} names the year {match.group(2)} but --year is "
                                  f"{year}; write --kpi {name} --year {year}")
    if name not in YEAR_KPIS:
        raise AsielketenError(f"--kpi {kpi} is not a KPI of one year{did_you_mean(kpi, YEAR_KPIS)}"
                              f"; use one of: {', '.join(YEAR_KPIS)}")
    dates = month_dates(months)
    first = int(SCENARIO_PERIOD[0][:4])
    last = int(dates[-1].year) if dates[-1].month == 12 else int(dates[-1].year) - 1
    if not first <= year <= last:
        raise AsielketenError(f"--year {year} is outside the run's scenario years {first}-{last}"
                              f" (the inflow change acts from {SCENARIO_PERIOD[0][:7]}); "
                              "choose a year in that range")
    return name, year

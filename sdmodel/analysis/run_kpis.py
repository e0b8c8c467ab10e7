"""Summary KPIs of every run of an ensemble, by name, computed on the monthly arrays at once.

A KPI name is one of:

- a column of ``kpis.csv`` (:data:`sdmodel.analysis.compare.TABLE_COLUMNS`, e.g. ``coa_2030``,
  ``coa_months_above_threshold``, ``cost_total_meur``); the columns of a year (``..._2030``)
  exist for every year of the run (``coa_emergency_2031``);
- a monthly KPI of :data:`sdmodel.names.KPIS`, optionally with a year: ``ter_apel_occupancy_2030``
  is the average of that year's months (a flow, e.g. ``revocations_2030``: the year's total);
  without a year, the average over the scenario period 2026-2035 (a flow: per year).

:func:`parse_kpi` reads a name (one clear error for an unknown one), :func:`kpi_values` computes
KPIs for ``(months, runs)`` arrays as :func:`sdmodel.engine.batch_kpis.run_monthly` returns them,
with the definitions of :func:`sdmodel.analysis.compare.kpi_table` (tested equal).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.calendar import REPORT_YEAR, SCENARIO_PERIOD, month_dates
from sdmodel.errors import AsielketenError, did_you_mean
from sdmodel.names import COST_ACTORS, KPIS

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.scenarios.tables import Thresholds

YEARLY: dict[str, tuple[tuple[str, ...], str]] = {
    "coa": (("coa_occupancy_total",), "mean"),
    "coa_emergency": (("coa_occupancy_emergency",), "mean"),
    "ind_backlog": (("ind_pending_asylum",), "mean"),
    "ind_wait_weeks": (("ind_average_wait_weeks",), "mean"),
    "court_backlog": (("court_appeals_pending", "court_status_appeals_pending"), "mean"),
    "status_holders_waiting": (("coa_status_holders_waiting",), "mean"),
    "status_holders_beyond_14_weeks": (("status_holders_beyond_norm",), "mean"),
    "undocumented_on_street": (("undocumented_on_street",), "mean"),
    "reassessments": (("reassessments",), "sum"),
    "housing_outflow": (("status_holders_housed",), "sum"),
}
"""kpis.csv columns of a year (``<name>_<year>``): the monthly KPIs summed, and how the year's
months are aggregated (``mean`` of the months or ``sum`` of the year)."""
PERIOD: tuple[str, ...] = (
    "coa_peak", "coa_months_above_threshold", "ter_apel_months_above_threshold",
    *(f"cost_{actor}_meur" for actor in COST_ACTORS), "cost_total_meur",
)
"""kpis.csv columns over the whole scenario period."""
_YEAR = re.compile(r"(.+)_(\d{4})")


@dataclass(frozen=True)
class KpiSpec:
    """A parsed KPI name.

    Attributes
    ----------
    name
        As written (``coa_emergency_2030``).
    base
        The kpis.csv column without its year, or the monthly KPI.
    year
        The calendar year, or ``None`` for the scenario period.
    table
        True for a kpis.csv column, False for a monthly KPI of :data:`sdmodel.names.KPIS`.
    """

    name: str
    base: str
    year: int | None
    table: bool

    @property
    def monthly(self) -> tuple[str, ...]:
        """The monthly KPIs this one is computed from."""
        if not self.table:
            return (self.base,)
        if self.base in YEARLY:
            return YEARLY[self.base][0]
        if self.base.startswith("cost_"):
            actor = self.base.removeprefix("cost_").removesuffix("_meur")
            return COST_ACTORS.get(actor, tuple(k for ks in COST_ACTORS.values() for k in ks))
        if self.base.startswith("ter_apel"):
            return ("ter_apel_occupancy",)
        return ("coa_occupancy_total", "coa_regular_capacity")


def known_kpis() -> list[str]:
    """The KPI names to suggest: the kpis.csv columns of the report year and the monthly KPIs."""
    return [*(f"{b}_{REPORT_YEAR}" for b in YEARLY), *PERIOD, *KPIS]


def parse_kpi(name: str, *, option: str = "--kpi") -> KpiSpec:
    """Return the :class:`KpiSpec` of a KPI name (see the module docstring).

    Raises
    ------
    AsielketenError
        For a name that is none of them (with the closest names).
    """
    text = name.strip()
    if text in PERIOD:
        return KpiSpec(text, text, None, True)
    if text in KPIS:
        return KpiSpec(text, text, None, False)
    match = _YEAR.fullmatch(text)
    if match and match.group(1) in YEARLY:
        return KpiSpec(text, match.group(1), int(match.group(2)), True)
    if match and match.group(1) in KPIS:
        return KpiSpec(text, match.group(1), int(match.group(2)), False)
    raise AsielketenError(
        f"{option} {name}: not a KPI{did_you_mean(text, known_kpis())}; use a kpis.csv column "
        f"(e.g. coa_{REPORT_YEAR}, cost_total_meur) or a KPI of sdmodel/names.py with an "
        "optional _YEAR")


def check_years(specs: Iterable[KpiSpec], months: int, *, option: str = "--kpi") -> None:
    """Raise :class:`AsielketenError` if a KPI's year is not a whole year of a run of ``months``."""
    years, counts = np.unique(np.asarray(month_dates(months).year), return_counts=True)
    full = years[counts == 12]
    first, last = int(full[0]), int(full[-1])
    for spec in specs:
        if spec.year is not None and not first <= spec.year <= last:
            raise AsielketenError(f"{option} {spec.name}: the run covers {first}-{last}; "
                                  f"choose a year in that range")


def monthly_needed(specs: Iterable[KpiSpec]) -> tuple[str, ...]:
    """The monthly KPIs that ``specs`` are computed from, sorted."""
    return tuple(sorted({k for spec in specs for k in spec.monthly}))


def kpi_values(monthly: Mapping[str, np.ndarray], specs: Sequence[KpiSpec], *,
               thresholds: Thresholds) -> dict[str, np.ndarray]:
    """Return each KPI per run: name -> ``(runs,)``.

    Parameters
    ----------
    monthly
        Monthly KPIs ``(months, runs)`` from month 0 (January 2014), with
        :func:`monthly_needed` among them.
    specs
        The KPIs.
    thresholds
        The scenario's thresholds: COA occupancy above ``coa_occupancy`` persons, or above
        ``coa_occupancy_share`` of the regular places when that is ``None``; Ter Apel above
        ``ter_apel``.
    """
    months = next(iter(monthly.values())).shape[0]
    dates = month_dates(months)
    years = np.asarray(dates.year)
    period = np.asarray((dates >= SCENARIO_PERIOD[0]) & (dates <= SCENARIO_PERIOD[1]))
    n_years = len(set(years[period]))
    out = {}
    for spec in specs:
        values = sum(monthly[k] for k in spec.monthly)
        if spec.table and spec.base in YEARLY:
            rows = years == spec.year
            how = YEARLY[spec.base][1]
            out[spec.name] = values[rows].mean(axis=0) if how == "mean" else values[rows].sum(0)
        elif spec.table and spec.base.startswith("cost_"):
            out[spec.name] = values[period].sum(axis=0) / n_years / 1e6
        elif spec.base == "coa_peak":
            out[spec.name] = monthly["coa_occupancy_total"][period].max(axis=0)
        elif spec.base == "coa_months_above_threshold":
            coa = monthly["coa_occupancy_total"]
            limit = (thresholds.coa_occupancy if thresholds.coa_occupancy is not None
                     else thresholds.coa_occupancy_share * monthly["coa_regular_capacity"])
            out[spec.name] = (coa > limit)[period].sum(axis=0).astype(float)
        elif spec.base == "ter_apel_months_above_threshold":
            above = monthly["ter_apel_occupancy"] > thresholds.ter_apel
            out[spec.name] = above[period].sum(axis=0).astype(float)
        else:  # a monthly KPI: a year, or the scenario period
            rows = period if spec.year is None else years == spec.year
            flow = KPIS[spec.base].aggregation == "flow"
            per_year = n_years if spec.year is None else 1
            out[spec.name] = (values[rows].sum(axis=0) / per_year if flow
                              else values[rows].mean(axis=0))
    return out


def as_shown(spec: KpiSpec, values: np.ndarray) -> np.ndarray:
    """Round a kpis.csv column as kpis.csv shows it (EUR million and weeks to one decimal,
    the rest to whole numbers); a monthly KPI is returned unrounded."""
    if not spec.table:
        return np.asarray(values, dtype=float)
    decimals = 1 if spec.base.endswith("_meur") or spec.base == "ind_wait_weeks" else 0
    return np.round(np.asarray(values, dtype=float), decimals)

"""Run scenarios side by side and summarise them in a KPI table and a cost table.

:func:`compare` loads scenarios by name or file, runs them on a session
(:func:`sdmodel.runs.prepare`, :func:`sdmodel.runs.run_scenarios`) and summarises them with
:func:`kpi_table` and :func:`cost_table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sdmodel.calendar import REPORT_YEAR, SCENARIO_PERIOD
from sdmodel.engine import Engine
from sdmodel.errors import AsielketenError
from sdmodel.names import COST_ACTORS
from sdmodel.runs import Session, prepare, run_with_events

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.uncertainty import Uncertainty
    from sdmodel.scaleout import Pool
    from sdmodel.scenarios.scenario import Scenario

TABLE_COLUMNS: dict[str, str] = {
    "coa_peak": "highest COA occupancy in the scenario period (persons)",
    "coa_peak_month": "month of that peak (YYYY-MM)",
    "coa_2030": "COA occupancy, average of 2030 (persons)",
    "coa_emergency_2030": "of which in emergency reception, average of 2030 (persons)",
    "coa_months_above_threshold": "months in 2026-2035 with COA occupancy above the threshold",
    "ter_apel_months_above_threshold": "months in 2026-2035 with Ter Apel above its threshold",
    "ind_backlog_2030": "IND pending asylum applications, average of 2030 (cases)",
    "ind_wait_weeks_2030": "IND waiting time, average of 2030 (weeks)",
    "court_backlog_2030": "pending asylum and status appeals, average of 2030 (cases)",
    "status_holders_waiting_2030": "status holders in COA waiting for a home, 2030 (persons)",
    "status_holders_beyond_14_weeks_2030": "of whom waiting beyond 14 weeks, 2030 (persons)",
    "undocumented_on_street_2030": "people without residence rights on the street, 2030",
    "reassessments_2030": "permit reassessments in 2030 (persons per year)",
    "housing_outflow_2030": "status holders housed in 2030 (persons per year)",
    **{f"cost_{actor}_meur": f"cost of {actor}, average per year 2026-2035 (EUR million)"
       for actor in COST_ACTORS},
    "cost_total_meur": "total cost, average per year 2026-2035 (EUR million)",
}
"""The columns of kpis.csv after ``scenario``, with their meaning."""


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    scenarios
        The scenarios, in the order given.
    results
        Scenario name -> monthly KPIs (index ``date``, as ``ChainModel.run`` returns them).
    kpis
        One row per scenario (see :data:`TABLE_COLUMNS`).
    costs
        Long table ``scenario, year, actor, cost_eur`` for the years of the scenario period.
    session
        The model, calibration and defaults used.
    uncertainty
        The uncertainty bands over the same scenarios (``samples > 0``), or ``None``.
    headline
        The headline check of each scenario's central run against its ensemble
        (:func:`sdmodel.analysis.headline.headline_table`; ``samples > 0``), or ``None``.
    events
        When the scenarios' rules fired and ended in the central runs (``run`` = scenario;
        see :func:`sdmodel.runs.run_with_events`).
    sample_events
        With samples: the same for every sampled future (``run`` = sample row, then
        ``scenario``; :func:`sdmodel.analysis.rule_ensemble.ensemble_events`).
    """

    scenarios: tuple[Scenario, ...]
    results: dict[str, pd.DataFrame]
    kpis: pd.DataFrame
    costs: pd.DataFrame
    session: Session
    uncertainty: Uncertainty | None = None
    headline: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    sample_events: pd.DataFrame | None = None

    @property
    def samples(self) -> int:
        """Latin-hypercube samples per scenario behind the bands (0 without them)."""
        return 0 if self.uncertainty is None else len(self.uncertainty.design)


def kpi_table(results: dict[str, pd.DataFrame], scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """Return one row per scenario with the columns of :data:`TABLE_COLUMNS`.

    Occupancies, backlogs and waiting people are averages of the monthly values of
    :data:`~sdmodel.calendar.REPORT_YEAR`; flows are that year's totals; months above a threshold
    count the month starts of the scenario period (2026-2035) above the scenario's threshold; costs
    are averages per calendar year over the period, in EUR million.
    """
    import pandas as pd

    rows = []
    for scenario in scenarios:
        frame = results[scenario.name].loc[SCENARIO_PERIOD[0]:SCENARIO_PERIOD[1]]
        year = frame.loc[str(REPORT_YEAR)]
        coa = frame["coa_occupancy_total"]
        limits = scenario.thresholds
        coa_limit = (limits.coa_occupancy if limits.coa_occupancy is not None
                     else limits.coa_occupancy_share * frame["coa_regular_capacity"])
        row = {
            "scenario": scenario.name,
            "coa_peak": coa.max(),
            "coa_peak_month": coa.idxmax().strftime("%Y-%m"),
            "coa_2030": year["coa_occupancy_total"].mean(),
            "coa_emergency_2030": year["coa_occupancy_emergency"].mean(),
            "coa_months_above_threshold": int((coa > coa_limit).sum()),
            "ter_apel_months_above_threshold": int(
                (frame["ter_apel_occupancy"] > limits.ter_apel).sum()),
            "ind_backlog_2030": year["ind_pending_asylum"].mean(),
            "ind_wait_weeks_2030": year["ind_average_wait_weeks"].mean(),
            "court_backlog_2030": (year["court_appeals_pending"]
                                   + year["court_status_appeals_pending"]).mean(),
            "status_holders_waiting_2030": year["coa_status_holders_waiting"].mean(),
            "status_holders_beyond_14_weeks_2030": year["status_holders_beyond_norm"].mean(),
            "undocumented_on_street_2030": year["undocumented_on_street"].mean(),
            "reassessments_2030": year["reassessments"].sum(),
            "housing_outflow_2030": year["status_holders_housed"].sum(),
        }
        annual = frame.groupby(frame.index.year).sum()
        total = 0.0
        for actor, columns in COST_ACTORS.items():
            value = annual[list(columns)].sum(axis=1).mean() / 1e6
            row[f"cost_{actor}_meur"] = value
            total += value
        row["cost_total_meur"] = total
        rows.append(row)
    table = pd.DataFrame(rows, columns=["scenario", *TABLE_COLUMNS])
    return _rounded(table)


def cost_table(results: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Return the cost per actor per calendar year of the scenario period (long format).

    Columns ``scenario, year, actor, cost_eur``; actors as in :data:`~sdmodel.names.COST_ACTORS`.
    """
    import pandas as pd

    rows = []
    for name, frame in results.items():
        period = frame.loc[SCENARIO_PERIOD[0]:SCENARIO_PERIOD[1]]
        annual = period.groupby(period.index.year).sum()
        for year, values in annual.iterrows():
            for actor, columns in COST_ACTORS.items():
                rows.append({"scenario": name, "year": int(year), "actor": actor,
                             "cost_eur": round(float(values[list(columns)].sum()))})
    return pd.DataFrame(rows, columns=["scenario", "year", "actor", "cost_eur"])


def compare(
    scenarios: Sequence[str | Path],
    *,
    model_path: Path | str | None = None,
    calibration: str | None = None,
    session: Session | None = None,
    engine: Engine | None = None,
    samples: int = 0,
    seed: int | None = None,
    pool: Pool | None = None,
) -> Comparison:
    """Load scenarios by name or file, run them with the calibrated parameters, summarise them.

    Parameters
    ----------
    scenarios
        Scenario names in ``models/scenarios/`` or TOML files.
    model_path
        The .mdl file (ignored when ``session`` is given).
    calibration
        Which calibrated constants to use (see :func:`sdmodel.runs.prepare`; ignored with
        ``session``).
    session
        A prepared model (see :func:`sdmodel.runs.prepare`), to reuse across calls.
    engine
        ``"numba"``, ``"numpy"`` or ``"pysd"``; ``None``: the fastest batch backend (see
        :func:`sdmodel.runs.run_scenarios`).
    samples
        Latin-hypercube samples of the assumptions per scenario for uncertainty bands
        (:func:`sdmodel.analysis.uncertainty.run_uncertainty`); 0 for none.
    seed
        Seed of the sample design; ``None`` draws one (recorded in the bands).
    pool
        Where the samples run (:class:`sdmodel.scaleout.Pool`; default: in this process); the
        bands are the same.

    Raises
    ------
    AsielketenError
        For no scenarios, a scenario file that does not load, duplicate names, or a single
        sample.
    """
    from sdmodel.scenarios.scenario import load_scenario

    if not scenarios:
        raise AsielketenError("give at least one scenario, e.g. baseline alle-maatregelen")
    session = session or prepare(model_path, calibration=calibration)
    loaded = tuple(load_scenario(name, model=session.model) for name in scenarios)
    runs = run_with_events(loaded, session, engine=engine)
    results = runs.results
    bands = headline = sample_events = None
    if samples:
        from sdmodel.analysis.headline import headline_table
        from sdmodel.analysis.uncertainty import run_uncertainty

        bands = run_uncertainty(loaded, session, samples=samples, seed=seed, pool=pool)
        headline = headline_table(loaded, results, bands.sample_kpis)
        if any(s.rules for s in loaded):  # when the rules fire in each sampled future
            import pandas as pd

            from sdmodel.analysis.rule_ensemble import ensemble_events

            sampled = [ensemble_events(s, session, design=bands.design,
                                       params=bands.parameters).assign(scenario=s.name)
                       for s in loaded if s.rules]
            sample_events = pd.concat(sampled, ignore_index=True)
    return Comparison(loaded, results, kpi_table(results, loaded), cost_table(results), session,
                      bands, headline, runs.events, sample_events)


def _rounded(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for column in out.columns:
        if column.endswith("_meur") or column == "ind_wait_weeks_2030":
            out[column] = out[column].astype(float).round(1)
        elif column not in ("scenario", "coa_peak_month") and not column.startswith("coa_months"):
            out[column] = out[column].astype(float).round(0).astype(int)
    return out

"""The numbers behind the briefing figures: yearly costs and flows, schedules, calibration errors.

Everything here is plain pandas on the monthly KPI table (``ChainModel.run`` or
:func:`sdmodel.runs.run_scenarios`): flows and costs are monthly totals, so a calendar
year is the sum of its twelve months; only whole years are reported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np
import pandas as pd

from sdmodel.errors import AsielketenError
from sdmodel.names import COST_KPIS

if TYPE_CHECKING:
    from sdmodel.scenarios.scenario import Scenario

FLOW_COLUMNS: tuple[str, ...] = ("inflow", "decisions", "grants", "housed", "departures")
"""The yearly flows through the chain (see :func:`yearly_flows`)."""
DEPARTURE_COLUMNS: tuple[str, ...] = (
    "departures_independent_verified", "departures_forced", "departures_unsupervised",
)
SCHEDULE_COLUMNS: tuple[str, ...] = (
    "lever", "kind", "start", "ramp_months", "intensity", "amount", "milestones",
)
"""Columns of a schedule table (the optimizer's ``schedule.csv``)."""
SCHEDULE_KINDS: tuple[str, ...] = ("measure", "capacity")


def whole_years(results: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of the calendar years that ``results`` covers with all twelve months."""
    counts = results.groupby(results.index.year).size()
    full = counts.index[counts == 12]
    return results[results.index.year.isin(full)]


def yearly_costs(results: pd.DataFrame) -> pd.DataFrame:
    """Return the cost per actor per calendar year in EUR (whole years only).

    Parameters
    ----------
    results
        Monthly KPIs with the columns of :data:`COST_KPIS` (EUR per month; missing columns
        count as zero).

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (int), one column per entry of :data:`COST_KPIS`.
    """
    frame = whole_years(results)
    columns = {c: frame[c] if c in frame else 0.0 * frame.iloc[:, 0] for c in COST_KPIS}
    table = pd.DataFrame(columns).groupby(frame.index.year).sum()
    table.index.name = "year"
    return table


def yearly_flows(results: pd.DataFrame) -> pd.DataFrame:
    """Return the flows through the chain per calendar year (whole years only).

    Columns: ``inflow`` (``asylum_inflow_total``: first and subsequent applications, nareis,
    resettlement), ``decisions`` (IND first-instance decisions), ``grants`` (decisions times the
    month's grant rate), ``housed`` (status holders housed), ``departures`` (verified
    independent, forced and unsupervised departures). Index ``year`` (int).
    """
    frame = whole_years(results)
    flows = pd.DataFrame({
        "inflow": frame["asylum_inflow_total"],
        "decisions": frame["ind_first_instance_decisions"],
        "grants": frame["ind_first_instance_decisions"] * frame["ind_grant_rate"],
        "housed": frame["status_holders_housed"],
        "departures": frame[list(DEPARTURE_COLUMNS)].sum(axis=1),
    })
    table = flows.groupby(frame.index.year).sum()
    table.index.name = "year"
    return table


# -- schedules ------------------------------------------------------------------------------------


def lever_title(lever: str, kind: str, lang: str) -> str:
    """Return the display name of a measure or capacity lever (its key if unknown)."""
    from sdmodel.scenarios.measures import LEVERS, MEASURES

    item = MEASURES.get(lever) if kind == "measure" else LEVERS.get(lever)
    if item is None:
        return lever
    return item.title if lang == "nl" else item.title_en


def lever_unit(lever: str, lang: str) -> str:
    """Return the display unit of a capacity lever's amount (``""`` if unknown)."""
    from sdmodel.figures.labels import TEXT
    from sdmodel.scenarios.measures import LEVERS

    item = LEVERS.get(lever)
    if item is None:
        return ""
    key = f"unit_{item.unit}"
    return TEXT[key][lang] if key in TEXT else item.unit


def schedule_table(scenario: Scenario) -> pd.DataFrame:
    """Return the active measures and capacity funding of ``scenario`` as a schedule table.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`SCHEDULE_COLUMNS`; ``start`` as Timestamp, ``milestones`` a tuple of
        ``(Timestamp, intensity)``; ``amount`` is NaN for measures, ``intensity`` 1 for capacity.
    """
    rows = [
        {"lever": m.measure.name, "kind": "measure", "start": m.schedule.start,
         "ramp_months": m.schedule.ramp_months, "intensity": m.schedule.intensity,
         "amount": np.nan, "milestones": m.schedule.milestones}
        for m in scenario.active_measures
    ]
    rows += [
        {"lever": c.lever.name, "kind": "capacity", "start": c.schedule.start,
         "ramp_months": c.schedule.ramp_months, "intensity": c.schedule.intensity,
         "amount": c.amount, "milestones": c.schedule.milestones}
        for c in scenario.capacity if c.amount and not c.schedule.is_zero
    ]
    return _schedule_frame(rows)


def planned_schedule() -> pd.DataFrame:
    """Return the planned (or assumed) schedule of every measure of
    :mod:`sdmodel.scenarios.measures`."""
    from sdmodel.scenarios.measures import MEASURES

    rows = [
        {"lever": m.name, "kind": "measure", "start": m.planned.start,
         "ramp_months": m.planned.ramp_months, "intensity": m.planned.intensity,
         "amount": np.nan, "milestones": m.planned.milestones}
        for m in MEASURES.values()
    ]
    return _schedule_frame(rows)


def read_schedule(path: str | Path | TextIO) -> pd.DataFrame:
    """Read a schedule CSV (the optimizer's ``schedule.csv``) into a schedule table.

    Milestones may be empty, a JSON list of ``[date, intensity]`` pairs, or ``date:intensity``
    items separated by ``;``.

    Raises
    ------
    DataFileError
        If a column is missing, a kind is not measure/capacity, or a date, number or milestone
        cannot be read; the message names the file and line.
    """
    from sdmodel.errors import DataFileError

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in SCHEDULE_COLUMNS if c not in frame.columns]
    if missing:
        raise DataFileError(f"{path} line 1: missing column(s) {', '.join(missing)}; expected "
                            f"{','.join(SCHEDULE_COLUMNS)}")
    rows = []
    for line, record in enumerate(frame.to_dict(orient="records"), start=2):
        try:
            if record["kind"] not in SCHEDULE_KINDS:
                raise ValueError(f"kind '{record['kind']}' is not measure or capacity")
            rows.append({
                "lever": record["lever"].strip(), "kind": record["kind"],
                "start": dt.date.fromisoformat(record["start"].strip()),
                "ramp_months": _number(record["ramp_months"], 0.0),
                "intensity": _number(record["intensity"], 1.0),
                "amount": _number(record["amount"], np.nan),
                "milestones": parse_milestones(record["milestones"]),
            })
        except ValueError as err:
            raise DataFileError(f"{path} line {line}: {err}; see the schedule.csv columns "
                                f"{','.join(SCHEDULE_COLUMNS)}") from err
    return _schedule_frame(rows)


def parse_milestones(value: str) -> tuple[tuple[pd.Timestamp, float], ...]:
    """Parse milestones: ``""``, JSON ``[["2027-07-01", 0.25]]`` or ``"2027-07-01:0.25; ..."``."""
    value = (value or "").strip()
    if not value or value in ("[]", "()"):
        return ()
    if value.startswith("["):
        pairs = json.loads(value)
    else:
        pairs = [re.split(r"[:=]", item.strip(), maxsplit=1) for item in value.split(";")
                 if item.strip()]
    out = []
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(f"milestone {pair!r} is not date:intensity")
        out.append((pd.Timestamp(dt.date.fromisoformat(str(pair[0]).strip())), float(pair[1])))
    return tuple(out)


def _number(value: str, default: float) -> float:
    value = str(value).strip()
    return default if value == "" else float(value)


def _schedule_frame(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(SCHEDULE_COLUMNS))
    frame["start"] = pd.to_datetime(frame["start"])
    frame["milestones"] = [tuple((pd.Timestamp(d), float(v)) for d, v in m)
                           for m in frame["milestones"]]
    frame["end"] = [start + pd.DateOffset(days=round(ramp * 30.4375))
                    for start, ramp in zip(frame["start"], frame["ramp_months"], strict=True)]
    return frame.sort_values(["start", "kind", "lever"], kind="stable").reset_index(drop=True)


# -- calibration ----------------------------------------------------------------------------------


def calibration_errors(
    results: pd.DataFrame, observations: pd.DataFrame, series: Sequence[str]
) -> pd.DataFrame:
    """Return the mean absolute percentage error of the model per observed stock series.

    Observed stock values (``kind == "stock"``, non-zero) inside the run are compared with the
    model value at the nearest month start.

    Returns
    -------
    pandas.DataFrame
        Columns ``series, n, mape`` (a fraction); series without observations are left out.
    """
    rows = []
    for name in series:
        obs = observations[(observations["series"] == name) & (observations["kind"] == "stock")
                           & (observations["value"] != 0)]
        dates = pd.DatetimeIndex(pd.to_datetime(obs["period_end"]))
        inside = (dates >= results.index.min()) & (dates <= results.index.max())
        obs, dates = obs[inside], dates[inside]
        if obs.empty or name not in results:
            continue
        model = results[name].reindex(dates, method="nearest").to_numpy()
        errors = np.abs(model - obs["value"].to_numpy()) / np.abs(obs["value"].to_numpy())
        rows.append({"series": name, "n": len(obs), "mape": float(errors.mean())})
    return pd.DataFrame(rows, columns=["series", "n", "mape"])


def require_columns(frame: pd.DataFrame, columns: Sequence[str], *, what: str) -> None:
    """Raise :class:`AsielketenError` naming the columns of ``columns`` missing in ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AsielketenError(f"{what} lacks the column(s) {', '.join(missing)}")


# -- the optimizer's output folder ----------------------------------------------------------------

OPTIMIZED_FILES: dict[str, tuple[str, ...]] = {
    "schedule.csv": SCHEDULE_COLUMNS,
    "capacity_plan.csv": ("year", "lever", "amount", "cost_eur"),
    "kpis.csv": ("plan",),
    "pareto.csv": ("budget_eur", "cost_eur", "exceedance_person_months",
                   "share_futures_meeting_threshold"),
    "convergence.csv": ("generation", "best", "mean"),
    "ensemble_band.csv": ("date", "q05", "q25", "q50", "q75", "q95"),
    "adaptive_vs_fixed.csv": ("plan", "cost_mean_eur", "share_futures_meeting_all"),
    "adaptive_rules.csv": ("rule", "when", "then", "until", "share_fired", "median_fire_date"),
}
"""The files of an ``asielketen optimize`` output folder and the columns the briefing reads."""


@dataclass(frozen=True)
class Optimized:
    """An optimizer output folder, read for the briefing (absent files are ``None``).

    Attributes
    ----------
    path
        The folder.
    schedule
        Schedule table (see :func:`read_schedule`) of the optimised plan.
    capacity_plan
        ``year, lever, amount, cost_eur``.
    kpis
        One row per plan (``plan``: ``unoptimised``, ``optimised``) with KPI columns.
    pareto
        ``budget_eur, cost_eur, exceedance_person_months, share_futures_meeting_threshold``.
    convergence
        ``generation, best, mean``.
    band
        Quantiles of COA occupancy over the inflow ensemble: index ``date``, columns ``q05, q25,
        q50, q75, q95``.
    manifest
        The folder's manifest.json (empty if absent).
    adaptive, adaptive_rules
        With rules in the spec: the adaptive vs fixed table and the chosen rules with their
        firing (see :mod:`sdmodel.optimize.adaptive`).
    """

    path: Path
    schedule: pd.DataFrame | None = None
    capacity_plan: pd.DataFrame | None = None
    kpis: pd.DataFrame | None = None
    pareto: pd.DataFrame | None = None
    convergence: pd.DataFrame | None = None
    band: pd.DataFrame | None = None
    manifest: dict = field(default_factory=dict)
    adaptive: pd.DataFrame | None = None
    adaptive_rules: pd.DataFrame | None = None


def load_optimized(path: Path | str) -> Optimized:
    """Read an optimizer output folder (the files of :data:`OPTIMIZED_FILES` that are present).

    Raises
    ------
    DataFileError
        If the folder does not exist or holds none of the files, or a file lacks a column.
    """
    from sdmodel.errors import DataFileError

    folder = Path(path)
    if not folder.is_dir():
        raise DataFileError(f"{folder}: no such folder; give the --out folder of "
                            "'asielketen optimize'")
    present = [name for name in OPTIMIZED_FILES if (folder / name).is_file()]
    if not present:
        raise DataFileError(f"{folder} holds none of {', '.join(OPTIMIZED_FILES)}; is it the "
                            "output folder of 'asielketen optimize'?")
    tables: dict[str, pd.DataFrame] = {}
    for name in present:
        if name == "schedule.csv":
            tables[name] = read_schedule(folder / name)
            continue
        frame = pd.read_csv(folder / name)
        missing = [c for c in OPTIMIZED_FILES[name] if c not in frame.columns]
        if missing:
            raise DataFileError(f"{folder / name} line 1: missing column(s) "
                                f"{', '.join(missing)}; expected {','.join(OPTIMIZED_FILES[name])}")
        tables[name] = frame
    band = tables.get("ensemble_band.csv")
    if band is not None:
        band = band.assign(date=pd.to_datetime(band["date"])).set_index("date")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() \
        else {}
    return Optimized(folder, schedule=tables.get("schedule.csv"),
                     capacity_plan=tables.get("capacity_plan.csv"), kpis=tables.get("kpis.csv"),
                     pareto=tables.get("pareto.csv"), convergence=tables.get("convergence.csv"),
                     band=band, manifest=manifest, adaptive=tables.get("adaptive_vs_fixed.csv"),
                     adaptive_rules=tables.get("adaptive_rules.csv"))

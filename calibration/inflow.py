"""Monthly history of first asylum applications, and the MPP inflow band, as Vensim lookups.

History (``asylum_first_applications``: first-time applicants, without nareis and repeat
applications) is built from the preferred rows of ``observations.csv`` inside the window
(default 2014-01 .. 2025-12). Every row is a total over whole calendar months and may become an
exact linear constraint on the monthly values. Rows are considered in this order:

1. annual totals: the anchors, always used;
2. a full set of four calendar quarters of a year: used, rescaled proportionally to the annual
   total when their sum differs (2021: CBS quarters sum to 24,745, the annual row is 24,740);
3. single months (mostly IND), in file order;
4. other multi-month spans (a lone quarter, half-years, year-to-date, Jan-Aug, ...), longest
   first. Spans come after months because a span informs a month only through a difference with
   other totals, so a definitional gap between sources (IND year-to-date first releases vs CBS
   quarters) would land wholesale in one month.

A row already implied by the rows used so far is ``implied`` when it agrees within 1e-9
relative (a check that holds in the result) and ``rejected`` otherwise; a row that adds
information is ``used`` if the rows used still admit every month >= 1 person (checked by linear
programming), else ``rejected``. :func:`first_application_constraints` lists every candidate
with its status and reason.

Between the constraints the months follow the smoothest path in month-on-month growth: a
multiplicative Boot-Feibes-Lisman method that minimises ``sum((log x[t+1] - log x[t])**2)``
subject to every used total being met exactly (solved with SLSQP in ``log x``, so months stay
positive, then corrected to machine precision). Every annual total, (rescaled) quarter and other
used row is preserved exactly; months without their own figure get a smooth, mass-preserving
shape across year boundaries rather than a flat spread. That shape is interpolation, not data:
in 2014-2016 only the annual totals and one or two single months fix the within-year profile.

Definitions differ between rows (Eurostat annual 2014 and 2016, RVK annual 2017, CBS otherwise,
IND monthly figures): the ``basis`` and ``source`` columns of
:func:`monthly_first_applications` name the rows behind each month, so this stays visible.

The MPP band (:func:`calibration.mpp.mpp_band`) is total asylum inflow (first + nareis +
resettlement + repeat), not first applications; the MPP gives low and high only, so ``mid`` is an
assumption (the midpoint). ``python -m calibration.inflow`` prints the Vensim equations of both
(written by :mod:`calibration.lookups`); this module is the front door the .mdl names.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog, minimize

from calibration.lookups import months_between, vensim_safe, vensim_with_lookup
from calibration.mpp import mpp_band
from sdmodel.calendar import TIME_ZERO
from sdmodel.data.observations import load_observations
from sdmodel.errors import DataFileError

SERIES = "asylum_first_applications"
REL_TOL = 1e-9
MIN_MONTH = 1.0  # persons/month: the smoothing works on logarithms, so months stay > 0
_PUBLISHERS = ("Eurostat", "CBS", "IND", "COA", "RVK", "JenV", "AIDA", "Rekenkamer")
_CONSTRAINT_COLUMNS = [
    "line", "period_start", "period_end", "level", "label", "value", "target", "status",
    "reason", "source",
]


def _label(note: str, source: str, quality: str) -> str:
    """Short publisher label of a row, e.g. ``'CBS'``, ``'RVK (secondary)'`` or ``'derived'``."""
    hits = [(m.start(), m.group(0)) for p in _PUBLISHERS for m in re.finditer(rf"\b{p}\b", note)]
    hits += [(len(note) + m.start(), m.group(1).upper())
             for m in re.finditer(r"//(?:www\.)?(cbs|ind|coa)\.nl", source)]
    publisher = min(hits)[1] if hits else ""
    if quality == "primary":
        return publisher or "other"
    return f"{publisher} ({quality})" if publisher else quality


def _candidates(path: Path | str | None, start: pd.Timestamp, n: int) -> pd.DataFrame:
    """Preferred first-application flows that lie inside the window, with month indices."""
    obs = load_observations(path, preferred_only=True)
    file = Path(path).name if path else "observations.csv"
    end = start + pd.DateOffset(months=n)
    rows = obs[(obs["series"] == SERIES) & (obs["kind"] == "flow")
               & (obs["period_start"] >= start) & (obs["period_end"] < end)].copy()
    for row in rows.itertuples():
        if row.period_start.day != 1:
            raise DataFileError(f"{file} line {row.line}, field 'period_start': "
                                f"{row.period_start.date()} is not the first of a month; a flow "
                                "used for the inflow history must cover whole months")
        if row.period_end != row.period_end + pd.offsets.MonthEnd(0):
            raise DataFileError(f"{file} line {row.line}, field 'period_end': "
                                f"{row.period_end.date()} is not the last day of a month; a flow "
                                "used for the inflow history must cover whole months")
    rows["i0"] = [months_between(start, t) for t in rows["period_start"]]
    rows["i1"] = [months_between(start, t) + 1 for t in rows["period_end"]]
    length = rows["i1"] - rows["i0"]
    calendar_q = (rows["period_start"].dt.month % 3 == 1) & (length == 3)
    rows["level"] = np.select(
        [(length == 12) & (rows["period_start"].dt.month == 1), calendar_q, length == 1],
        ["annual", "quarter", "month"],
        default="span",
    )
    rows["label"] = [_label(r.note, r.source, r.quality) for r in rows.itertuples()]
    return rows.sort_values("line").reset_index(drop=True)


def _assess(a: np.ndarray, b: np.ndarray, row: np.ndarray, value: float) -> tuple[str, str]:
    """Classify a candidate constraint ``row @ x = value`` against the accepted ``a @ x = b``."""
    if len(b) and np.linalg.matrix_rank(np.vstack([a, row])) == np.linalg.matrix_rank(a):
        implied = float(row @ np.linalg.lstsq(a, b, rcond=None)[0])
        if abs(implied - value) <= REL_TOL * max(abs(value), 1.0):
            return "implied", f"agrees with the total implied by the rows used ({implied:.6g})"
        return "rejected", f"the rows used imply {implied:.6g} for this period"
    result = linprog(np.zeros(row.size), A_eq=np.vstack([a, row]), b_eq=np.append(b, value),
                     bounds=(MIN_MONTH, None), method="highs")
    if result.status != 0:
        return "rejected", f"with the rows used it would force some month below {MIN_MONTH:g}"
    return "used", ""


def _select(rows: pd.DataFrame, n: int) -> pd.DataFrame:
    """Decide for each candidate row whether it is used, implied or rejected."""
    rows = rows.assign(target=rows["value"].astype(float), status="", reason="")
    a = np.zeros((0, n))
    b = np.zeros(0)

    def accept(idx: int) -> None:
        nonlocal a, b
        vec = np.zeros(n)
        vec[rows.at[idx, "i0"]:rows.at[idx, "i1"]] = 1.0
        status, reason = _assess(a, b, vec, rows.at[idx, "target"])
        rows.loc[idx, ["status", "reason"]] = [status, reason or rows.at[idx, "reason"]]
        if status == "used":
            a, b = np.vstack([a, vec]), np.append(b, rows.at[idx, "target"])

    for idx in rows.index[rows["level"] == "annual"]:
        accept(idx)
    full_sets = []
    quarters = rows[rows["level"] == "quarter"]
    for year, group in quarters.groupby(quarters["period_start"].dt.year):
        if len(group) != 4:
            continue
        annual = rows[(rows["level"] == "annual") & (rows["status"] == "used")
                      & (rows["period_start"].dt.year == year)]
        if len(annual):
            factor = annual["target"].iloc[0] / group["value"].sum()
            if abs(factor - 1.0) > REL_TOL:
                rows.loc[group.index, "target"] = group["value"] * factor
                rows.loc[group.index, "reason"] = (f"full set of quarters rescaled x{factor:.6f} "
                                                   f"to the annual total (line "
                                                   f"{annual['line'].iloc[0]})")
        full_sets.extend(group.index)
    for idx in full_sets:
        accept(idx)
    rest = rows.drop(index=[*full_sets, *rows.index[rows["level"] == "annual"]])
    for idx in rest.index[rest["level"] == "month"]:
        accept(idx)
    spans = rest[rest["level"] != "month"]
    spans = spans.assign(length=spans["i1"] - spans["i0"]).sort_values(
        ["length", "line"], ascending=[False, True])
    for idx in spans.index:
        accept(idx)
    return rows


def _smooth(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Multiplicative Boot-Feibes-Lisman: min sum (log x[t+1] - log x[t])**2 s.t. a @ x = b.

    Solved in ``y = log x`` with SLSQP (so every month stays positive), then corrected by a
    multiplicative least-change step so that ``a @ x = b`` holds to machine precision.
    """
    diff = np.diff(np.eye(n), axis=0)
    hessian = 2.0 * diff.T @ diff
    start = np.linalg.lstsq(a, b, rcond=None)[0]
    start = np.maximum(start, 0.1 * float(np.median(np.abs(start))) + MIN_MONTH)
    result = minimize(
        lambda y: (float(y @ hessian @ y) / 2.0, hessian @ y),
        np.log(start),
        jac=True,
        method="SLSQP",
        constraints=[{
            "type": "eq",
            "fun": lambda y: a @ np.exp(y) / b - 1.0,
            "jac": lambda y: a * np.exp(y) / b[:, None],
        }],
        options={"maxiter": 1000, "ftol": 1e-12},
    )
    x = np.exp(result.x)
    # least change in x / x_hat that restores the totals exactly: x = x_hat * (1 + a.T @ mu)
    mu = np.linalg.solve((a * x) @ a.T, b - a @ x)
    x = x * (1.0 + a.T @ mu)
    if not result.success or (x <= 0).any() or np.abs(a @ x - b).max() > REL_TOL * b.max():
        raise RuntimeError(f"inflow smoothing did not converge: {result.message}")
    return x


def _build(path: Path | str | None, start: str, end: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    t0 = pd.Timestamp(start).to_period("M").to_timestamp()
    n = months_between(t0, pd.Timestamp(end)) + 1
    if n < 1:
        raise ValueError(f"end {end} is before start {start}; give end >= start")
    rows = _select(_candidates(path, t0, n), n)
    used = rows[rows["status"] == "used"]
    covered = np.zeros(n, dtype=bool)
    for r in used.itertuples():
        covered[r.i0:r.i1] = True
    if not covered.all():
        gap = (t0 + pd.DateOffset(months=int(np.argmin(covered)))).strftime("%Y-%m")
        raise DataFileError(f"{Path(path).name if path else 'observations.csv'}: no preferred "
                            f"{SERIES} row covers {gap}; add an annual row or shorten the window")
    a = np.zeros((len(used), n))
    for k, r in enumerate(used.itertuples()):
        a[k, r.i0:r.i1] = 1.0
    values = _smooth(a, used["target"].to_numpy(), n)
    held = rows[rows["status"].isin(["used", "implied"])]
    held = held.assign(length=held["i1"] - held["i0"]).sort_values(["length", "line"],
                                                                   ascending=[False, True])
    pieces = [(r.i0, r.i1, r.source,
               f"{r.level if r.level != 'span' else f'{r.period_start:%b}-{r.period_end:%b}'} "
               f"{r.label} (line {r.line})") for r in held.itertuples()]
    basis = [" + ".join(p[3] for p in pieces if p[0] <= i < p[1]) for i in range(n)]
    sources = [" ; ".join(dict.fromkeys(p[2] for p in pieces if p[0] <= i < p[1]))
               for i in range(n)]
    monthly = pd.DataFrame({
        "date": pd.date_range(t0, periods=n, freq="MS"),
        "value": values,
        "basis": basis,
        "source": sources,
    })
    return rows[_CONSTRAINT_COLUMNS].copy(), monthly


def first_application_constraints(
    *, path: Path | str | None = None, start: str = "2014-01", end: str = "2025-12"
) -> pd.DataFrame:
    """List the observation rows considered for the monthly history and what became of each.

    Parameters
    ----------
    path
        ``observations.csv`` to read; default the shipped file.
    start, end
        First and last month of the window (``YYYY-MM``); only rows inside it are considered.

    Returns
    -------
    pandas.DataFrame
        One row per candidate: ``line, period_start, period_end, level`` (annual, quarter,
        span or month), ``label`` (publisher), ``value`` (as observed), ``target`` (after
        rescaling a full set of quarters), ``status`` (used, implied or rejected), ``reason``
        and ``source``.

    Raises
    ------
    DataFileError
        As :func:`monthly_first_applications`.
    """
    return _build(path, start, end)[0]


def monthly_first_applications(
    *, path: Path | str | None = None, start: str = "2014-01", end: str = "2025-12"
) -> pd.DataFrame:
    """Build the monthly series of first asylum applications (method: module docstring).

    Parameters
    ----------
    path
        ``observations.csv`` to read; default the shipped file.
    start, end
        First and last month (``YYYY-MM``); every month must be covered by a preferred row.

    Returns
    -------
    pandas.DataFrame
        ``date`` (month start), ``value`` (persons/month), ``basis`` (the rows that fix the
        month, coarsest first, with their CSV line) and ``source`` (their source fields).

    Raises
    ------
    DataFileError
        If the file is invalid, a row does not cover whole months, or a month of the window is
        covered by no preferred row.
    RuntimeError
        If the smoothing fails to converge (not seen with the shipped data).
    """
    return _build(path, start, end)[1]


def _history_comment(constraints: pd.DataFrame, monthly: pd.DataFrame, time0: str) -> str:
    held = constraints[constraints["status"].isin(["used", "implied"])]
    rejected = constraints.loc[constraints["status"] == "rejected", "line"].astype(str)
    sources = dict.fromkeys(s.strip() for src in held["source"] for s in src.split(" ; "))
    first, last = monthly["date"].iloc[0], monthly["date"].iloc[-1]
    annual = ", ".join(f"{r.period_start.year} {r.label}" for r in
                       held[held["level"] == "annual"].sort_values("period_start").itertuples())
    return vensim_safe(
        f"First asylum applications per month ({SERIES}: first-time applicants, without nareis "
        f"and repeat applications), {first:%Y-%m} to {last:%Y-%m}; time in months since "
        f"{time0}. Built from observations.csv preferred rows by calibration/inflow.py: annual "
        "totals are exact anchors; a full set of CBS quarters is rescaled to the annual total; "
        "single months, then other spans (half-years, year-to-date), are exact constraints "
        "when consistent with those; months in between follow the smoothest path in "
        "month-on-month growth (multiplicative Boot-Feibes-Lisman), so every total used is "
        "preserved; that within-year shape is interpolation, not data. Rows not used as "
        f"inconsistent: observations.csv lines {', '.join(rejected) or 'none'}. Annual "
        f"anchors: {annual}. Step lookup: the value holds within each month (exact monthly "
        "totals for a TIME STEP that divides a month and is >= 1/512 month); after "
        f"{last:%Y-%m} it holds the last value. Sources: {' ; '.join(sources)}"
    )


def inflow_equations(
    *,
    observations: Path | str | None = None,
    forecasts: Path | str | None = None,
    issued: str = "2025-09-26",
    time0: str = TIME_ZERO.isoformat(),
) -> str:
    """Vensim equations for the first-application history and the MPP band (low, mid, high).

    Parameters
    ----------
    observations, forecasts
        The data files; default the shipped ones.
    issued
        Issue date of the MPP band.
    time0
        The calendar date of model time 0.

    Returns
    -------
    str
        Four equations: ``first applications history`` and ``MPP inflow low/mid/high``, all in
        persons/Month, separated by blank lines.
    """
    constraints, monthly = _build(observations, "2014-01", "2025-12")
    parts = [vensim_with_lookup("first applications history", monthly, units="persons/Month",
                                comment=_history_comment(constraints, monthly, time0),
                                time0=time0)]
    band = mpp_band(issued, path=forecasts)
    dates = pd.to_datetime([f"{y}-01-01" for y in band["year"]])
    sources = " ; ".join(dict.fromkeys(band["source"]))
    years = f"{band['year'].iloc[0]}-{band['year'].iloc[-1]}"
    for level in ("low", "mid", "high"):
        per_year = ", ".join(f"{y}: {v:.0f}" for y, v in zip(band["year"], band[level],
                                                             strict=True))
        what = ("assumption: midpoint of the MPP low and high (the MPP publishes no mid); "
                if level == "mid" else "")
        comment = vensim_safe(
            f"{what}MPP inflow band ({level}) issued {issued}: total asylum inflow (first "
            "applications + nareis + resettlement + repeat applications, NOT first applications "
            f"alone) per year / 12, persons/year {per_year}; time in months since {time0}. "
            "assumption: spread evenly over the months of each year (the MPP gives annual "
            f"totals); assumption: after {years[-4:]} the {years[-4:]} level is held constant "
            f"(no MPP figure); before {years[:4]} the lookup returns the {years[:4]} level (not "
            f"for use). Source: forecasts.csv lines {', '.join(map(str, band['line']))}; "
            f"{sources}"
        )
        series = pd.Series(band[level].to_numpy() / 12.0, index=dates)
        parts.append(vensim_with_lookup(f"MPP inflow {level}", series, units="persons/Month",
                                        comment=comment, time0=time0))
    return "\n".join(parts)


if __name__ == "__main__":
    print(inflow_equations())

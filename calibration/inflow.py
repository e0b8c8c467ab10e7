"""Monthly history of first asylum applications, and the MPP inflow band, as Vensim lookups.

History (``asylum_first_applications``: first-time applicants, without nareis and repeat
applications) is built from the preferred rows of ``observations.csv`` that lie inside the window
(default 2014-01 .. 2025-12). Every row is a total over whole calendar months and becomes an
exact linear constraint on the monthly values, accepted in this order:

1. annual totals: the anchors, always used;
2. a full set of four calendar quarters of a year: used, rescaled proportionally to the annual
   total when their sum differs (CBS quarters vs the annual row; the factor is reported);
3. other multi-month rows (a lone quarter, half-years, year-to-date, Jan-Aug, ...), longest
   first, then single months, each in file order. A row already implied by the rows accepted so
   far is kept as a check (``implied``) when it agrees within 1e-9 relative, else ``rejected``
   (e.g. an IND year-to-date first release that disagrees with CBS quarters); a row that adds
   information is ``used`` only when the accepted rows still admit a non-negative solution
   (checked by linear programming), else ``rejected``.

Within the accepted constraints the months follow the smoothest path: the Boot-Feibes-Lisman
method, which minimises the sum of squared month-to-month changes subject to every accepted
total being met exactly (the equality-constrained quadratic problem is solved through its KKT
system). Should a month come out negative, it is fixed at zero and the problem solved again.
So every annual total, every (rescaled) quarter and every accepted row is preserved exactly,
and months without their own figure get a smooth, mass-preserving shape rather than a flat
spread. :func:`first_application_constraints` lists every candidate row with its status.

Definitions differ between the rows (Eurostat annual 2014 and 2016, RVK annual 2017, CBS
otherwise; IND monthly figures): the ``basis`` and ``source`` columns of
:func:`monthly_first_applications` name the rows behind each month, so this stays visible.

The MPP band (:func:`mpp_band`) is total asylum inflow (first + nareis + resettlement + repeat),
not first applications; the MPP publishes low and high only, so ``mid`` is an assumption (the
midpoint). Run ``python -m calibration.inflow`` to print the Vensim equations.
"""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog, minimize

from calibration.observations import load_forecasts, load_observations
from sdmodel.errors import DataFileError

SERIES = "asylum_first_applications"
MPP_SERIES = "asylum_inflow_total"
STEP_EPS = 0.001  # a value holds on [t, t_next - STEP_EPS]; see vensim_lookup
REL_TOL = 1e-9
MIN_MONTH = 1.0  # persons/month: the smoothing works on logarithms, so months stay > 0
_PUBLISHERS = ("Eurostat", "CBS", "IND", "COA", "RVK", "JenV", "AIDA", "Rekenkamer")
_CONSTRAINT_COLUMNS = [
    "line", "period_start", "period_end", "level", "label", "value", "target", "status",
    "reason", "source",
]


def _months_between(t0: pd.Timestamp, t: pd.Timestamp) -> int:
    return (t.year - t0.year) * 12 + t.month - t0.month


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
    rows["i0"] = [_months_between(start, t) for t in rows["period_start"]]
    rows["i1"] = [_months_between(start, t) + 1 for t in rows["period_end"]]
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
    n = _months_between(t0, pd.Timestamp(end)) + 1
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
    basis, sources = [], []
    for i in range(n):
        over = held[(held["i0"] <= i) & (held["i1"] > i)]
        over = over.assign(length=over["i1"] - over["i0"]).sort_values("length", ascending=False)
        parts = []
        for r in over.itertuples():
            level = r.level if r.level != "span" else (
                f"{r.period_start:%b}-{r.period_end:%b}")
            parts.append(f"{level} {r.label} (line {r.line})")
        basis.append(" + ".join(parts))
        sources.append(" ; ".join(dict.fromkeys(over["source"])))
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
    """
    return _build(path, start, end)[1]

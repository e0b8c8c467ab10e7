"""The fit report (Markdown): parameters and intervals, fit statistics, back-test, unused data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from calibration.command import CalibrationResult

KEY_SERIES = ("coa_occupancy_total", "coa_status_holders_waiting", "ind_pending_asylum",
              "ind_pending_nareis", "departures_unsupervised", "departures_forced",
              "departures_independent_verified")


def _num(value: float, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    return f"{value:.{digits}g}"


def markdown_table(frame: pd.DataFrame) -> str:
    """Render a DataFrame as a Markdown table (index as the first column)."""
    frame = frame.reset_index()
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join([header, rule, *body])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return _num(value)
    return str(value).replace("|", "/")


def statistics_table(stats: pd.DataFrame) -> pd.DataFrame:
    """Format per-series statistics for the report (key series first)."""
    order = [s for s in KEY_SERIES if s in stats.index] + [
        s for s in stats.index if s not in KEY_SERIES]
    out = stats.loc[order, ["rows", "mape", "r2", "rmse", "um", "us", "uc"]].copy()
    out.columns = ["rows", "MAPE %", "R2", "RMSE", "U^M", "U^S", "U^C"]
    return out.round({"MAPE %": 1, "R2": 2, "RMSE": 0, "U^M": 2, "U^S": 2, "U^C": 2})


def parameter_table(result: CalibrationResult) -> pd.DataFrame:
    """Estimates with bootstrap and Wald intervals, bounds and identification."""
    t = result.intervals.table
    level = f"{result.intervals.confidence:.0%}"
    return pd.DataFrame({
        "estimate": t["value"].map(_num),
        f"{level} interval (bootstrap)": [f"[{_num(lo)}, {_num(hi)}]"
                                          for lo, hi in zip(t["low"], t["high"], strict=True)],
        "Wald": [f"[{_num(lo)}, {_num(hi)}]"
                 for lo, hi in zip(t["wald_low"], t["wald_high"], strict=True)],
        "bounds": [f"[{_num(lo)}, {_num(hi)}]" for lo, hi in zip(t["min"], t["max"], strict=True)],
        "at bound": t["at_bound"],
        "identified by (share of information)": t["identified_by"],
    }, index=t.index)


def render(result: CalibrationResult) -> str:
    """Return the whole fit report as Markdown."""
    fit, iv = result.fit, result.intervals
    lines = [
        "# Calibration report",
        "",
        f"- model: `{result.manifest['model']['path']}` (sha256 "
        f"`{result.manifest['model']['sha256'][:12]}`), data sha256 "
        f"`{str(result.manifest['data_sha256'])[:12]}`",
        f"- method: {fit.method}, seed {fit.seed}, {len(fit.starts)} start(s), "
        f"evaluator: {result.evaluator}, {fit.nfev} model runs in the search",
        f"- fitted rows: {len(result.rows)} of {result.rows['series'].nunique()} series"
        + (f", observations up to {result.backtest.cutoff.date()} (back-test)"
           if result.backtest else ""),
        f"- cost 0.5 * sum(r^2) = {fit.cost:.5g}; search: {fit.message}",
        f"- wall time: {result.wall_time:.0f} s (search {fit.wall_time:.0f} s, bootstrap of "
        f"{len(iv.replicates)} refits {result.timings.get('intervals', 0):.0f} s)",
        "",
        "## Estimated parameters",
        "",
        f"Interval: {iv.confidence:.0%} percentile interval of {len(iv.replicates)} wild-bootstrap "
        "refits (Rademacher sign flips of the fitted errors); Wald: s^2 (J'J)^-1 at the estimate. "
        "'identified by' gives the series that carry most of the parameter's information "
        "(sum of squared Jacobian entries).",
        "",
        markdown_table(parameter_table(result)),
        "",
    ]
    tied = [f"'{t}' = '{p.name}'" for p in result.parameters for t in p.tied]
    if tied:
        lines += [f"Tied: {', '.join(tied)}.", ""]
    if result.warnings:
        lines += ["## Warnings", "", *[f"- {w}" for w in result.warnings], ""]
    lines += [
        "## Fit per series",
        "",
        "MAPE in percent; R2 = squared correlation; Theil shares of the MSE: U^M bias, "
        "U^S unequal variation, U^C unequal covariation (a good fit puts most in U^C). Flows are "
        "compared as totals over their periods, so a series mixing annual and quarterly rows "
        "mixes scales in RMSE and Theil.",
        "",
        markdown_table(statistics_table(result.statistics)),
        "",
    ]
    if result.backtest is not None:
        bt = result.backtest
        lines += [
            f"## Back-test: fit before {bt.cutoff.date()}, forecast after",
            "",
            f"Held-back rows: {len(bt.rows)} ({bt.straddling} rows straddle the cutoff and are "
            "in neither set). The forecast uses the actual inflow after the cutoff.",
            "",
            markdown_table(statistics_table(bt.statistics)),
            "",
        ]
    lines += [
        "## Observations not used",
        "",
        markdown_table(result.not_used_summary.set_index("series")),
        "",
        "## Files",
        "",
        "`parameters.csv` (estimates, intervals; tied constants as extra rows), "
        "`statistics.csv`, `observations_fit.csv` (each row with the model value and band), "
        "`starts.csv`, `bootstrap.csv`, `identification.csv`, `calibration.toml` (as used), "
        "`fit_*.png`, `manifest.json`"
        + (", `backtest.csv`, `backtest_statistics.csv`" if result.backtest else "") + ".",
        "",
    ]
    return "\n".join(lines)

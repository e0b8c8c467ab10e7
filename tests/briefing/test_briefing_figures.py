"""Briefing figures: every figure renders headless in Dutch and English, findings follow the
numbers, numbers are formatted the Dutch way in Dutch."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sdmodel.briefing import figures as FB
from sdmodel.briefing import findings as F
from sdmodel.briefing.data import (
    parse_milestones,
    planned_schedule,
    read_schedule,
    yearly_costs,
    yearly_flows,
)
from sdmodel.briefing.plans import fig_gantt, fig_pareto
from sdmodel.briefing.scenarios import fig_fan
from sdmodel.errors import DataFileError
from sdmodel.figures.formats import (
    format_count,
    format_euro,
    format_month,
    format_number,
    format_percent,
)
from sdmodel.figures.marks import law_dates
from sdmodel.names import KPIS

LANGS = ("nl", "en")


def synthetic_results(*, coa_scale: float = 1.0, cost_scale: float = 1.0) -> pd.DataFrame:
    """Monthly KPIs shaped like ``ChainModel.run`` (2014-01 .. 2035-12), smooth and positive."""
    dates = pd.date_range("2014-01-01", "2035-12-01", freq="MS", name="date")
    t = np.arange(len(dates), dtype=float)
    wave = 1 + 0.5 * np.sin(t / 30)
    frame = pd.DataFrame({name: 1000 * wave for name in KPIS}, index=dates)
    frame["coa_occupancy_total"] = 50_000 * wave * coa_scale
    frame["coa_occupancy_regular"] = np.minimum(frame["coa_occupancy_total"], 55_000)
    frame["coa_occupancy_emergency"] = frame["coa_occupancy_total"] - frame[
        "coa_occupancy_regular"]
    frame["coa_regular_capacity"] = 55_000.0
    frame["ter_apel_occupancy"] = 1800 + 600 * np.sin(t / 7)
    frame["ind_grant_rate"] = 0.45
    for i, name in enumerate(("cost_coa_regular", "cost_coa_emergency", "cost_ind",
                              "cost_courts", "cost_dtv", "cost_flexible_housing")):
        frame[name] = cost_scale * 1e8 / (i + 1) * (1 + t / 500)
    return frame


def synthetic_schedule() -> pd.DataFrame:
    text = ("lever,kind,start,ramp_months,intensity,amount,milestones\n"
            "two_status,measure,2026-06-12,12,1,,2026-12-01:0.25;2027-03-01:0.5\n"
            "eu_pact,measure,2026-06-12,0,1,,\n"
            "coa_places,capacity,2027-01-01,24,1,8000,[]\n")
    return read_schedule(io.StringIO(text))


def synthetic_pareto(*, shift: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame({
        "budget_eur": [1e9, 2e9, 3e9, 4e9],
        "cost_eur": [0.9e9, 1.8e9, 2.9e9, 3.9e9],
        "exceedance_person_months": np.array([90_000, 40_000, 20_000, 12_000]) + shift,
        "share_futures_meeting_threshold": [0.1, 0.5, 0.8, 0.95],
    })


def synthetic_band(*, level: float = 60_000) -> pd.DataFrame:
    dates = pd.date_range("2014-01-01", "2035-12-01", freq="MS", name="date")
    mid = level * (1 + 0.2 * np.sin(np.arange(len(dates)) / 25))
    spread = np.linspace(0.02, 0.4, len(dates))
    return pd.DataFrame({"q05": mid * (1 - spread), "q25": mid * (1 - spread / 2), "q50": mid,
                         "q75": mid * (1 + spread / 2), "q95": mid * (1 + spread)}, index=dates)


@pytest.fixture(scope="module")
def observations() -> pd.DataFrame:
    from sdmodel.data.observations import load_observations

    return load_observations()


def _render(fig, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=40)
    assert path.stat().st_size > 5_000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def _title(fig) -> str:
    return " ".join(fig._suptitle.get_text().split())


# -- every figure renders, in both languages -----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_briefing_figure_renders_headless(lang: str, tmp_path: Path, observations) -> None:
    results = synthetic_results()
    schedule = synthetic_schedule()
    figures = {
        "dashboard": FB.fig_dashboard(results, observations, lang=lang, scenario="test"),
        "costs": FB.fig_costs(results, lang=lang),
        "flows": FB.fig_flows(results, lang=lang),
        "calibration": FB.fig_calibration(results, observations, lang=lang),
        "gantt": fig_gantt(schedule, lang=lang),
        "pareto": fig_pareto(synthetic_pareto(), lang=lang, chosen=(1.8e9, 40_000)),
        "fan": fig_fan({"test": synthetic_band()}, lang=lang, results=results,
                       threshold=60_000, samples=50),
    }
    findings = {
        "dashboard": F.finding_dashboard(results, lang=lang),
        "costs": F.finding_costs(results, lang=lang),
        "flows": F.finding_flows(results, lang=lang),
        "calibration": F.finding_calibration(results, observations,
                                             list(FB.CALIBRATION_SERIES), lang=lang),
        "gantt": F.finding_gantt(schedule, lang=lang),
        "pareto": F.finding_pareto(synthetic_pareto(), lang=lang),
        "fan": F.finding_fan(synthetic_band(), lang=lang, threshold=60_000),
    }
    for name, fig in figures.items():
        _render(fig, tmp_path, f"{name}_{lang}")
        assert _title(fig).startswith(findings[name]), name  # the title states the finding
        fig.savefig(tmp_path / f"{name}.svg")  # SVG as well
        assert (tmp_path / f"{name}.svg").read_text().startswith("<?xml")


@pytest.mark.parametrize("lang", LANGS)
def test_panels_draw_into_a_given_axes(lang: str, tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(16, 9), layout="constrained")
    axes = fig.subplots(2, 2).ravel()
    results = synthetic_results()
    assert FB.fig_costs(results, lang=lang, ax=axes[0]) is fig
    assert FB.fig_flows(results, lang=lang, ax=axes[1]) is fig
    assert fig_gantt(synthetic_schedule(), lang=lang, ax=axes[2]) is fig
    assert fig_pareto(synthetic_pareto(), lang=lang, ax=axes[3]) is fig
    assert axes[0].get_title(loc="left").replace("\n", " ") == F.finding_costs(results, lang=lang)
    _render(fig, tmp_path, "panels")


def test_gantt_of_the_planned_schedule_and_of_an_empty_one(tmp_path: Path) -> None:
    plan = planned_schedule()
    fig = fig_gantt(plan, planned=True)
    assert _title(fig).startswith("Volgens planning starten")
    _render(fig, tmp_path, "planned")
    empty = fig_gantt(plan.iloc[:0])
    assert "geen maatregelen" in _title(empty)
    _render(empty, tmp_path, "empty")


# -- findings follow the numbers -----------------------------------------------------------------


def test_coa_finding_changes_with_the_numbers() -> None:
    low, high = synthetic_results(), synthetic_results(coa_scale=1.5)
    peak_low = low.loc["2026":, "coa_occupancy_total"].max()
    peak_high = high.loc["2026":, "coa_occupancy_total"].max()
    assert F.finding_coa(low) != F.finding_coa(high)
    assert format_count(peak_low, "nl") in F.finding_coa(low)
    assert format_count(peak_high, "nl") in F.finding_coa(high)
    assert "boven de reguliere capaciteit" in F.finding_coa(high)
    assert format_count(peak_high, "en") in F.finding_coa(high, lang="en")


def test_cost_flow_pareto_fan_and_gantt_findings_change_with_the_numbers() -> None:
    one, two = synthetic_results(), synthetic_results(cost_scale=2.0, coa_scale=1.3)
    assert F.finding_costs(one) != F.finding_costs(two)
    totals = yearly_costs(two).sum(axis=1)
    assert format_euro(totals.loc[2035], "nl") in F.finding_costs(two)
    busy = two.copy()
    busy["asylum_inflow_total"] *= 3
    assert F.finding_flows(one) != F.finding_flows(busy)
    assert format_count(yearly_flows(busy).loc[2030, "inflow"], "nl") in F.finding_flows(busy)
    assert F.finding_pareto(synthetic_pareto()) != F.finding_pareto(synthetic_pareto(shift=5e3))
    assert F.finding_fan(synthetic_band()) != F.finding_fan(synthetic_band(level=80_000))
    later = synthetic_schedule().assign(start=lambda f: f["start"] + pd.DateOffset(years=1))
    later["end"] = later["end"] + pd.DateOffset(years=1)
    assert F.finding_gantt(synthetic_schedule()) != F.finding_gantt(later)


def test_findings_handle_flat_fronts_and_steady_costs() -> None:
    flat = synthetic_pareto().assign(exceedance_person_months=10_000.0)
    assert "niet" in F.finding_pareto(flat)
    steady = synthetic_results()
    for column in ("cost_coa_regular", "cost_coa_emergency", "cost_ind", "cost_courts",
                   "cost_dtv", "cost_flexible_housing"):
        steady[column] = 1e7
    assert "blijven rond" in F.finding_costs(steady)
    assert "stays at about" in F.finding_costs(steady, lang="en")


# -- Dutch number formats ------------------------------------------------------------------------


def test_numbers_are_formatted_the_dutch_way_in_dutch() -> None:
    assert format_number(1234.5, "nl") == "1.234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(-0.01, "nl", decimals=1) == "0,0"
    assert format_count(63_012, "nl") == "63.000"
    assert format_count(63_012, "en") == "63,000"
    assert format_percent(0.283, "nl", decimals=1) == "28,3%"
    assert format_euro(2.14e9, "nl") == "€ 2,1 mld"
    assert format_euro(2.14e9, "en") == "EUR 2.1 bn"
    assert format_euro(3.5e7, "nl") == "€ 35,0 mln"
    assert format_month(pd.Timestamp("2024-03-01"), "nl") == "maart 2024"
    assert format_month(pd.Timestamp("2024-03-01"), "en") == "March 2024"


def test_axis_ticks_use_dutch_separators() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = FB.fig_costs(synthetic_results(), lang="nl")
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert any("," in label for label in labels), labels
    assert not any("." in label for label in labels), labels
    fig_en = FB.fig_costs(synthetic_results(), lang="en")
    FigureCanvasAgg(fig_en).draw()
    labels_en = [t.get_text() for t in fig_en.axes[0].get_yticklabels() if t.get_text()]
    assert any("." in label for label in labels_en), labels_en


# -- data helpers --------------------------------------------------------------------------------


def test_law_dates_come_from_the_timeline() -> None:
    events = law_dates()
    assert pd.Timestamp("2026-06-12") in set(events["date"])
    assert events["date"].is_monotonic_increasing
    # the two extensions of the decision period (Aug and Sep 2022) become one marker
    assert (events["measure"] == "decision_period").sum() == 1


def test_yearly_tables_sum_whole_years_only() -> None:
    results = synthetic_results().iloc[:-3]  # 2035 incomplete
    costs = yearly_costs(results)
    assert costs.index[-1] == 2034
    expected = results.loc["2020", "cost_ind"].sum()
    assert costs.loc[2020, "cost_ind"] == pytest.approx(expected)
    flows = yearly_flows(results)
    assert flows.loc[2020, "grants"] == pytest.approx(0.45 * flows.loc[2020, "decisions"])


def test_schedule_csv_milestones_and_errors() -> None:
    schedule = synthetic_schedule()
    assert list(schedule["kind"]) == ["measure", "measure", "capacity"]
    two_status = schedule[schedule["lever"] == "two_status"].iloc[0]
    assert two_status["milestones"][1] == (pd.Timestamp("2027-03-01"), 0.5)
    assert two_status["end"] == pd.Timestamp("2027-06-12")
    assert parse_milestones('[["2027-07-01", 0.25]]') == ((pd.Timestamp("2027-07-01"), 0.25),)
    bad = io.StringIO("lever,kind,start,ramp_months,intensity,amount,milestones\n"
                      "x,policy,2026-01-01,0,1,,\n")
    with pytest.raises(DataFileError, match="line 2"):
        read_schedule(bad)
    with pytest.raises(DataFileError, match="missing column"):
        read_schedule(io.StringIO("lever,kind\nx,measure\n"))


# -- one real run --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_comparison():
    from sdmodel.analysis.compare import compare

    return compare(["baseline", "instroom-hoog"])


@pytest.mark.parametrize("lang", LANGS)
def test_figures_of_a_real_run(real_comparison, observations, lang: str, tmp_path: Path) -> None:
    from sdmodel.briefing.scenarios import fig_comparison

    results = real_comparison.results["baseline"]
    for name, fig in {
        "dashboard": FB.fig_dashboard(results, observations, lang=lang, scenario="baseline"),
        "costs": FB.fig_costs(results, lang=lang),
        "flows": FB.fig_flows(results, lang=lang),
        "calibration": FB.fig_calibration(results, observations, lang=lang),
        "comparison": fig_comparison(real_comparison.results, real_comparison.scenarios,
                                     lang=lang),
    }.items():
        _render(fig, tmp_path, f"{name}_{lang}")
    finding = F.finding_comparison(real_comparison.results, lang=lang)
    assert "instroom-hoog" in finding and "baseline" in finding

"""The monthly first-application history, its Vensim lookup, and the MPP band."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calibration import inflow, lookups, mpp
from sdmodel.data.observations import OBSERVATION_COLUMNS
from sdmodel.errors import DataFileError

ROOT = Path(__file__).resolve().parents[2]
POINT = re.compile(r"\(([-+0-9.eE]+),([-+0-9.eE]+)\)")


@pytest.fixture(scope="module")
def built() -> tuple[pd.DataFrame, pd.DataFrame]:
    return inflow._build(None, "2014-01", "2025-12")


def month_sums(monthly: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    return np.array([
        monthly.loc[monthly["date"].between(r.period_start, r.period_end), "value"].sum()
        for r in rows.itertuples()
    ])


def test_series_shape(built):
    _, monthly = built
    assert list(monthly.columns) == ["date", "value", "basis", "source"]
    assert len(monthly) == 144
    assert monthly["date"].tolist() == list(pd.date_range("2014-01-01", "2025-12-01", freq="MS"))
    assert np.isfinite(monthly["value"]).all() and (monthly["value"] > 0).all()
    assert (monthly["basis"] != "").all() and (monthly["source"] != "").all()


def test_every_annual_total_is_preserved(built):
    constraints, monthly = built
    annual = constraints[constraints["level"] == "annual"]
    assert (annual["status"] == "used").all()
    assert sorted(annual["period_start"].dt.year) == list(range(2014, 2026))
    np.testing.assert_allclose(month_sums(monthly, annual), annual["value"], rtol=1e-9)


def test_quarters_and_every_held_row_are_preserved(built):
    constraints, monthly = built
    held = constraints[constraints["status"].isin(["used", "implied"])]
    np.testing.assert_allclose(month_sums(monthly, held), held["target"], rtol=1e-9)
    quarters = held[held["level"] == "quarter"]
    full_years = quarters.groupby(quarters["period_start"].dt.year).size()
    assert set(full_years[full_years == 4].index) >= set(range(2018, 2026))
    # 2021: CBS quarters sum to 24,745 and are rescaled to the annual 24,740, keeping shares
    q2021 = quarters[quarters["period_start"].dt.year == 2021]
    assert q2021["value"].sum() == 24745 and q2021["target"].sum() == pytest.approx(24740)
    np.testing.assert_allclose(q2021["target"] / q2021["value"], 24740 / 24745)
    months = held[held["level"] == "month"]
    np.testing.assert_allclose(month_sums(monthly, months), months["value"], rtol=1e-12)


def test_rejected_rows_conflict_with_held_rows(built):
    constraints, _ = built
    rejected = constraints[constraints["status"] == "rejected"]
    assert not rejected.empty and (rejected["reason"] != "").all()
    assert set(rejected["level"]) <= {"month", "span", "quarter"}
    # the IND first-release year-to-date Jan-Sep 2022 disagrees with the CBS quarters
    ytd = rejected[(rejected["period_start"] == "2022-01-01")
                   & (rejected["period_end"] == "2022-09-30")]
    assert "imply 24790" in ytd["reason"].iloc[0]


def test_sources_stay_visible(built):
    _, monthly = built
    jan_2014 = monthly.iloc[0]
    assert jan_2014["basis"].startswith("annual Eurostat (line ")
    assert "migr_asyappctza" in jan_2014["source"]
    jan_2015 = monthly.iloc[12]
    assert jan_2015["basis"].startswith("annual CBS (line ")
    assert "cbs.nl" in jan_2015["source"]


def test_public_functions_match_build(built):
    constraints, monthly = built
    pd.testing.assert_frame_equal(inflow.monthly_first_applications(), monthly)
    pd.testing.assert_frame_equal(inflow.first_application_constraints(), constraints)


def write_observations(path: Path, rows: list[str]) -> Path:
    path.write_text(",".join(OBSERVATION_COLUMNS) + "\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def row(start: str, end: str, value: float, *, note: str = "CBS", preferred: int = 1,
        series: str = "asylum_first_applications") -> str:
    return f"{series},flow,{start},{end},{value},persons,primary,{preferred},src {note},{note}"


@pytest.fixture
def synthetic(tmp_path) -> Path:
    return write_observations(tmp_path / "observations.csv", [
        row("2013-01-01", "2013-12-31", 999),  # outside the window
        row("2014-01-01", "2014-12-31", 1200),
        row("2014-01-01", "2014-12-31", 1300, preferred=0),  # not preferred
        row("2014-01-01", "2014-03-31", 300),
        row("2014-04-01", "2014-06-30", 300),
        row("2014-07-01", "2014-09-30", 300),
        row("2014-10-01", "2014-12-31", 305),  # quarters sum to 1205: rescaled
        row("2014-02-01", "2014-02-28", 100, note="IND"),
        row("2014-05-01", "2014-05-31", 400, note="IND"),  # more than its quarter: rejected
        row("2014-01-01", "2014-06-30", 600),  # quarters imply 597.5: rejected
        row("2015-01-01", "2015-12-31", 2400),
        row("2015-03-01", "2015-03-31", 500, note="IND"),
        row("2015-12-01", "2015-12-31", 250, note="IND"),
        row("2015-01-01", "2015-11-30", 2200, note="IND"),  # implies Dec 200: rejected
        row("2015-01-01", "2015-06-30", 1000),  # new information: used
        row("2015-01-01", "2015-12-31", 5, series="nareis_arrivals"),
    ])


def test_synthetic_selection_and_preservation(synthetic):
    constraints, monthly = inflow._build(synthetic, "2014-01", "2015-12")
    status = dict(zip(constraints["line"], constraints["status"], strict=True))
    assert [status[n] for n in (3, 9, 10, 11, 12, 13, 14, 15, 16)] == [
        "used", "used", "rejected", "rejected", "used", "used", "used", "rejected", "used"]
    assert {status[n] for n in (5, 6, 7, 8)} <= {"used", "implied"}
    assert 2 not in status and 4 not in status and 17 not in status
    held = constraints[constraints["status"].isin(["used", "implied"])]
    np.testing.assert_allclose(month_sums(monthly, held), held["target"], rtol=1e-9)
    quarters = held[held["level"] == "quarter"]
    np.testing.assert_allclose(quarters["target"], quarters["value"] * 1200 / 1205)
    assert (monthly["value"] > 0).all()
    assert monthly.loc[1, "basis"] == (
        "annual CBS (line 3) + quarter CBS (line 5) + month IND (line 9)")
    assert "Jan-Jun CBS (line 16)" in monthly.loc[14, "basis"]


def test_uncovered_month_and_partial_month_rows_fail(synthetic, tmp_path):
    with pytest.raises(DataFileError, match="no preferred asylum_first_applications row covers "
                                            "2016-01"):
        inflow._build(synthetic, "2014-01", "2016-12")
    bad = write_observations(tmp_path / "bad.csv", [
        row("2014-01-01", "2014-12-31", 1200), row("2014-03-15", "2014-04-14", 100)])
    with pytest.raises(DataFileError, match=r"^bad.csv line 3, field 'period_start': 2014-03-15 "
                                            "is not the first of a month"):
        inflow.monthly_first_applications(path=bad, start="2014-01", end="2014-12")


def test_vensim_lookup_round_trips(built):
    _, monthly = built
    text = lookups.vensim_lookup(monthly)
    points = [(float(t), float(v)) for t, v in POINT.findall(text)]
    assert len(points) == 2 * 144
    times = np.array([t for t, _ in points])
    np.testing.assert_allclose(times[0::2], np.arange(144))
    np.testing.assert_allclose(times[1::2], np.arange(144) + 0.999)
    values = np.array([v for _, v in points])
    np.testing.assert_allclose(values[0::2], monthly["value"], rtol=1e-11)
    np.testing.assert_array_equal(values[0::2], values[1::2])


def test_vensim_lookup_yearly_steps_and_errors():
    yearly = pd.Series([10.0, 20.0], index=pd.to_datetime(["2025-01-01", "2026-01-01"]))
    assert lookups.vensim_lookup(yearly) == "(132,10),(143.999,10),(144,20),(155.999,20)"
    assert lookups.vensim_lookup(yearly, time0="2025-01-01").startswith("(0,10),(11.999,10)")
    with pytest.raises(ValueError, match="first of a month"):
        lookups.vensim_lookup(pd.Series([1.0], index=pd.to_datetime(["2025-01-15"])))
    with pytest.raises(ValueError, match="missing values"):
        lookups.vensim_lookup(pd.Series([np.nan], index=pd.to_datetime(["2025-01-01"])))


def test_vensim_with_lookup_text():
    monthly = pd.Series([1234.5, 10.0, 0.25], index=pd.date_range("2014-01-01", periods=3,
                                                                   freq="MS"))
    text = lookups.vensim_with_lookup("x history", monthly, units="persons/Month",
                                     comment="source: test")
    assert text.startswith("x history = WITH LOOKUP(\n\tTime,\n\t\t([(0,0)-(2.999,1300)],")
    assert text.endswith("\t~\tpersons/Month\n\t~\tsource: test\n\t|\n")
    assert [float(v) for _, v in POINT.findall(text)[2:]] == [1234.5, 1234.5, 10, 10, 0.25, 0.25]
    with pytest.raises(ValueError, match="comment contains ~"):
        lookups.vensim_with_lookup("x", monthly, units="persons", comment="a~b")


def test_mpp_band():
    band = mpp.mpp_band()
    assert list(band.columns) == ["year", "low", "high", "mid", "source", "note", "line"]
    assert band["year"].tolist() == [2025, 2026]
    assert band["low"].tolist() == [40000, 39000] and band["high"].tolist() == [55300, 67100]
    np.testing.assert_allclose(band["mid"], (band["low"] + band["high"]) / 2)
    assert band["note"].str.contains("mid: assumption: midpoint").all()
    assert band["source"].str.startswith("https://www.rijksoverheid.nl/").all()
    with pytest.raises(DataFileError, match="no asylum_inflow_total band issued 2024-01-01; "
                                            "issue dates available: .*2025-09-26"):
        mpp.mpp_band("2024-01-01")


def test_equations_text_and_main_entry_point():
    text = inflow.inflow_equations()
    names = re.findall(r"^(\S.*?) = WITH LOOKUP\(", text, flags=re.MULTILINE)
    assert names == ["first applications history", "MPP inflow low", "MPP inflow mid",
                     "MPP inflow high"]
    assert text.count("~") == 8 and text.count("|") == 4
    assert "built from observations.csv preferred rows by calibration/inflow.py".lower() in (
        " ".join(text.lower().split()))
    assert "2026 level is held constant" in " ".join(text.split())
    out = subprocess.run([sys.executable, "-m", "calibration.inflow"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    assert out == text + "\n"


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside PySD, not our code
def test_pysd_integrates_monthly_totals_exactly(tmp_path, built):
    pysd = pytest.importorskip("pysd")
    _, monthly = built
    control = "".join(
        f"{name} = {value}\n\t~\tMonth\n\t~\t{name}\n\t|\n\n"
        for name, value in (("INITIAL TIME", 0), ("FINAL TIME", 150), ("TIME STEP", 0.0625),
                            ("SAVEPER", 1))
    )
    mdl = tmp_path / "inflow_test.mdl"
    mdl.write_text(
        "{UTF-8}\n" + inflow.inflow_equations()
        + "\ncumulative = INTEG(first applications history, 0)\n\t~\tpersons\n\t~\ttest\n\t|\n\n"
        + "********************************************************\n\t.Control\n"
        + "********************************************************~\n\t\tcontrol\n\t|\n\n"
        + control,
        encoding="utf-8",
    )
    shutil.copyfile(mdl, tmp_path / "copy.mdl")  # PySD writes its .py next to the .mdl
    model = pysd.read_vensim(str(tmp_path / "copy.mdl"))
    run = model.run(return_columns=["cumulative", "MPP inflow low"])
    cumulative = run["cumulative"].to_numpy()[:145]
    np.testing.assert_allclose(np.diff(cumulative), monthly["value"], rtol=1e-8)
    assert run.loc[150.0, "MPP inflow low"] == pytest.approx(39000 / 12)

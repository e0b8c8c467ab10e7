"""The briefing: PDF pages, the optimizer folder, the findings, the ``briefing`` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from sdmodel.briefing.data import load_optimized
from sdmodel.errors import DataFileError


def pdf_page_count(path: Path) -> int:
    """Pages of a PDF: pypdf if installed, else the page objects in the bytes."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))
    return len(PdfReader(path).pages)


def make_optimized(folder: Path) -> Path:
    """A small folder shaped like the output of 'asielketen optimize'."""
    folder.mkdir()
    (folder / "schedule.csv").write_text(
        "lever,kind,start,ramp_months,intensity,amount,milestones\n"
        "two_status,measure,2027-01-01,12,0.8,,2027-07-01:0.4\n"
        "eu_pact,measure,2026-06-12,0,1,,\n"
        "coa_places,capacity,2026-07-01,18,1,6000,\n"
        "ind_staff,capacity,2026-03-01,6,1,250,\n", encoding="utf-8")
    pd.DataFrame({"year": [2026, 2027, 2027], "lever": ["ind_staff", "ind_staff", "coa_places"],
                  "amount": [250, 250, 6000], "cost_eur": [2.4e7, 2.4e7, 1.6e8]}
                 ).to_csv(folder / "capacity_plan.csv", index=False)
    pd.DataFrame({"plan": ["unoptimised", "optimised"], "coa_peak": [81_000, 66_000],
                  "cost_eur": [2.5e10, 2.7e10], "exceedance_person_months": [150_000, 30_000]}
                 ).to_csv(folder / "kpis.csv", index=False)
    pd.DataFrame({"budget_eur": [0, 1e9, 2e9, 3e9], "cost_eur": [2.5e10, 2.6e10, 2.7e10, 2.8e10],
                  "exceedance_person_months": [150_000, 70_000, 30_000, 20_000],
                  "share_futures_meeting_threshold": [0.2, 0.5, 0.8, 0.9]}
                 ).to_csv(folder / "pareto.csv", index=False)
    pd.DataFrame({"generation": [0, 1, 2], "best": [3.0, 2.0, 1.5], "mean": [5.0, 3.0, 2.0]}
                 ).to_csv(folder / "convergence.csv", index=False)
    dates = pd.date_range("2020-01-01", "2035-12-01", freq="MS")
    mid = pd.Series(range(len(dates)), dtype=float) * 50 + 40_000
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "q05": mid * 0.7, "q25": mid * 0.85,
                  "q50": mid, "q75": mid * 1.15, "q95": mid * 1.4}
                 ).to_csv(folder / "ensemble_band.csv", index=False)
    (folder / "manifest.json").write_text(json.dumps({"command": "asielketen optimize"}))
    return folder


@pytest.fixture(scope="module")
def optimized(tmp_path_factory) -> Path:
    return make_optimized(tmp_path_factory.mktemp("opt") / "result")


@pytest.fixture(scope="module")
def briefing(optimized):
    from sdmodel.briefing.build import build_briefing

    return build_briefing(["baseline", "instroom-hoog"], optimized=optimized, lang="nl",
                          samples=20)


def test_optimized_folder_is_read(optimized: Path, tmp_path: Path) -> None:
    opt = load_optimized(optimized)
    assert len(opt.schedule) == 4 and set(opt.schedule["kind"]) == {"measure", "capacity"}
    assert opt.band.index[0] == pd.Timestamp("2020-01-01")
    assert opt.manifest["command"] == "asielketen optimize"
    with pytest.raises(DataFileError, match="no such folder"):
        load_optimized(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFileError, match="holds none of"):
        load_optimized(tmp_path / "empty")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "pareto.csv").write_text("cost_eur\n1\n")
    with pytest.raises(DataFileError, match="exceedance_person_months"):
        load_optimized(tmp_path / "bad")


def test_briefing_has_the_expected_pages(briefing, tmp_path: Path) -> None:
    from sdmodel.briefing.build import write_pdf

    kinds = [kind for kind, _ in briefing.pages]
    assert kinds[0] == "title"
    figures = [k.split(":", 1)[1] for k in kinds if k.startswith("figure:")]
    assert figures == ["dashboard", "comparison", "fan_coa", "costs", "flows", "schedule",
                       "pareto", "calibration"]
    for kind in ("kpis", "plans", "capacity", "assumptions", "sources"):
        assert kind in kinds, kind
    assert kinds.index("kpis") > kinds.index("figure:calibration")
    assert kinds[-1] == "sources"
    path = write_pdf(briefing, tmp_path / "briefing.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    assert pdf_page_count(path) == briefing.page_count == len(kinds)


def test_briefing_findings_are_the_figure_titles(briefing) -> None:
    for name, fig in briefing.figures.items():
        title = " ".join(fig._suptitle.get_text().split())
        assert title.startswith(briefing.findings[name]), name
    assert "instroom-hoog" in briefing.findings["comparison"]
    assert briefing.findings["schedule"].startswith("2 maatregelen en 2 capaciteitsuitbreidingen")
    assert "persoonsmaanden" in briefing.findings["pareto"]


def test_assumptions_table_lists_every_assumption_constant(briefing) -> None:
    from sdmodel.briefing.tables import assumption_rows
    from sdmodel.runs import prepare

    session = prepare()
    doc = session.model.doc()
    marked = doc[doc["kind"].isin(["constant", "lookup"])
                 & doc["comment"].str.contains("assumption", case=False)]
    rows = assumption_rows(doc, session.defaults, session.calibration.values, lang="nl")
    assert [r[0] for r in rows] == list(marked["name"])
    assert all(r[2].startswith("[") or r[2] == "-" for r in rows)


def test_files_of_the_briefing(briefing, tmp_path: Path) -> None:
    from sdmodel.briefing.build import briefing_files

    files = briefing_files(briefing)
    for name in briefing.figures:
        assert f"{name}.png" in files and f"{name}.svg" in files
    files["findings.csv"](tmp_path / "findings.csv")
    table = pd.read_csv(tmp_path / "findings.csv")
    assert list(table["figure"]) == list(briefing.figures)


def test_briefing_command_writes_pdf_figures_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "briefing"
    result = CliRunner().invoke(main, ["briefing", "--scenario", "baseline", "--lang", "en",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    for figure in ("dashboard", "fan_coa", "costs", "flows", "calibration"):
        assert {f"{figure}.png", f"{figure}.svg"} <= names
    assert "schedule.png" not in names  # the baseline starts no measure: no schedule to show
    assert {"briefing.pdf", "kpis.csv", "findings.csv", "manifest.json"} <= names
    manifest = json.loads((out / "manifest.json").read_text())
    pages = manifest["parameters"]["pdf_pages"]
    assert pdf_page_count(out / "briefing.pdf") == len(pages)
    assert "comparison" not in manifest["parameters"]["figures"]  # one scenario: nothing to compare
    assert manifest["seed"] is not None
    again = CliRunner().invoke(main, ["briefing", "--scenario", "baseline", "--out", str(out)])
    assert again.exit_code != 0 and "--force" in again.output


def test_briefing_command_reports_a_bad_optimized_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["briefing", "--optimized", str(tmp_path / "nope"),
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "no such folder" in result.output
    assert not (tmp_path / "out").exists()


def test_default_scenarios_exist() -> None:
    from sdmodel.briefing.build import DEFAULT_SCENARIOS
    from sdmodel.scenarios.scenario import available_scenarios

    assert set(DEFAULT_SCENARIOS) <= set(available_scenarios())

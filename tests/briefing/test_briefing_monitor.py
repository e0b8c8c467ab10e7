"""The briefing's monitoring pages (``briefing --monitor DIR``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sdmodel.errors import AsielketenError


def make_monitor(folder: Path) -> Path:
    """A small folder shaped like the output of 'asielketen monitor'."""
    folder.mkdir()
    pd.DataFrame({
        "signpost": ["coa_occupancy", "ter_apel", "ind_backlog", "status_holders_beyond_norm"],
        "kpi": ["coa_occupancy_total / coa_regular_capacity", "ter_apel_occupancy",
                "ind_average_wait_weeks", "status_holders_beyond_norm"],
        "threshold": [1.0, 2000, 26, 11300], "value": [1.4, 2050, 20, 10500],
        "status": ["red", "red", "green", "amber"], "date": "2026-03-01",
        "planned": [1.45, 2080, 22, 10800], "unit": ["share", "persons", "weeks", "persons"],
        "crosses_on": ["2026-03-01", "2026-03-01", "", "2026-09-01"],
    }).to_csv(folder / "signposts.csv", index=False)
    pd.DataFrame({
        "series": ["ter_apel_occupancy", "ind_pending_asylum", "nareis_arrivals"],
        "date": ["2026-02-16", "2026-02-03", "2025-12-31"], "observed": [2100, 51000, 4370],
        "planned": [2300, 40000, 3100], "updated": [2150, 47000, 3000],
        "in_band": [True, False, False],
    }).to_csv(folder / "drift.csv", index=False)
    pd.DataFrame({"kpi": ["coa_occupancy_total"], "date": ["2026-03-01"], "planned": [60000],
                  "updated": [62000]}).to_csv(folder / "state.csv", index=False)
    (folder / "manifest.json").write_text(json.dumps({"parameters": {
        "as_of": "2026-02", "drift_from": "2025-03", "scenario": "baseline",
        "calibration": "cal-2025-03"}}), encoding="utf-8")
    return folder


@pytest.mark.slow
def test_monitor_folder_adds_the_signposts_and_the_drift_table(tmp_path: Path) -> None:
    from sdmodel.briefing.build import build_briefing

    briefing = build_briefing(["baseline"], monitor=make_monitor(tmp_path / "mon"), samples=4)
    kinds = [kind for kind, _ in briefing.pages]
    assert "figure:monitor_signposts" in kinds and "monitoring" in kinds
    finding = briefing.findings["monitor_signposts"]
    assert finding == ("2 van 4 signalen op rood: COA-bezetting / reguliere plaatsen, "
                       "Ter Apel (personen)")
    table = dict(briefing.pages)["monitoring"]
    texts = [t.get_text() for t in table.texts]
    assert any("IND: openstaande asielaanvragen" in t for t in texts)
    assert any("51.000" in t for t in texts)  # Dutch number format
    assert briefing.parameters["monitor"].endswith("mon")


def test_a_folder_that_is_not_a_monitors_is_refused(tmp_path: Path) -> None:
    from sdmodel.briefing.monitoring import load_monitor

    folder = make_monitor(tmp_path / "mon")
    (folder / "drift.csv").unlink()
    with pytest.raises(AsielketenError, match=r"drift.csv is missing; give the output folder"):
        load_monitor(folder)

"""PRIM boxes: a box planted in synthetic data is found, and read out in one sentence."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sdmodel.analysis.discovery import find_boxes
from sdmodel.analysis.readings import discovery_reading
from sdmodel.analysis.robustness_files import labelled_boxes


def _data(n: int = 2000, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.uniform(size=(n, 8)), columns=[f"p{i}" for i in range(8)])


def _table(boxes) -> pd.DataFrame:
    rows = [{"box": b.number, "coverage": b.coverage, "density": b.density,
             "parameter": lim.parameter, "low": lim.low, "high": lim.high,
             "range_low": lim.range_low, "range_high": lim.range_high} for b in boxes
            for lim in b.limits]
    return labelled_boxes(pd.DataFrame(rows), {f"p{i}": "constant" for i in range(8)},
                          lang="nl")


def test_prim_finds_the_planted_box() -> None:
    x = _data()
    rng = np.random.default_rng(5)
    planted = ((x["p1"] > 0.6) & (x["p3"] < 0.3)).to_numpy()
    noise = rng.uniform(size=len(x)) < 0.03  # 3% of the labels flipped
    y = planted ^ noise
    boxes = find_boxes(x, y, boxes=1)
    assert len(boxes) == 1
    box = boxes[0]
    limits = {lim.parameter: lim for lim in box.limits}
    assert set(limits) == {"p1", "p3"}
    assert limits["p1"].low == pytest.approx(0.6, abs=0.04) and limits["p1"].side == "above"
    assert limits["p3"].high == pytest.approx(0.3, abs=0.04) and limits["p3"].side == "below"
    assert box.coverage >= 0.8 and box.density >= 0.85
    chosen = box.trajectory.iloc[box.chosen]
    assert chosen["coverage"] == pytest.approx(box.coverage)
    assert chosen["res_dim"] == 2


def test_a_second_region_becomes_the_second_box() -> None:
    x = _data(3000)
    first = ((x["p1"] > 0.7) & (x["p3"] < 0.3)).to_numpy()
    second = ((x["p5"] > 0.8) & (x["p1"] < 0.5)).to_numpy()
    boxes = find_boxes(x, first | second, boxes=2, min_coverage=0.4)  # each ~half
    assert len(boxes) == 2
    dims = [{lim.parameter for lim in b.limits} for b in boxes]
    assert {"p1", "p3"} in dims and any("p5" in d for d in dims)


def test_noise_alone_gives_no_box() -> None:
    x = _data(1000)
    y = np.random.default_rng(2).uniform(size=len(x)) < 0.3
    assert find_boxes(x, y, boxes=2) == []


def test_the_reading_is_computed_from_the_box() -> None:
    x = _data()
    y = ((x["p1"] > 0.6) & (x["p3"] < 0.3)).to_numpy()
    table = _table(find_boxes(x, y, boxes=1))
    text = discovery_reading(table, condition="coa_2030 > 100.000", failing=int(y.sum()),
                             total=len(y), lang="nl")
    coverage = round(100 * table["coverage"].iloc[0])
    assert text.startswith(f"In {coverage}% van de toekomsten waarin coa_2030 > 100.000 (")
    assert re.search(r"p1 boven 0,(5[6-9]|6[0-4])\b", text), text
    assert re.search(r"p3 onder 0,(2[6-9]|3[0-4])\b", text), text
    assert text.endswith(f"geldt het in {round(100 * table['density'].iloc[0])}% van de "
                         "toekomsten.")
    english = discovery_reading(table, condition="coa_2030 > 100,000", failing=int(y.sum()),
                                total=len(y), lang="en")
    assert re.search(r"p1 is above 0\.(5[6-9]|6[0-4])\b", english), english


def test_the_reading_says_so_when_every_future_or_none_fails() -> None:
    empty = pd.DataFrame(columns=["box", "coverage", "density", "parameter", "low", "high"])
    assert discovery_reading(empty, condition="c", failing=300, total=300).startswith(
        "In alle 300 toekomsten geldt c")
    assert discovery_reading(empty, condition="c", failing=0, total=300).startswith(
        "In geen van de 300")
    assert "geen beperking" in discovery_reading(empty, condition="c", failing=20, total=300)

"""Objective building blocks: dates to model time, sampling matrices, weights, bound rows, loss."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.diagnostics import statistics, theil
from calibration.objective import bound_kind, rho, sampling_matrix
from sdmodel.calendar import date_to_month, time_grid


def _rows(kind: str, start: str, end: str) -> pd.DataFrame:
    start_ts, end_ts = pd.Timestamp(start), pd.Timestamp(end)
    end_day = end_ts if kind == "stock" else end_ts + pd.Timedelta(days=1)
    t1 = date_to_month(end_day)
    return pd.DataFrame({"kind": [kind], "t0": [date_to_month(start_ts)], "t1": [t1]})


def test_date_to_month():
    assert date_to_month(pd.Timestamp("2014-01-01")) == 0.0
    assert date_to_month(pd.Timestamp("2015-12-31")) == pytest.approx(23 + 30 / 31)
    assert date_to_month(pd.Timestamp("2016-02-15")) == pytest.approx(25 + 14 / 29)  # leap year


def test_flow_over_a_year_integrates_the_rate():
    times = time_grid(40.0, 0.25)
    rate = np.where(times < 12, 100.0, 200.0)  # persons per month, Euler steps held
    w = sampling_matrix(_rows("flow", "2014-01-01", "2014-12-31"), times)
    assert w @ rate == pytest.approx([1200.0])
    w = sampling_matrix(_rows("flow", "2014-07-01", "2015-06-30"), times)
    assert w @ rate == pytest.approx([6 * 100.0 + 6 * 200.0])


def test_partial_steps_and_ratio_mean():
    times = time_grid(40.0, 0.25)
    rate = np.arange(len(times), dtype=float)
    w = sampling_matrix(_rows("flow", "2014-01-15", "2014-01-15"), times)  # one day
    assert w.sum() == pytest.approx(1 / 31)
    w = sampling_matrix(_rows("ratio", "2014-03-01", "2014-05-31"), times)
    assert w.sum() == pytest.approx(1.0)
    assert w @ rate == pytest.approx(np.mean(rate[8:20]))


def test_stock_interpolates_between_steps():
    times = time_grid(40.0, 0.25)
    stock = times * 10.0
    w = sampling_matrix(_rows("stock", "2015-12-31", "2015-12-31"), times)
    assert w @ stock == pytest.approx([10.0 * (23 + 30 / 31)])


def test_bound_kind_from_note():
    assert bound_kind("month only; '>22,000' lower bound; COA reopened") == "lower"
    assert bound_kind("asylum + nareis combined; '<30,000' upper bound") == "upper"
    assert bound_kind("approximate") == ""


def test_robust_losses_match_scipy_at_small_errors():
    z = np.array([1e-8])
    for loss in ("linear", "soft_l1", "huber", "cauchy", "arctan"):
        assert rho(z, loss) == pytest.approx(z, rel=1e-6)
    assert rho(np.array([9.0]), "soft_l1") < 9.0


def test_theil_shares_sum_to_one_and_perfect_fit():
    a = np.array([10.0, 20.0, 35.0, 30.0])
    s = np.array([12.0, 18.0, 30.0, 36.0])
    assert sum(theil(a, s)) == pytest.approx(1.0)
    um, us, uc = theil(a, a * 1.1)  # proportional: no covariance error
    assert uc == pytest.approx(0.0, abs=1e-12) and um > 0.5
    stats = statistics(a, a)
    assert stats["mape"] == 0.0 and stats["r2"] == pytest.approx(1.0)

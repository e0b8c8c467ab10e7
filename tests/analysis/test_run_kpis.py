"""KPI names, the --when grammar, and per-run KPIs equal to those of kpis.csv."""

from __future__ import annotations

import numpy as np
import pytest

from sdmodel.analysis.compare import TABLE_COLUMNS
from sdmodel.analysis.condition import parse_when
from sdmodel.analysis.run_kpis import as_shown, check_years, kpi_values, parse_kpi
from sdmodel.errors import AsielketenError
from sdmodel.names import KPIS


def test_every_kpis_csv_column_and_every_monthly_kpi_is_a_kpi_name() -> None:
    for column in TABLE_COLUMNS:
        if column != "coa_peak_month":
            assert parse_kpi(column).table, column
    for name in KPIS:
        assert parse_kpi(name).year is None and not parse_kpi(name).table
        assert parse_kpi(f"{name}_2031").year == 2031
    spec = parse_kpi("coa_emergency_2032")
    assert (spec.base, spec.year, spec.table) == ("coa_emergency", 2032, True)


@pytest.mark.parametrize(("name", "fragment"), [
    ("coa_emergancy_2030", "did you mean 'coa_emergency_2030'"),
    ("coa_peak_month", "not a KPI"),
    ("cost_total", "did you mean 'cost_total_meur'"),
])
def test_an_unknown_kpi_is_one_line_with_suggestions(name: str, fragment: str) -> None:
    with pytest.raises(AsielketenError, match=fragment) as err:
        parse_kpi(name)
    assert "\n" not in str(err.value) and str(err.value).startswith(f"--kpi {name}:")


def test_a_year_outside_the_run_is_refused() -> None:
    months = 12 * 22  # 2014-2035
    check_years([parse_kpi("coa_2035"), parse_kpi("coa_2014")], months)
    with pytest.raises(AsielketenError, match="the run covers 2014-2035"):
        check_years([parse_kpi("coa_2036")], months)


@pytest.mark.parametrize(("text", "kpi", "op", "value"), [
    ("coa_emergency_2030 > 0", "coa_emergency_2030", ">", 0.0),
    ("  coa_months_above_threshold>=12 ", "coa_months_above_threshold", ">=", 12.0),
    ("cost_total_meur != -1.5e3", "cost_total_meur", "!=", -1500.0),
    ("ter_apel_occupancy_2031<.5", "ter_apel_occupancy_2031", "<", 0.5),
])
def test_when_reads_kpi_operator_number(text: str, kpi: str, op: str, value: float) -> None:
    condition = parse_when(text)
    assert (condition.kpi.name, condition.op, condition.value) == (kpi, op, value)


@pytest.mark.parametrize("text", [
    "coa_2030 >", "> 5", "coa_2030 => 5", "coa_2030 > 5 and coa_2031 > 5",
    "__import__('os').system('true') > 0", "coa_2030 > 1e", "coa_2030 > 5,5",
    "coa_2030 > 1_000", "coa_2030 = 5", "",
])
def test_a_when_that_does_not_parse_is_one_clear_line(text: str) -> None:
    with pytest.raises(AsielketenError, match="write KPI OP NUMBER") as err:
        parse_when(text)
    assert "\n" not in str(err.value)


def test_a_when_with_an_unknown_kpi_names_it() -> None:
    with pytest.raises(AsielketenError, match="--when coa_2030x: not a KPI"):
        parse_when("coa_2030x > 0")


def test_when_compares_kpis_csv_columns_as_kpis_csv_shows_them() -> None:
    condition = parse_when("coa_emergency_2030 > 0")
    assert condition.holds(np.array([1e-30, 0.4, 0.6, 5.0])).tolist() == [False, False, True,
                                                                        True]
    assert as_shown(parse_kpi("cost_total_meur"), np.array([1.04])).tolist() == [1.0]
    raw = parse_when("coa_occupancy_emergency_2030 > 0")  # a monthly KPI: unrounded
    assert raw.holds(np.array([1e-30])).tolist() == [True]


@pytest.mark.slow
def test_per_run_kpis_equal_the_kpis_csv_table() -> None:
    from sdmodel.analysis.compare import kpi_table
    from sdmodel.runs import prepare, run_scenarios
    from sdmodel.scenarios.scenario import load_scenario

    session = prepare()
    scenarios = [load_scenario(n, model=session.model)
                 for n in ("baseline", "alle-maatregelen", "instroom-laag")]
    frames = run_scenarios(scenarios, session)
    table = kpi_table(frames, scenarios).set_index("scenario")
    specs = [parse_kpi(c) for c in TABLE_COLUMNS if c != "coa_peak_month"]
    for scenario in scenarios:
        frame = frames[scenario.name]
        monthly = {k: frame[k].to_numpy()[:, None] for k in frame.columns}
        values = kpi_values(monthly, specs, thresholds=scenario.thresholds)
        for spec in specs:
            shown = as_shown(spec, values[spec.name])[0]
            assert shown == pytest.approx(float(table.loc[scenario.name, spec.name]),
                                          abs=0.051 if spec.name.endswith("_meur") else 0.5), (
                scenario.name, spec.name)

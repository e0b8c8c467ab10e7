"""Scenario files and --set options, validated against the real model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sdmodel.errors import AsielketenError, DataFileError, UnknownVariableError
from sdmodel.names import INFLOW_BAND_VARIABLE
from sdmodel.paths import SCENARIO_DIR
from sdmodel.scenarios.overrides import parse_set_option
from sdmodel.scenarios.scenario import (
    Scenario,
    available_scenarios,
    load_scenario,
    resolve_overrides,
)

CONSTANT = "base time to acquire regular capacity"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mijn-scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "band"),
    [("baseline", 0.5), ("instroom-laag", 0.0), ("instroom-midden", 0.5), ("instroom-hoog", 1.0)],
)
def test_shipped_scenarios_load(chain_model, name: str, band: float) -> None:
    scenario = load_scenario(name, model=chain_model)
    assert scenario.name == name
    assert scenario.description
    assert scenario.overrides[INFLOW_BAND_VARIABLE] == band
    assert scenario.source == SCENARIO_DIR / f"{name}.toml"


def test_baseline_writes_out_the_model_defaults(chain_model) -> None:
    """baseline.toml spells out the law as of 2025; the model's defaults must agree with it."""
    baseline = load_scenario("baseline", model=chain_model)
    pd.testing.assert_frame_equal(
        chain_model.run(baseline.overrides, until="2030-12"), chain_model.run(until="2030-12")
    )


SHIPPED = {"baseline", "instroom-laag", "instroom-midden", "instroom-hoog",
           "wetten-zoals-aangenomen", "alle-maatregelen", "gefaseerd"}


def test_shipped_scenarios_are_the_documented_seven() -> None:
    assert set(available_scenarios()) >= SHIPPED


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_scenario_loads_with_mid_band_and_thresholds(chain_model, name) -> None:
    scenario = load_scenario(name, model=chain_model)
    assert scenario.description
    assert scenario.thresholds.ter_apel == 2000


def test_laws_as_passed_follow_the_timeline(chain_model) -> None:
    """two-status and the EU Pact on; the ANMW, criminalisation, Spreidingswet repeal,
    Huisvestingswet and LVV switches off (timeline.csv, spring 2026)."""
    import datetime as dt

    scenario = load_scenario("wetten-zoals-aangenomen", model=chain_model)
    enabled = {m.measure.name: m.enabled for m in scenario.measures}
    assert enabled == {"two_status": True, "eu_pact": True, "anmw": False,
                       "huisvestingswet": False, "spreidingswet": False,
                       "criminalisation": False, "lvv": False}
    pact = next(m for m in scenario.measures if m.measure.name == "eu_pact")
    assert pact.schedule.start == dt.date(2026, 6, 12) and pact.schedule.ramp_months == 0


def test_all_measures_and_the_phased_variant(chain_model) -> None:
    from sdmodel.scenarios.measures import MEASURES

    every = load_scenario("alle-maatregelen", model=chain_model)
    assert {m.measure.name for m in every.active_measures} == set(MEASURES)
    phased = load_scenario("gefaseerd", model=chain_model)
    assert {m.measure.name for m in phased.active_measures} == set(MEASURES)
    assert any(m.schedule.milestones for m in phased.measures)
    assert [c.lever.name for c in phased.capacity] == ["ind_staff"]
    starts = {m.measure.name: m.schedule.start for m in phased.measures}
    assert starts["two_status"] > starts["eu_pact"]


def test_path_with_numeric_band_and_set(chain_model, tmp_path: Path) -> None:
    path = write(tmp_path, f'name = "x"\n[inflow]\nband = 0.25\n[set]\n"{CONSTANT}" = 12\n')
    scenario = load_scenario(path, model=chain_model)
    assert scenario.overrides == {INFLOW_BAND_VARIABLE: 0.25, CONSTANT: 12.0}
    assert scenario.source == path


def test_name_defaults_to_file_stem(chain_model, tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, "[inflow]\nband = 'low'\n"), model=chain_model)
    assert scenario.name == "mijn-scenario"


# Each case: file text, expected error type, fragments the message must contain (besides the path).
ERRORS = {
    "unknown top-level key": (
        'nmae = "x"\n', DataFileError, [":1", "unknown key 'nmae'", "did you mean 'name'",
                                        "allowed keys"],
    ),
    "unknown inflow key": (
        "[inflow]\nbnad = 'low'\n", DataFileError, [":2", "[inflow] unknown key 'bnad'",
                                              "allowed keys"],
    ),
    "unknown band word": (
        "[inflow]\nband = 'hoog'\n", DataFileError,
        [":2", "band = 'hoog'", "did you mean 'high'", "use low, mid, high"],
    ),
    "band outside 0..1": (
        "[inflow]\nband = 1.5\n", DataFileError, ["band = 1.5", "number from 0 to 1"],
    ),
    "unknown variable": (
        '[set]\n"base time to aquire regular capacity" = 12\n', UnknownVariableError,
        [":2", "'base time to aquire regular capacity'", f"did you mean '{CONSTANT}'",
         "asielketen doc"],
    ),
    "value outside range": (
        f'[set]\n"{CONSTANT}" = 1000\n', DataFileError,
        [f"'{CONSTANT}' = 1000", "outside its range [6, 48]", "choose a value in that range"],
    ),
    "not a constant": (
        '[set]\n"COA occupancy" = 5\n', DataFileError, [":2", "'COA occupancy'", "not a constant"],
    ),
    "value not a number": (
        f'[set]\n"{CONSTANT}" = "twaalf"\n', DataFileError, [f"'{CONSTANT}'", "not a number"],
    ),
    "band given twice": (
        f"[inflow]\nband = 'low'\n[set]\n\"{INFLOW_BAND_VARIABLE}\" = 1\n", DataFileError,
        [":4", "keep only one"],
    ),
    "TOML syntax": (
        'name = "x"\n[inflow\nband = "low"\n', DataFileError, ["invalid TOML", "line 2"],
    ),
    "unknown measure": (
        '[measures.tweestatus]\nstart = "2026-06-12"\n', DataFileError,
        [":1", "unknown measure 'tweestatus'", "did you mean 'two_status'", "known measures"],
    ),
    "unknown key in a measure": (
        '[measures.anmw]\nramp_monhts = 6\n', DataFileError,
        [":2", "[measures.anmw]", "'ramp_monhts'", "did you mean 'ramp_months'"],
    ),
    "impossible date": (
        '[measures.eu_pact]\nstart = "2026-02-30"\n', DataFileError,
        [":2", "[measures.eu_pact]", "start", "not a calendar date"],
    ),
    "date in the history": (
        '[measures.eu_pact]\nstart = "2024-06-12"\n', DataFileError,
        [":2", "start = 2024-06-12", "outside the scenario period 2026-01-01 to 2036-01-01"],
    ),
    "effect size outside its range": (
        '[measures.anmw]\nsubsequent_factor = 1.2\n', DataFileError,
        [":2", "subsequent_factor = 1.2", "outside its range [0.4, 1] factor"],
    ),
    "intensity above one": (
        '[measures.anmw]\nstart = "2026-07-01"\nintensity = 1.5\n', DataFileError,
        [":3", "intensity = 1.5 is outside [0, 1]"],
    ),
    "milestone outside the ramp": (
        '[measures.anmw]\nramp_months = 6\nmilestones = [["2030-01-01", 0.5]]\n',
        DataFileError, [":3", "milestone 2030-01-01 lies outside the ramp"],
    ),
    "enabled not a boolean": (
        '[measures.anmw]\nenabled = "nee"\n', DataFileError, [":2", "true or false"],
    ),
    "unknown lever": (
        "[capacity.ind_staf]\namount = 10\n", DataFileError,
        [":1", "unknown capacity lever 'ind_staf'", "did you mean 'ind_staff'"],
    ),
    "lever without amount": (
        '[capacity.ind_staff]\nstart = "2026-06-01"\n', DataFileError, [":1", "has no amount"],
    ),
    "lever amount outside its range": (
        "[capacity.coa_places]\namount = 90000\n", DataFileError,
        [":2", "amount = 90000 is outside its range [0, 50000] place"],
    ),
    "unknown threshold": (
        "[thresholds]\nter_appel = 2000\n", DataFileError,
        [":2", "'ter_appel'", "did you mean 'ter_apel'"],
    ),
    "two COA thresholds": (
        "[thresholds]\ncoa_occupancy = 60000\ncoa_occupancy_share = 1.0\n", DataFileError,
        [":3", "keep only one"],
    ),
    "policy input in set": (
        '[set]\n"housing priority share" = 0\n', DataFileError,
        [":2", "would change a policy input from 2014 on", "[measures.huisvestingswet]"],
    ),
    "band and custom inflow": (
        "[inflow]\nband = 'mid'\nfirst_applications_per_month = [['2026-01-01', 2000]]\n",
        DataFileError, [":3", "keep only one"],
    ),
    "custom inflow out of order": (
        "[inflow]\nfirst_applications_per_month = [['2027-01-01', 2000], ['2026-06-01', 1]]\n",
        DataFileError, [":2", "the dates must increase"],
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_invalid_scenarios_name_file_key_and_fix(chain_model, tmp_path: Path, case: str) -> None:
    text, error, fragments = ERRORS[case]
    path = write(tmp_path, text)
    with pytest.raises(error) as info:
        load_scenario(path, model=chain_model)
    message = str(info.value)
    assert message.startswith(str(path)), message
    for fragment in fragments:
        assert fragment in message, message
    assert "\n" not in message


def test_unknown_scenario_name_lists_the_available_ones(chain_model) -> None:
    with pytest.raises(DataFileError, match="instroom-hoog") as info:
        load_scenario("instroom-hooog", model=chain_model)
    assert "did you mean 'instroom-hoog'" in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a=1", ("a", 1.0)), (f" {CONSTANT} = 12.5 ", (CONSTANT, 12.5)), ("x=-3e2", ("x", -300.0))],
)
def test_parse_set_option(text: str, expected: tuple[str, float]) -> None:
    assert parse_set_option(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("no equals sign", "is not NAME=VALUE"),
        ("=5", "is not NAME=VALUE"),
        ("a=twelve", "'twelve' is not a number"),
        ("a=1,5", "use a dot as decimal separator"),
        ("a=", "is not a number"),
        ("a=nan", "finite number"),
    ],
)
def test_parse_set_option_errors(text: str, fragment: str) -> None:
    with pytest.raises(AsielketenError, match=fragment):
        parse_set_option(text)


def test_set_options_override_the_scenario(chain_model) -> None:
    scenario = Scenario(name="s", overrides={INFLOW_BAND_VARIABLE: 0.0, CONSTANT: 12.0})
    merged = resolve_overrides(scenario, [(CONSTANT, 24.0)], model=chain_model)
    assert merged == {INFLOW_BAND_VARIABLE: 0.0, CONSTANT: 24.0}


def test_set_options_are_validated(chain_model) -> None:
    with pytest.raises(UnknownVariableError, match="--set 'nonsense'"):
        resolve_overrides(Scenario(name="s"), [("nonsense", 1.0)], model=chain_model)
    with pytest.raises(DataFileError, match="outside its range"):
        resolve_overrides(Scenario(name="s"), [(CONSTANT, -1.0)], model=chain_model)


def test_measure_table_sets_schedule_and_effect_sizes(chain_model, tmp_path: Path) -> None:
    import datetime as dt

    path = write(tmp_path, """
[measures.two_status]
start = 2027-01-01            # a TOML date works too
ramp_months = 12
intensity = 0.8
milestones = [["2027-07-01", 0.3]]
appeal_share = 0.5

[capacity.ind_staff]
amount = 150
start = "2026-03-01"
ramp_months = 6

[thresholds]
coa_occupancy = 60000
""")
    scenario = load_scenario(path, model=chain_model)
    (two,) = scenario.measures
    assert two.schedule.start == dt.date(2027, 1, 1)
    assert two.schedule.milestones == ((dt.date(2027, 7, 1), 0.3),)
    assert two.value("appeal_share") == 0.5 and two.value("revocation_share") == 0.05
    (staff,) = scenario.capacity
    assert (staff.amount, staff.schedule.ramp_months) == (150.0, 6)
    assert scenario.thresholds.coa_occupancy == 60000


def test_custom_inflow_series_replaces_the_mpp_band(chain_model, tmp_path: Path) -> None:
    path = write(tmp_path, "[inflow]\nfirst_applications_per_month = "
                           "[['2026-01-01', 1000], ['2027-01-01', 2200]]\n")
    scenario = load_scenario(path, model=chain_model)
    from sdmodel.runs import run_scenario_pysd

    result = run_scenario_pysd(chain_model, scenario, {}, until="2027-12")
    applications = result["asylum_first_applications"]
    # linear from 1000 to 2200 over 2026: the January total is the mean of its eight time steps
    assert applications["2026-01"].iloc[0] == pytest.approx(1000 + 100 * 0.4375)
    assert applications["2027-06"].iloc[0] == pytest.approx(2200)
    baseline = chain_model.run(until="2027-12")
    pd.testing.assert_frame_equal(result.loc[:"2025-12"], baseline.loc[:"2025-12"])


def test_optimisation_specs_are_not_listed_or_loaded_as_scenarios(chain_model):
    from sdmodel.errors import DataFileError
    from sdmodel.scenarios.scenario import available_scenarios, load_scenario

    assert "optimaliseer-alle-maatregelen" not in available_scenarios()
    with pytest.raises(DataFileError, match="optimisation spec.*asielketen optimize"):
        load_scenario("optimaliseer-alle-maatregelen", model=chain_model)

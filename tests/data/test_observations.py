"""Loaders of calibration/data: shipped files load; broken copies fail naming file, line, field."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sdmodel.data import observations as obs
from sdmodel.errors import DataFileError
from sdmodel.paths import DATA_DIR

DATA = DATA_DIR


def broken_copy(tmp_path: Path, name: str, line: int, **changes: str) -> Path:
    """Copy a shipped file to tmp_path with fields of one line (1-based) changed."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    record = next(csv.reader([lines[line - 1]]))
    for field, value in changes.items():
        record[header.index(field)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(record)
    lines[line - 1] = out.getvalue()
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_observations_shipped():
    all_rows = obs.load_observations(preferred_only=False)
    preferred = obs.load_observations()
    assert list(preferred.columns) == [*obs.OBSERVATION_COLUMNS, "line"]
    assert len(preferred) == int((all_rows["preferred"] == 1).sum()) < len(all_rows)
    assert set(preferred["kind"]) <= set(obs.KINDS)
    assert isinstance(preferred["period_start"].iloc[0], pd.Timestamp)
    assert pd.api.types.is_float_dtype(preferred["value"])
    first = all_rows.iloc[0]
    assert first["line"] == 2  # header is line 1
    assert first["period_start"] == pd.Timestamp("2008-01-01")
    stocks = all_rows[all_rows["kind"] == "stock"]
    assert (stocks["period_start"] == stocks["period_end"]).all()


def test_load_other_files_shipped():
    forecasts = obs.load_forecasts()
    assert forecasts["issued"].isna().any() and forecasts["mid"].isna().any()
    assert forecasts["line"].tolist() == list(range(2, len(forecasts) + 2))
    parameters = obs.load_parameters()
    assert parameters[["value", "low", "high"]].notna().any(axis=1).all()
    timeline = obs.load_timeline()
    assert set(timeline["measure"]) <= set(obs.MEASURES)
    assert isinstance(timeline["date"].iloc[0], pd.Timestamp)


@pytest.mark.parametrize(
    ("line", "changes", "field", "words"),
    [
        (17, {"period_end": "2015-13-01"}, "period_end",
         "'2015-13-01' is not an ISO date (YYYY-MM-DD)"),
        (17, {"period_start": "15/02/2013"}, "period_start", "is not an ISO date"),
        (17, {"period_end": "2013-01-31"}, "period_end", "is before period_start 2013-02-01"),
        (17, {"kind": "flwo"}, "kind", "'flwo' is not one of stock, flow, ratio"),
        (17, {"value": "1.234,5"}, "value", "'1.234,5' is not a number"),
        (17, {"value": ""}, "value", "is empty"),
        (17, {"quality": "official"}, "quality", "is not one of primary, secondary, derived"),
        (17, {"preferred": "yes"}, "preferred", "is not 0 or 1"),
        (17, {"source": " "}, "source", "is empty"),
        (17, {"kind": "stock"}, "period_end", "a stock is a count on one date"),
        (3, {"preferred": "1"}, "preferred", "second preferred row"),
        (2, {"preferred": "0"}, "preferred", "no preferred row"),
    ],
)
def test_observation_errors_name_file_line_field(tmp_path, line, changes, field, words):
    path = broken_copy(tmp_path, "observations.csv", line, **changes)
    with pytest.raises(DataFileError) as info:
        obs.load_observations(path)
    message = str(info.value)
    assert message.startswith(f"{path} line {line}, field '{field}': ")  # the file given
    assert words in message
    assert "\n" not in message


def test_two_preferred_rows_names_both_lines(tmp_path):
    path = broken_copy(tmp_path, "observations.csv", 3, preferred="1")
    with pytest.raises(DataFileError, match=r"line 3, .*\(the first is line 2\)"):
        obs.load_observations(path, preferred_only=False)


def test_missing_column_names_header_line(tmp_path):
    text = (DATA / "observations.csv").read_text(encoding="utf-8")
    path = tmp_path / "observations.csv"
    path.write_text(text.replace(",source,note\n", ",origin,note\n", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"observations.csv line 1, field 'source': column "
                                            r"missing from the header"):
        obs.load_observations(path)


def test_wrong_field_count_and_missing_file(tmp_path):
    lines = (DATA / "timeline.csv").read_text(encoding="utf-8").splitlines()
    lines[4] += ",extra"
    path = tmp_path / "timeline.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"^{path} line 5: 7 fields, expected 6"):
        obs.load_timeline(path)
    with pytest.raises(DataFileError, match="file not found"):
        obs.load_observations(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("name", "loader", "line", "changes", "field", "words"),
    [
        ("forecasts.csv", obs.load_forecasts, 2, {"issued": "26-09-2025"}, "issued",
         "is not an ISO date"),
        ("forecasts.csv", obs.load_forecasts, 2, {"low": "70000"}, "high", "is below low"),
        ("forecasts.csv", obs.load_forecasts, 2, {"period_end": ""}, "period_end",
         "give both or none"),
        ("forecasts.csv", obs.load_forecasts, 6, {"mid": ""}, "mid", "all empty"),
        ("parameters.csv", obs.load_parameters, 2, {"low": "5", "high": "1"}, "high",
         "is below low"),
        ("parameters.csv", obs.load_parameters, 2, {"value": "n/a"}, "value", "not a number"),
        ("timeline.csv", obs.load_timeline, 2, {"measure": "dwangsommen"}, "measure",
         "did you mean 'dwangsom'"),
        ("timeline.csv", obs.load_timeline, 2, {"date": "2020-02-30"}, "date",
         "is not an ISO date"),
    ],
)
def test_other_file_errors(tmp_path, name, loader, line, changes, field, words):
    path = broken_copy(tmp_path, name, line, **changes)
    with pytest.raises(DataFileError) as info:
        loader(path)
    assert str(info.value).startswith(f"{path} line {line}, field '{field}': ")
    assert words in str(info.value)


def test_data_sha256_changes_with_content(tmp_path):
    digest = obs.data_sha256()
    assert digest == obs.data_sha256(directory=DATA) and len(digest) == 64
    for name in obs.DATA_FILES:
        shutil.copyfile(DATA / name, tmp_path / name)
    assert obs.data_sha256(directory=tmp_path) == digest
    with (tmp_path / "timeline.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert obs.data_sha256(directory=tmp_path) != digest
    (tmp_path / "forecasts.csv").unlink()
    with pytest.raises(DataFileError, match="forecasts.csv: file not found"):
        obs.data_sha256(directory=tmp_path)


# -- issue 15, case 6: bad data is refused, naming the file actually given ----------------------


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"value": "31.000"}, "value", "'31.000' looks like a number with a thousands separator; "
     "write 31000 (no separators), or 31 without the trailing zeros if you mean that"),
    ({"value": "1.234.567"}, "value", "thousands separator; write 1234567"),
    ({"value": "1.250"}, "value", "thousands separator"),  # a count of people: not 1.25
    ({"period_start": "2099-01-01", "period_end": "2099-12-31"}, "period_end",
     "2099-12-31 is in the future"),
])
def test_bad_observation_values_and_dates_are_refused(tmp_path, changes, field, words):
    path = broken_copy(tmp_path, "observations.csv", 17, **changes)
    mine = path.rename(tmp_path / "my_observations.csv")
    with pytest.raises(DataFileError) as info:
        obs.load_observations(mine)
    assert str(info.value).startswith(f"{mine} line 17, field '{field}': ")
    assert words in str(info.value)


def test_a_decimal_ratio_and_parameter_are_still_read():
    assert 1.033 in obs.load_parameters()["value"].tolist()  # parameters.csv line 233


def test_observations_after_the_model_final_time_are_refused(tmp_path):
    frame = obs.load_observations()
    frame.loc[0, "period_end"] = pd.Timestamp("2041-03-31")
    with pytest.raises(DataFileError, match=r"^observations.csv line 2, field 'period_end': "
                       r"2041-03-31 lies after the model's final time \(2040-12, FINAL TIME in "
                       r"m.mdl\); correct the date or lengthen the model"):
        obs.check_within_model(frame, pd.Timestamp("2040-12-01"), model="m.mdl")
    obs.check_within_model(frame.iloc[1:], pd.Timestamp("2040-12-01"), model="m.mdl")

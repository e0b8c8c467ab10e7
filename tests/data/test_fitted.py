"""The committed default calibration (calibration/fitted/) exists and fits the current model."""

from __future__ import annotations

import pytest

from sdmodel.data.fitted import default_manifest, load_default
from sdmodel.errors import DataFileError
from sdmodel.paths import FITTED_DIR


def test_committed_calibration_loads_and_is_in_range(chain_model):
    values = load_default()
    assert len(values) >= 8
    doc = chain_model.doc().set_index("name")
    for name, value in values.items():
        assert doc.loc[name, "kind"] == "constant", name
        assert doc.loc[name, "min"] <= value <= doc.loc[name, "max"], name
    manifest = default_manifest()
    assert manifest["parameters"]["until"] is None
    assert set(manifest["parameters"]["estimates"]) <= set(values)
    assert (FITTED_DIR / "fit_report.md").is_file()


def test_missing_or_broken_parameters_file(tmp_path):
    with pytest.raises(DataFileError, match="asielketen calibrate"):
        load_default(tmp_path)
    (tmp_path / "parameters.csv").write_text("name,value\nfoo,abc\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="line 2, field 'value'"):
        load_default(tmp_path)

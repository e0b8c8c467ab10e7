"""Every series the committed fit scores has a readable title and unit in both languages."""

import pandas as pd
import pytest

from sdmodel.figures.fit import series_label, stock_unit
from sdmodel.paths import FITTED_DIR


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_fitted_series_have_labels_not_raw_names(lang: str) -> None:
    series = pd.read_csv(FITTED_DIR / "statistics.csv")["series"].unique()
    raw = [s for s in series if series_label(s, lang) == s]
    assert not raw, f"no {lang} label for {raw} (sdmodel/figures/labels.py or fit.EXTRA_LABELS)"


def test_shares_and_places_are_not_labelled_persons() -> None:
    assert stock_unit("social_lettings_share_status_holders", "nl") == "fractie (0-1)"
    assert stock_unit("coa_capacity", "nl") == "plaatsen"
    assert stock_unit("coa_occupancy_total", "nl") == "personen"
    assert stock_unit("ind_average_wait_weeks", "en") == "weeks"

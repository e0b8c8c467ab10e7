"""The briefing's adaptive vs fixed tables: Dutch number formats, a title that states the
finding, rules in words."""

from __future__ import annotations

import pandas as pd

from sdmodel.briefing.adaptive import action_text, adaptive_rows, adaptive_title, rule_rows

TABLE = pd.DataFrame({"plan": ["vast", "adaptief"], "objective": [2e10, 1.9e10],
                      "cost_mean_eur": [2.0e10, 1.91e10], "share_futures_meeting_all": [0.8, 0.9],
                      "feasible": [True, True], "coa_occupancy_above_mean": [12345.6, 2000.0]})
FIRING = pd.DataFrame({"rule": ["r"], "when": ["ter_apel_occupancy > 2000 for 1 month"],
                       "then": ["release coa_places 5000 after 3 months"],
                       "until": [float("nan")], "share_fired": [0.25],
                       "median_fire_date": ["2027-03-01"], "share_ended": [0.0]})


def test_rows_use_dutch_formats_and_the_title_states_the_finding() -> None:
    rows = adaptive_rows(TABLE, lang="nl")
    assert rows[0][1:] == ["€ 20,0 mld", "€ 19,1 mld"]
    assert rows[1][1:] == ["80%", "90%"]
    assert rows[2][1:] == ["12.300", "2.000"]  # counts to three significant digits
    assert adaptive_title(TABLE, lang="nl") == ("Met regels € 900,0 mln goedkoper; 90% binnen "
                                                "elke grens (vast: 80%)")
    assert "dearer" in adaptive_title(TABLE.iloc[::-1].assign(plan=["vast", "adaptief"]),
                                      lang="en")


def test_rules_read_as_signpost_action_share_and_month() -> None:
    row = rule_rows(FIRING, lang="nl")[0]
    assert row[1] == "Ter Apel > 2.000 gedurende 1 mnd"
    assert row[2].endswith("5.000 plaatsen, na 3 mnd") and row[3] == "25%"
    assert row[4] == "maart 2027"
    assert "13 mnd later" in action_text("postpone huisvestingswet 13 months", "nl")

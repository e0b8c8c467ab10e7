"""The one map between the model's Vensim names and the names the Python side uses.

The .mdl is the single source of truth for the structure; the few of its names that the code
needs to know live here, and only here:

- :data:`KPIS`: each KPI column (as ``ChainModel.run`` returns them) and the model variable it
  reads, how it is aggregated to months and its scale. KPIs that correspond to an observed series
  carry that series' name from ``calibration/data/observations.csv``, so model and data meet by
  name everywhere;
- the special inputs a scenario drives (:data:`INFLOW_BAND_VARIABLE`,
  :data:`INFLOW_SERIES_VARIABLE`) and the one it starts from (:data:`HISTORY_END_VARIABLE`);
- :data:`CONTROL_NAMES`: the Vensim control variables;
- :data:`COST_ACTORS`: the cost KPIs per paying actor;
- :data:`TER_APEL_NORM`: the Ter Apel maximum the figures and thresholds use.

The inputs that measures and capacity levers set are declared with their sources in
:mod:`sdmodel.scenarios.measures`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Aggregation = Literal["stock", "flow", "ratio"]
"""How a model variable becomes a monthly value: the stock at the start of the month, the flow
summed over the month (a monthly total), or the ratio averaged over the month."""
WEEKS_PER_MONTH = 52.0 / 12.0


@dataclass(frozen=True)
class Kpi:
    """A KPI: the model variable it reads, how it is aggregated to months, and a scale."""

    variable: str
    aggregation: Aggregation
    scale: float = 1.0


KPIS: dict[str, Kpi] = {
    "coa_occupancy_total": Kpi("COA occupancy", "stock"),
    "coa_occupancy_regular": Kpi("COA occupancy regular incl application centre", "stock"),
    "coa_occupancy_emergency": Kpi("COA occupancy emergency incl overflow", "stock"),
    "coa_regular_capacity": Kpi("regular places", "stock"),
    "coa_emergency_places": Kpi("emergency places", "stock"),
    "coa_free_places": Kpi("free reception places", "stock"),
    "ter_apel_occupancy": Kpi("Ter Apel occupancy", "stock"),
    "ter_apel_awaiting_transfer": Kpi("awaiting transfer", "stock"),
    "ter_apel_overflow": Kpi("in overflow locations", "stock"),
    "ind_pending_asylum": Kpi("IND pending asylum applications", "stock"),
    "ind_pending_nareis": Kpi("nareis pending", "stock"),
    "ind_reassessments_pending": Kpi("reassessments pending", "stock"),
    "ind_first_instance_decisions": Kpi("IND decisions", "flow"),
    "ind_average_wait_weeks": Kpi("IND waiting time", "ratio", WEEKS_PER_MONTH),
    "ind_grant_rate": Kpi("grant rate", "ratio"),
    "ind_decision_staff": Kpi("IND decision staff", "stock"),
    "ind_hours_utilisation": Kpi("IND hours utilisation", "ratio"),
    "court_appeals_pending": Kpi("appeals pending", "stock"),
    "court_status_appeals_pending": Kpi("status appeals pending", "stock"),
    "court_revocation_appeals_pending": Kpi("revocation appeals pending", "stock"),
    "court_cases_pending": Kpi("court cases pending", "stock"),
    "court_decision_capacity": Kpi("court decision capacity", "stock"),
    "coa_status_holders_waiting": Kpi("status holders waiting", "stock"),
    "status_holders_beyond_norm": Kpi("status holders waiting beyond norm", "stock"),
    "status_holders_housed": Kpi("housing outflow", "flow"),
    "housing_target": Kpi("housing target", "flow"),
    "social_lettings_share_status_holders": Kpi("share of lettings to status holders", "ratio"),
    "nareis_arrivals": Kpi("nareis arrivals", "flow"),
    "asylum_first_applications": Kpi("first applications", "flow"),
    "asylum_subsequent_applications": Kpi("subsequent applications", "flow"),
    "asylum_inflow_total": Kpi("asylum inflow total", "flow"),
    "departures_independent_verified": Kpi("departures independent verified", "flow"),
    "departures_forced": Kpi("departures forced", "flow"),
    "departures_unsupervised": Kpi("departures unsupervised", "flow"),
    "undocumented_on_street": Kpi("undocumented on street", "stock"),
    "undocumented_in_lvv": Kpi("undocumented in LVV", "stock"),
    "undocumented_population": Kpi("undocumented population", "stock"),
    "reassessments": Kpi("reassessments", "flow"),
    "revocations": Kpi("final revocations", "flow"),
    "share_reassessed_before_integration": Kpi("share reassessed before integration", "ratio"),
    "share_new_permits_reassessed_before_integration": Kpi(
        "share of new permits reassessed before integration", "ratio"),
    "cost_coa_regular": Kpi("cost COA regular", "flow"),
    "cost_coa_emergency": Kpi("cost COA emergency", "flow"),
    "cost_ter_apel_penalties": Kpi("cost Ter Apel penalties", "flow"),
    "cost_ind": Kpi("cost IND", "flow"),
    "cost_courts": Kpi("cost courts", "flow"),
    "cost_dtv": Kpi("cost DTV", "flow"),
    "cost_flexible_housing": Kpi("cost flexible housing", "flow"),
    "cost_lvv_state": Kpi("cost LVV state", "flow"),
    "cost_municipalities": Kpi("cost municipalities", "flow"),
    "persons_in_chain": Kpi("persons in chain", "stock"),
}
"""KPI column -> model variable (Vensim name), in the column order of the monthly tables."""

RULE_SLOTS = 3
"""Generic rule slots in the .mdl (group ``.Rules``; :mod:`sdmodel.scenarios.rules`)."""
RULE_EVENT_KPIS: dict[str, Kpi] = {
    f"rule_{k}_{part.replace(' ', '_')}": Kpi(f"rule {k} {part}", "stock")
    for k in range(1, RULE_SLOTS + 1) for part in ("fired", "fire time", "ended", "end time")
}
"""The stocks that record when each rule slot fired and stopped acting, read like KPIs (at the
start of each month) by the runs of scenarios with rules; not part of the KPI tables."""

CONTROL_NAMES: tuple[str, ...] = ("INITIAL TIME", "FINAL TIME", "TIME STEP", "SAVEPER")
"""The Vensim control variables (never scenario inputs or sampled assumptions)."""
INFLOW_BAND_VARIABLE = "MPP inflow band position"
"""Position of the future inflow in the MPP band: 0 = low, 0.5 = mid, 1 = high."""
INFLOW_SERIES_VARIABLE = "MPP first applications"
"""The auxiliary a custom inflow series replaces (first applications after the history)."""
INFLOW_CHANGE_VARIABLE = "future inflow change"
"""Relative change of every future external inflow from the end of the history (scenario files'
``[inflow] change``; 0 = as forecast, -0.12 = 12% less): the knob of the break-even analysis."""
HISTORY_END_VARIABLE = "history end time"
"""Model month the history ends and the scenario period starts; measures act from then on."""

COST_ACTORS: dict[str, tuple[str, ...]] = {
    "coa": ("cost_coa_regular", "cost_coa_emergency", "cost_ter_apel_penalties"),
    "ind": ("cost_ind",),
    "courts": ("cost_courts",),
    "dtv": ("cost_dtv",),
    "flex_housing": ("cost_flexible_housing",),
    "lvv": ("cost_lvv_state",),
    "municipalities": ("cost_municipalities",),
}
"""Cost KPIs per paying actor (COA reception with its Ter Apel penalties, IND, courts, DT&V,
the flexible housing subsidy, the state's LVV shelter, municipalities), in 2025 prices."""
COST_KPIS: tuple[str, ...] = tuple(kpi for kpis in COST_ACTORS.values() for kpi in kpis)
"""Every cost KPI (EUR per month), in actor order: their sum is the total chain cost."""

TER_APEL_NORM = 2000.0
"""parameters.csv ter_apel_norm: the court-enforced maximum of people in the Ter Apel
application centre (2024)."""

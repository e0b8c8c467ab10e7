"""Fixed texts of the briefing figures and the PDF, in Dutch and English.

Merged into :data:`sdmodel.figures.labels.TEXT`, so they are looked up like every other figure text
with :func:`sdmodel.figures.labels.text`. This module imports nothing (``labels`` imports it).
"""

from __future__ import annotations

BRIEFING_TEXT: dict[str, dict[str, str]] = {
    # figures
    "scenario_period": {"nl": "scenarioperiode (model)", "en": "scenario period (model)"},
    "dashboard_subtitle": {
        "nl": "Kernindicatoren per maand; punten: waarnemingen",
        "en": "Key indicators per month; points: observations",
    },
    "eur_billion_per_year": {"nl": "miljard euro per jaar", "en": "EUR billion per year"},
    "costs_subtitle": {
        "nl": "Kosten per partij per kalenderjaar (miljard euro, lopende modelprijzen)",
        "en": "Cost per actor per calendar year (EUR billion, model prices)",
    },
    "persons_per_year": {"nl": "personen per jaar", "en": "persons per year"},
    "flows_subtitle": {
        "nl": "Stromen door de asielketen per kalenderjaar (personen per jaar)",
        "en": "Flows through the asylum chain per calendar year (persons per year)",
    },
    "flows_note": {
        "nl": "Instroom: eerste en herhaalde aanvragen, nareis en hervestiging. Inwilligingen: "
              "beslissingen maal het inwilligingspercentage van de maand. Vertrek: aantoonbaar, "
              "gedwongen en zonder toezicht.",
        "en": "Inflow: first and subsequent applications, family reunification and "
              "resettlement. Grants: decisions times the month's grant rate. Departures: "
              "verified, forced and unsupervised.",
    },
    "flow_inflow": {"nl": "Instroom", "en": "Inflow"},
    "flow_decisions": {"nl": "Beslissingen IND", "en": "IND decisions"},
    "flow_grants": {"nl": "waarvan inwilligingen", "en": "of which grants"},
    "flow_housed": {"nl": "Gehuisveste statushouders", "en": "Status holders housed"},
    "flow_departures": {"nl": "Vertrek", "en": "Departures"},
    "calibration_subtitle": {
        "nl": "Model (lijn) tegen waarnemingen tot 2026, per bronkwaliteit; stromen per maand",
        "en": "Model (line) against observations up to 2026, by source quality; flows per month",
    },
    "gantt_subtitle": {
        "nl": "Invoeringsschema: start, ingroeiperiode en volle sterkte per maatregel",
        "en": "Introduction schedule: start, ramp and full strength per measure",
    },
    "gantt_planned": {
        "nl": "Geplande of aangenomen invoeringsdata van alle maatregelen "
              "(sdmodel/scenarios/measures.py)",
        "en": "Planned or assumed start dates of all measures (sdmodel/scenarios/measures.py)",
    },
    "gantt_measure": {"nl": "maatregel", "en": "measure"},
    "gantt_capacity": {"nl": "capaciteitsuitbreiding", "en": "capacity funding"},
    "gantt_ramp": {"nl": "ingroeiperiode", "en": "ramp"},
    "gantt_milestone": {"nl": "mijlpaal (sterkte)", "en": "milestone (strength)"},
    "pareto_subtitle": {
        "nl": "Pareto-front van het optimalisatieschema: kosten tegen overschrijding van de "
              "drempel",
        "en": "Pareto front of the optimised schedule: cost against exceedance of the threshold",
    },
    "pareto_plan": {"nl": "plan op de Pareto-front", "en": "plan on the Pareto front"},
    "pareto_chosen": {"nl": "gekozen plan", "en": "chosen plan"},
    "pareto_share": {"nl": "aandeel toekomsten onder de drempel",
                     "en": "share of futures meeting the threshold"},
    "pareto_cost": {"nl": "kosten (miljard euro)", "en": "cost (EUR billion)"},
    "pareto_exceedance": {"nl": "overschrijding (persoonsmaanden)",
                          "en": "exceedance (person-months)"},
    "fan_subtitle": {
        "nl": "Bezetting COA: mediaan, 50%- en 90%-interval over {n} toekomsten (personen)",
        "en": "COA occupancy: median, 50% and 90% intervals over {n} futures (persons)",
    },
    "fan_subtitle_ensemble": {
        "nl": "Bezetting COA: mediaan, 50%- en 90%-interval over het instroom-ensemble "
              "(personen)",
        "en": "COA occupancy: median, 50% and 90% intervals over the inflow ensemble (persons)",
    },
    "comparison_subtitle": {
        "nl": "Scenario's naast elkaar, per maand vanaf 2022",
        "en": "Scenarios side by side, per month from 2022",
    },
    "regular_capacity": {"nl": "reguliere capaciteit", "en": "regular capacity"},
    # the PDF
    "briefing_title": {"nl": "Asielketen: briefing", "en": "Asylum chain: briefing"},
    "briefing_lead": {
        "nl": "Systeemdynamisch model van de Nederlandse asielketen, gekalibreerd op de "
              "bronnen sinds 2014. Alle cijfers zijn modeluitkomsten; kernpunten zijn uit de "
              "cijfers berekend.",
        "en": "System-dynamics model of the Dutch asylum chain, calibrated to the sources since "
              "2014. All figures are model results; key points are computed from the numbers.",
    },
    "key_points": {"nl": "Kernpunten", "en": "Key points"},
    "made_on": {"nl": "Gemaakt op", "en": "Made on"},
    "model_version": {"nl": "Model", "en": "Model"},
    "data_version": {"nl": "Data (calibration/data)", "en": "Data (calibration/data)"},
    "calibration": {"nl": "Parameters", "en": "Parameters"},
    "scenarios": {"nl": "Scenario's", "en": "Scenarios"},
    "optimized": {"nl": "Optimalisatie", "en": "Optimisation"},
    "page": {"nl": "pagina", "en": "page"},
    "kpi_table": {"nl": "Kerncijfers per scenario", "en": "Key figures per scenario"},
    "kpi_table_plans": {"nl": "Kerncijfers per plan (optimalisatie)",
                        "en": "Key figures per plan (optimisation)"},
    "capacity_plan": {"nl": "Capaciteitsplan (optimalisatie)",
                      "en": "Capacity plan (optimisation)"},
    "adaptive_note": {"nl": "Vast schema tegenover bijsturen met regels, over dezelfde "
                            "toekomsten (aandeel: toekomsten die in geen maand een grens "
                            "overschrijden). Het adaptieve plan is het beste vaste schema "
                            "met de regels hieronder; drempels en omvang van de acties zijn "
                            "gezocht binnen de bereiken van de specificatie. Elke toekomst "
                            "vuurt op haar eigen momenten.",
                      "en": "Fixed schedule against adaptive rules, over the same futures "
                            "(share: futures in which no month exceeds a limit). "
                            "The adaptive plan is the best fixed schedule with the rules below; "
                            "thresholds and action sizes were searched within the spec's "
                            "ranges. Every future fires at its own dates."},
    "adaptive_rules": {"nl": "Regels van het adaptieve plan", "en": "Rules of the adaptive plan"},
    "rule": {"nl": "Regel", "en": "Rule"},
    "rule_when": {"nl": "Signaal", "en": "Signpost"},
    "rule_then": {"nl": "Actie", "en": "Action"},
    "rule_fired": {"nl": "Vuurt in", "en": "Fires in"},
    "rule_median": {"nl": "Mediaan", "en": "Median"},
    "kpi_table_note": {
        "nl": "Gemiddelden en totalen over de scenarioperiode 2026-2035 of het jaar 2030, "
              "zoals in de kolomnaam.",
        "en": "Averages and totals over the scenario period 2026-2035 or the year 2030, as "
              "named.",
    },
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "assumptions": {"nl": "Aannames", "en": "Assumptions"},
    "assumptions_note": {
        "nl": "Elke constante van het model die op een aanname berust (geen officieel cijfer), "
              "met standaardwaarde, bereik, eenheid en reden. De naam is die in het model "
              "(models/asielketen.mdl), zodat de constante daar terug te vinden is.",
        "en": "Every model constant that rests on an assumption (no official figure), with its "
              "default, range and reason from the .mdl file.",
    },
    "name": {"nl": "Naam", "en": "Name"},
    "default": {"nl": "Standaard", "en": "Default"},
    "range": {"nl": "Bereik", "en": "Range"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "reason": {"nl": "Reden", "en": "Reason"},
    "calibrated_value": {"nl": "gekalibreerd: {value}", "en": "calibrated: {value}"},
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "sources_mdl": {"nl": "Modelvergelijkingen (models/asielketen.mdl)",
                    "en": "Model equations (models/asielketen.mdl)"},
    "sources_parameters": {"nl": "Parameters (calibration/data/parameters.csv)",
                           "en": "Parameters (calibration/data/parameters.csv)"},
    "sources_observations": {"nl": "Waarnemingen (calibration/data/observations.csv)",
                             "en": "Observations (calibration/data/observations.csv)"},
    "sources_timeline": {"nl": "Wetsdata (calibration/data/timeline.csv)",
                         "en": "Law dates (calibration/data/timeline.csv)"},
    "continued": {"nl": "vervolg", "en": "continued"},
    "sources_support": {"nl": "Onderbouwt: {figures}.", "en": "Supports: {figures}."},
    "figure_dashboard": {"nl": "dashboard", "en": "dashboard"},
    "figure_comparison": {"nl": "scenariovergelijking", "en": "scenario comparison"},
    "figure_fan_coa": {"nl": "onzekerheid COA-bezetting", "en": "uncertainty of COA occupancy"},
    "figure_costs": {"nl": "kosten", "en": "costs"},
    "figure_flows": {"nl": "stromen", "en": "flows"},
    "figure_schedule": {"nl": "invoeringsschema", "en": "introduction schedule"},
    "figure_pareto": {"nl": "kosten tegen overschrijding", "en": "cost against exceedance"},
    "figure_calibration": {"nl": "kalibratie", "en": "calibration"},
    "plan_unoptimised": {"nl": "niet geoptimaliseerd", "en": "unoptimised"},
    "plan_optimised": {"nl": "geoptimaliseerd", "en": "optimised"},
    "year": {"nl": "Jaar", "en": "Year"},
    "lever": {"nl": "Maatregel of capaciteit", "en": "Measure or capacity"},
    "amount": {"nl": "Omvang", "en": "Amount"},
    "cost": {"nl": "Kosten", "en": "Cost"},
    # units of the capacity levers (sdmodel.scenarios.measures.LEVERS)
    "unit_FTE": {"nl": "fte", "en": "FTE"},
    "unit_place": {"nl": "plaatsen", "en": "places"},
    "unit_person/Month": {"nl": "personen per maand", "en": "persons per month"},
    "unit_unit/Month": {"nl": "woningen per maand", "en": "units per month"},
    # rows of the KPI table (columns of sdmodel.analysis.compare.kpi_table)
    "kpi_coa_peak": {"nl": "COA-bezetting: hoogste stand 2026-2035 (personen)",
                     "en": "COA occupancy: peak 2026-2035 (persons)"},
    "kpi_coa_peak_month": {"nl": "maand van die piek", "en": "month of that peak"},
    "kpi_coa_2030": {"nl": "COA-bezetting, gemiddelde 2030 (personen)",
                     "en": "COA occupancy, average 2030 (persons)"},
    "kpi_coa_emergency_2030": {"nl": "waarvan noodopvang, gemiddelde 2030 (personen)",
                               "en": "of which emergency reception, average 2030 (persons)"},
    "kpi_coa_months_above_threshold": {
        "nl": "maanden COA boven de drempel (2026-2035)",
        "en": "months COA above the threshold (2026-2035)"},
    "kpi_ter_apel_months_above_threshold": {
        "nl": "maanden Ter Apel boven de drempel (2026-2035)",
        "en": "months Ter Apel above the threshold (2026-2035)"},
    "kpi_ind_backlog_2030": {"nl": "IND-voorraad asiel, gemiddelde 2030 (zaken)",
                             "en": "IND asylum backlog, average 2030 (cases)"},
    "kpi_ind_wait_weeks_2030": {"nl": "IND-wachttijd, gemiddelde 2030 (weken)",
                                "en": "IND waiting time, average 2030 (weeks)"},
    "kpi_court_backlog_2030": {"nl": "openstaande beroepen, gemiddelde 2030 (zaken)",
                               "en": "pending appeals, average 2030 (cases)"},
    "kpi_status_holders_waiting_2030": {
        "nl": "statushouders in COA wachtend op woning, 2030 (personen)",
        "en": "status holders in COA waiting for a home, 2030 (persons)"},
    "kpi_status_holders_beyond_14_weeks_2030": {
        "nl": "waarvan langer dan 14 weken, 2030 (personen)",
        "en": "of whom beyond 14 weeks, 2030 (persons)"},
    "kpi_undocumented_on_street_2030": {
        "nl": "ongedocumenteerden op straat, 2030 (personen)",
        "en": "undocumented people on the street, 2030 (persons)"},
    "kpi_reassessments_2030": {"nl": "herbeoordelingen in 2030 (personen per jaar)",
                               "en": "reassessments in 2030 (persons per year)"},
    "kpi_housing_outflow_2030": {"nl": "gehuisveste statushouders in 2030 (personen per jaar)",
                                 "en": "status holders housed in 2030 (persons per year)"},
    "kpi_cost_coa_meur": {"nl": "kosten COA-opvang, gemiddeld per jaar (mln euro)",
                          "en": "cost of COA reception, average per year (EUR m)"},
    "kpi_cost_ind_meur": {"nl": "kosten IND, gemiddeld per jaar (mln euro)",
                          "en": "cost of the IND, average per year (EUR m)"},
    "kpi_cost_courts_meur": {"nl": "kosten rechtspraak, gemiddeld per jaar (mln euro)",
                             "en": "cost of the courts, average per year (EUR m)"},
    "kpi_cost_dtv_meur": {"nl": "kosten DT&V, gemiddeld per jaar (mln euro)",
                          "en": "cost of DT&V, average per year (EUR m)"},
    "kpi_cost_flex_housing_meur": {"nl": "subsidie flexwoningen, gemiddeld per jaar (mln euro)",
                                   "en": "flexible housing subsidy, average per year (EUR m)"},
    "kpi_cost_lvv_meur": {"nl": "kosten LVV (Rijk), gemiddeld per jaar (mln euro)",
                          "en": "cost of the LVV (state), average per year (EUR m)"},
    "kpi_cost_municipalities_meur": {"nl": "kosten gemeenten, gemiddeld per jaar (mln euro)",
                                     "en": "municipal cost, average per year (EUR m)"},
    "kpi_cost_eur": {"nl": "kosten (euro)", "en": "cost (EUR)"},
    "kpi_budget_eur": {"nl": "budget (euro)", "en": "budget (EUR)"},
    "kpi_exceedance_person_months": {"nl": "overschrijding van de drempel (persoonsmaanden)",
                                     "en": "exceedance of the threshold (person-months)"},
    "kpi_share_futures_meeting_threshold": {"nl": "aandeel toekomsten onder de drempel",
                                            "en": "share of futures meeting the threshold"},
    "kpi_cost_total_meur": {"nl": "totale kosten, gemiddeld per jaar (mln euro)",
                            "en": "total cost, average per year (EUR m)"},
}
"""Texts of the briefing figures and PDF, per language."""

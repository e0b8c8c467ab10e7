"""Labels for the model's KPIs and figure texts, in Dutch (default) and English.

This is the one place where a KPI column name (as returned by ``ChainModel.run``) gets its
human-readable name and unit. Figures, tables and reports look labels up here.
"""

from __future__ import annotations

from typing import Literal, get_args

from sdmodel.errors import AsielketenError, UnknownVariableError, did_you_mean
from sdmodel.figures.labels_briefing import BRIEFING_TEXT

Lang = Literal["nl", "en"]
"""A label language: Dutch (the default) or English."""
LANGUAGES: tuple[str, ...] = get_args(Lang)
"""Supported label languages; the first is the default."""

LAW_LABELS: dict[str, dict[str, str]] = {
    "dwangsom": {"nl": "dwangsommen IND opgeschort", "en": "IND penalty payments suspended"},
    "decision_period": {"nl": "beslistermijn asiel verlengd", "en": "decision period extended"},
    "ter_apel": {"nl": "dwangsom Ter Apel boven 2.000", "en": "Ter Apel penalty above 2,000"},
    "lvv": {"nl": "einde rijksfinanciering LVV", "en": "end of national LVV funding"},
    "eu_pact": {"nl": "EU-Migratiepact van toepassing", "en": "EU Pact applies"},
    "huisvestingswet": {"nl": "urgentie statushouders niet meer verplicht",
                        "en": "priority for status holders no longer mandatory"},
    "spreidingswet": {"nl": "Spreidingswet in werking", "en": "Dispersal Act in force"},
}
"""Short labels of law dates per timeline.csv ``measure``; others use the event text."""

UNITS: dict[str, dict[str, str]] = {
    "persons": {"nl": "personen", "en": "persons"},
    "persons/month": {"nl": "personen per maand", "en": "persons per month"},
    "cases": {"nl": "zaken", "en": "cases"},
    "decisions/month": {"nl": "beslissingen per maand", "en": "decisions per month"},
    "applications/month": {"nl": "aanvragen per maand", "en": "applications per month"},
    "places": {"nl": "plaatsen", "en": "places"},
    "weeks": {"nl": "weken", "en": "weeks"},
    "fraction": {"nl": "fractie (0-1)", "en": "fraction (0-1)"},
    "EUR/month": {"nl": "euro per maand", "en": "EUR per month"},
    "FTE": {"nl": "fte", "en": "FTE"},
}
"""Unit keys used in ``KPI_LABELS`` with their display text per language."""

KPI_LABELS: dict[str, dict[str, str]] = {
    # Reception (COA) and registration
    "coa_occupancy_total": {
        "nl": "Bezetting COA (totaal)",
        "en": "COA occupancy (total)",
        "unit": "persons",
    },
    "coa_occupancy_regular": {
        "nl": "Bezetting COA, reguliere opvang",
        "en": "COA occupancy, regular reception",
        "unit": "persons",
    },
    "coa_occupancy_emergency": {
        "nl": "Bezetting nood- en crisisopvang",
        "en": "Emergency and crisis reception occupancy",
        "unit": "persons",
    },
    "coa_regular_capacity": {
        "nl": "Reguliere opvangcapaciteit COA",
        "en": "COA regular reception capacity",
        "unit": "places",
    },
    "ter_apel_occupancy": {
        "nl": "Bezetting aanmeldcentrum Ter Apel",
        "en": "Ter Apel application centre occupancy",
        "unit": "persons",
    },
    # IND and courts
    "ind_pending_asylum": {
        "nl": "IND: openstaande asielaanvragen",
        "en": "IND: pending asylum applications",
        "unit": "cases",
    },
    "ind_pending_nareis": {
        "nl": "IND: openstaande nareisaanvragen",
        "en": "IND: pending family reunification applications",
        "unit": "cases",
    },
    "ind_first_instance_decisions": {
        "nl": "IND: beslissingen in eerste aanleg",
        "en": "IND: first-instance decisions",
        "unit": "decisions/month",
    },
    "ind_average_wait_weeks": {
        "nl": "IND: gemiddelde wachttijd",
        "en": "IND: average waiting time",
        "unit": "weeks",
    },
    "ind_grant_rate": {
        "nl": "IND: inwilligingspercentage",
        "en": "IND: grant rate",
        "unit": "fraction",
    },
    "ind_decision_staff": {
        "nl": "IND: beslismedewerkers",
        "en": "IND: decision staff",
        "unit": "FTE",
    },
    "court_status_appeals_pending": {
        "nl": "Rechtbanken: openstaande beroepen tegen subsidiaire status",
        "en": "Courts: pending appeals against subsidiary status",
        "unit": "cases",
    },
    "court_appeals_pending": {
        "nl": "Rechtbanken: openstaande asielberoepen",
        "en": "Courts: pending asylum appeals",
        "unit": "cases",
    },
    # Housing, permits and integration
    "coa_status_holders_waiting": {
        "nl": "Statushouders in COA wachtend op woning",
        "en": "Status holders in COA waiting for housing",
        "unit": "persons",
    },
    "status_holders_beyond_norm": {
        "nl": "Statushouders langer dan 14 weken wachtend",
        "en": "Status holders waiting beyond the 14-week norm",
        "unit": "persons",
    },
    "status_holders_housed": {
        "nl": "Gehuisveste statushouders",
        "en": "Status holders housed",
        "unit": "persons/month",
    },
    "housing_target": {
        "nl": "Taakstelling huisvesting gemeenten",
        "en": "Municipal housing target",
        "unit": "persons/month",
    },
    "reassessments": {
        "nl": "Herbeoordelingen bij verlenging (besluiten)",
        "en": "Reassessments at renewal (decisions)",
        "unit": "persons/month",
    },
    "revocations": {
        "nl": "Intrekkingen van verblijfsvergunningen (definitief)",
        "en": "Permit revocations (final)",
        "unit": "persons/month",
    },
    "share_reassessed_before_integration": {
        "nl": "Aandeel herbeoordeeld voor einde inburgering",
        "en": "Share reassessed before integration ends",
        "unit": "fraction",
    },
    # Inflow
    "nareis_arrivals": {
        "nl": "Aankomst nareizigers",
        "en": "Family reunification arrivals",
        "unit": "persons/month",
    },
    "asylum_first_applications": {
        "nl": "Eerste asielaanvragen",
        "en": "First asylum applications",
        "unit": "applications/month",
    },
    "asylum_subsequent_applications": {
        "nl": "Herhaalde asielaanvragen",
        "en": "Subsequent asylum applications",
        "unit": "applications/month",
    },
    "asylum_inflow_total": {
        "nl": "Asielinstroom totaal",
        "en": "Total asylum inflow",
        "unit": "persons/month",
    },
    # Return and undocumented
    "departures_independent_verified": {
        "nl": "Aantoonbaar zelfstandig vertrek",
        "en": "Verified independent departures",
        "unit": "persons/month",
    },
    "departures_forced": {
        "nl": "Gedwongen vertrek",
        "en": "Forced departures",
        "unit": "persons/month",
    },
    "departures_unsupervised": {
        "nl": "Vertrek zonder toezicht (bestemming onbekend)",
        "en": "Unsupervised departures (destination unknown)",
        "unit": "persons/month",
    },
    "undocumented_on_street": {
        "nl": "Ongedocumenteerden op straat",
        "en": "Undocumented people on the street",
        "unit": "persons",
    },
    "undocumented_in_lvv": {
        "nl": "Ongedocumenteerden in LVV-opvang",
        "en": "Undocumented people in LVV shelter",
        "unit": "persons",
    },
    # Costs
    "cost_coa_regular": {
        "nl": "Kosten COA reguliere opvang",
        "en": "Cost of COA regular reception",
        "unit": "EUR/month",
    },
    "cost_coa_emergency": {
        "nl": "Kosten nood- en crisisopvang",
        "en": "Cost of emergency and crisis reception",
        "unit": "EUR/month",
    },
    "cost_ind": {"nl": "Kosten IND", "en": "Cost of the IND", "unit": "EUR/month"},
    "cost_courts": {"nl": "Kosten rechtspraak", "en": "Cost of the courts", "unit": "EUR/month"},
    "cost_dtv": {"nl": "Kosten DT&V", "en": "Cost of DT&V (return)", "unit": "EUR/month"},
    "cost_flexible_housing": {
        "nl": "Subsidie flexwoningen",
        "en": "Flexible housing subsidy",
        "unit": "EUR/month",
    },
    # Model v2: places, Ter Apel, IND hours, courts, housing and permits
    "coa_emergency_places": {
        "nl": "Nood- en crisisopvangplaatsen",
        "en": "Emergency and crisis places",
        "unit": "places",
    },
    "coa_free_places": {"nl": "Vrije opvangplaatsen", "en": "Free reception places",
                        "unit": "persons"},
    "ter_apel_awaiting_transfer": {
        "nl": "Ter Apel: wachtend op doorplaatsing",
        "en": "Ter Apel: waiting for a transfer",
        "unit": "persons",
    },
    "ter_apel_overflow": {"nl": "Uitwijklocaties bij Ter Apel",
                          "en": "Overflow sites near Ter Apel", "unit": "persons"},
    "ind_reassessments_pending": {
        "nl": "IND: openstaande herbeoordelingen",
        "en": "IND: pending permit reassessments",
        "unit": "cases",
    },
    "ind_hours_utilisation": {"nl": "IND: benutting beslisuren", "en": "IND: decision hours in use",
                              "unit": "fraction"},
    "court_revocation_appeals_pending": {
        "nl": "Rechtspraak: openstaande beroepen tegen intrekking",
        "en": "Courts: pending appeals against revocation",
        "unit": "cases",
    },
    "court_cases_pending": {"nl": "Rechtspraak: openstaande asielzaken",
                            "en": "Courts: pending asylum cases", "unit": "cases"},
    "court_decision_capacity": {
        "nl": "Rechtspraak: uitspraakcapaciteit",
        "en": "Courts: decision capacity",
        "unit": "decisions/month",
    },
    "social_lettings_share_status_holders": {
        "nl": "Aandeel corporatieverhuringen aan statushouders",
        "en": "Share of social lettings to status holders",
        "unit": "fraction",
    },
    "undocumented_population": {
        "nl": "Mensen zonder verblijfsrecht (totaal)",
        "en": "People without residence rights (total)",
        "unit": "persons",
    },
    "share_new_permits_reassessed_before_integration": {
        "nl": "Aandeel nieuwe vergunningen herbeoordeeld voor einde inburgering",
        "en": "Share of new permits reassessed before integration ends",
        "unit": "fraction",
    },
    "cost_ter_apel_penalties": {"nl": "Dwangsommen Ter Apel", "en": "Ter Apel penalties",
                                "unit": "EUR/month"},
    "cost_lvv_state": {"nl": "Kosten LVV (Rijk)", "en": "Cost of the LVV (state)",
                       "unit": "EUR/month"},
    "cost_municipalities": {"nl": "Kosten gemeenten (LVV)", "en": "Municipal cost (LVV)",
                            "unit": "EUR/month"},
    # Totals
    "persons_in_chain": {
        "nl": "Personen in de asielketen",
        "en": "Persons in the asylum chain",
        "unit": "persons",
    },
}
"""For each KPI column: its Dutch label (``"nl"``), English label (``"en"``) and unit key."""

TEXT: dict[str, dict[str, str]] = {
    "panel_coa": {"nl": "COA-opvang en reguliere capaciteit", "en": "COA reception and capacity"},
    "panel_ter_apel": {"nl": "Aanmeldcentrum Ter Apel", "en": "Ter Apel application centre"},
    "panel_ind": {"nl": "Openstaande zaken bij de IND", "en": "Pending cases at the IND"},
    "panel_housing": {
        "nl": "Statushouders wachtend op huisvesting",
        "en": "Status holders waiting for housing",
    },
    "overview_title": {
        "nl": "Asielketen: kernindicatoren",
        "en": "Asylum chain: key indicators",
    },
    "emergency_area": {"nl": "waarvan noodopvang", "en": "of which emergency reception"},
    "ter_apel_norm": {"nl": "norm rechter: 2.000", "en": "court-ordered maximum: 2,000"},
    "observed": {"nl": "waarneming", "en": "observation"},
    "quality_primary": {"nl": "primaire bron", "en": "primary source"},
    "quality_secondary": {"nl": "secundaire bron", "en": "secondary source"},
    "quality_derived": {"nl": "afgeleid", "en": "derived"},
    "model": {"nl": "model", "en": "model"},
    "source_line": {
        "nl": "Bron: model asielketen{sha}; waarnemingen: CBS, COA, IND, DT&V, "
        "Rijksoverheid en media, zie calibration/data",
        "en": "Source: asielketen model{sha}; observations: CBS, COA, IND, DT&V, "
        "Dutch government and media, see calibration/data",
    },
    # scenario comparison (sdmodel/figures/compare.py)
    "compare_title": {"nl": "Asielketen: scenario's vergeleken",
                      "en": "Asylum chain: scenarios compared"},
    "fan_title": {"nl": "Asielketen: onzekerheidsbanden ({n} trekkingen per scenario)",
                  "en": "Asylum chain: uncertainty bands ({n} samples per scenario)"},
    "cost_title": {"nl": "Kosten per partij, gemiddeld per jaar 2026-2035",
                   "en": "Cost per actor, average per year 2026-2035"},
    "panel_coa_compare": {"nl": "Bezetting COA (stippel: reguliere capaciteit)",
                          "en": "COA occupancy (dashed: regular capacity)"},
    "panel_coa_fan": {"nl": "Bezetting COA", "en": "COA occupancy"},
    "panel_ind_backlog": {"nl": "IND: openstaande asielaanvragen",
                          "en": "IND: pending asylum applications"},
    "panel_court": {"nl": "Rechtspraak: openstaande beroepen (asiel en status)",
                    "en": "Courts: pending appeals (asylum and status)"},
    "panel_status_holders": {"nl": "Statushouders in COA wachtend op woning",
                             "en": "Status holders in COA waiting for a home"},
    "panel_undocumented": {"nl": "Ongedocumenteerden op straat",
                           "en": "Undocumented people on the street"},
    "threshold": {"nl": "drempel", "en": "threshold"},
    "measure_dates": {"nl": "Ingangsdata van maatregelen (genummerde lijnen)",
                      "en": "Start dates of measures (numbered lines)"},
    "band_90": {"nl": "90%-interval", "en": "90% interval"},
    "band_50": {"nl": "50%-interval", "en": "50% interval"},
    "median": {"nl": "mediaan", "en": "median"},
    "actor_coa": {"nl": "COA-opvang", "en": "COA reception"},
    "actor_ind": {"nl": "IND", "en": "IND"},
    "actor_courts": {"nl": "Rechtspraak", "en": "Courts"},
    "actor_dtv": {"nl": "DT&V", "en": "DT&V"},
    "actor_flex_housing": {"nl": "Flexwoningen (subsidie)", "en": "Flexible housing (subsidy)"},
    "actor_lvv": {"nl": "LVV-opvang (Rijk)", "en": "LVV shelter (state)"},
    "actor_municipalities": {"nl": "Gemeenten", "en": "Municipalities"},
    "eur_million_per_year": {"nl": "miljoen euro per jaar", "en": "EUR million per year"},
    "source_line_compare": {
        "nl": "Bron: model asielketen{sha}; parameters: {calibration}; maatregelen en aannames: "
        "sdmodel/scenarios/measures.py; cijfers: calibration/data",
        "en": "Source: asielketen model{sha}; parameters: {calibration}; measures and "
        "assumptions: sdmodel/scenarios/measures.py; figures: calibration/data",
    },
    "law_dates": {"nl": "Wetsdata", "en": "Law dates"},
    "scenario": {"nl": "scenario", "en": "scenario"},
    "source_model": {"nl": "Bron: model asielketen{model}",
                     "en": "Source: asielketen model{model}"},
    "source_data": {
        "nl": "data: CBS, COA, IND, DT&V, Rijksoverheid en media (calibration/data)",
        "en": "data: CBS, COA, IND, DT&V, Dutch government and media (calibration/data)",
    },
    **BRIEFING_TEXT,  # the briefing figures and PDF (sdmodel/figures/labels_briefing.py)
}
"""Fixed texts used in figures, per language."""


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language.

    Raises
    ------
    AsielketenError
        If ``lang`` is not one of ``LANGUAGES``.
    """
    if lang not in LANGUAGES:
        raise AsielketenError(f"unknown language '{lang}'; use one of: {', '.join(LANGUAGES)}")
    return lang


def _entry(kpi: str) -> dict[str, str]:
    try:
        return KPI_LABELS[kpi]
    except KeyError:
        raise UnknownVariableError(
            f"'{kpi}' is not a KPI{did_you_mean(kpi, KPI_LABELS)}; see sdmodel/figures/labels.py"
        ) from None


def label(kpi: str, lang: str = "nl", *, with_unit: bool = False) -> str:
    """Return the display label of a KPI column.

    Parameters
    ----------
    kpi
        A KPI column name, e.g. ``"coa_occupancy_total"``.
    lang
        ``"nl"`` (default) or ``"en"``.
    with_unit
        Append the unit in parentheses, e.g. ``"Bezetting COA (totaal) (personen)"``.

    Raises
    ------
    UnknownVariableError
        If ``kpi`` is not in ``KPI_LABELS`` (the message suggests close names).
    AsielketenError
        If ``lang`` is not supported.
    """
    text = _entry(kpi)[check_lang(lang)]
    return f"{text} ({unit(kpi, lang)})" if with_unit else text


def unit(kpi: str, lang: str = "nl") -> str:
    """Return the display unit of a KPI column in ``lang`` (e.g. ``"personen"``)."""
    return UNITS[_entry(kpi)["unit"]][check_lang(lang)]


def text(key: str, lang: str = "nl") -> str:
    """Return a fixed figure text from ``TEXT`` in ``lang``."""
    return TEXT[key][check_lang(lang)]

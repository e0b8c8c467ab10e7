"""Texts of the sensitivity (tornado) and scenario-discovery figures and findings, nl and en."""

from __future__ import annotations

from sdmodel.figures.labels import check_lang

ROBUSTNESS_TEXT: dict[str, dict[str, str]] = {
    "band": {"nl": "MPP-instroomband", "en": "MPP inflow band"},
    "band_reason": {"nl": "bron: de band van de MPP-prognose (forecasts.csv): 0 = laag, "
                          "1 = hoog",
                    "en": "source: the band of the MPP forecast (forecasts.csv): 0 = low, "
                          "1 = high"},
    "refits": {"nl": "herschattingen op hersteekproeven van de data",
               "en": "refits on resampled data"},
    "calibration": {"nl": "gekalibreerde constanten (bootstrap-trekking)",
                    "en": "calibrated constants (bootstrap draw)"},
    "calibrated": {"nl": "gekalibreerd", "en": "calibrated"},
    "assumption": {"nl": "aanname", "en": "assumption"},
    "source": {"nl": "bron", "en": "source"},
    "tornado_subtitle_sobol": {
        "nl": "Sobol: totaalindex ST (balk, 95%-interval) en eerste orde S1 (donker), "
              "{runs} runs (N = {n})",
        "en": "Sobol: total index ST (bar, 95% interval) and first order S1 (dark), "
              "{runs} runs (N = {n})"},
    "tornado_subtitle_morris": {
        "nl": "Morris: mu* (balk, 95%-interval) en sigma (punt) in {unit} per volle "
              "bandbreedte, {runs} runs ({n} trajecten)",
        "en": "Morris: mu* (bar, 95% interval) and sigma (dot) in {unit} per full range, "
              "{runs} runs ({n} trajectories)"},
    "tornado_title_sobol": {
        "nl": "{kpi} ({scenario}) hangt het meest af van {first} (ST {st1}){rest}",
        "en": "{kpi} ({scenario}) depends most on {first} (ST {st1}){rest}"},
    "tornado_title_morris": {
        "nl": "{kpi} ({scenario}) hangt het meest af van {first} (mu* {st1}){rest}",
        "en": "{kpi} ({scenario}) depends most on {first} (mu* {st1}){rest}"},
    "tornado_none": {
        "nl": "{kpi} ({scenario}) varieert niet over de bandbreedtes van de aannames",
        "en": "{kpi} ({scenario}) does not vary over the ranges of the assumptions"},
    "and": {"nl": "en", "en": "and"},
    "then": {"nl": "dan", "en": "then"},
    "share_axis": {"nl": "aandeel van de variantie", "en": "share of the variance"},
    "mu_axis": {"nl": "mu* ({unit})", "en": "mu* ({unit})"},
    "reason_header": {"nl": "bron of reden van de aanname", "en": "source or reason"},
    "above": {"nl": "boven {low}", "en": "above {low}"},
    "below": {"nl": "onder {high}", "en": "below {high}"},
    "between": {"nl": "tussen {low} en {high}", "en": "between {low} and {high}"},
    "reading": {
        "nl": "In {coverage} van de toekomsten waarin {condition} ({failing} van de {total}) "
              "ligt {limits}; binnen dat gebied geldt het in {density} van de toekomsten",
        "en": "In {coverage} of the futures in which {condition} ({failing} of {total}), "
              "{limits}; inside that box it holds in {density} of the futures"},
    "reading_limit": {"nl": "{name} {where}", "en": "{name} is {where}"},
    "reading_all": {
        "nl": "In alle {total} toekomsten geldt {condition}: binnen de bandbreedtes van de "
              "aannames is er geen gebied waarin het niet gebeurt",
        "en": "In all {total} futures {condition}: within the ranges of the assumptions there "
              "is no region where it does not happen"},
    "reading_none": {
        "nl": "In geen van de {total} toekomsten geldt {condition}",
        "en": "In none of the {total} futures {condition}"},
    "reading_no_box": {
        "nl": "In {failing} van de {total} toekomsten geldt {condition}, maar geen beperking "
              "van de aannames scheidt die toekomsten significant van de andere",
        "en": "In {failing} of {total} futures {condition}, but no restriction of the "
              "assumptions separates them significantly from the others"},
    "discovery_subtitle": {
        "nl": "PRIM over {total} toekomsten van {scenario}: afpelpad en het gekozen gebied",
        "en": "PRIM over {total} futures of {scenario}: peeling trajectory and the chosen box"},
    "coverage": {"nl": "dekking (aandeel van de falende toekomsten in het gebied)",
                 "en": "coverage (share of the failing futures inside the box)"},
    "density": {"nl": "dichtheid (aandeel falend binnen het gebied)",
                "en": "density (share failing inside the box)"},
    "dims": {"nl": "beperkte dimensies", "en": "restricted dimensions"},
    "chosen": {"nl": "gekozen gebied", "en": "chosen box"},
    "box_limits": {"nl": "Gebied {box}: grenzen", "en": "Box {box}: limits"},
    "range_axis": {"nl": "positie binnen de bemonsterde bandbreedte (0 = laag, 1 = hoog)",
                   "en": "position within the sampled range (0 = low, 1 = high)"},
    "futures_hist": {"nl": "verdeling over de toekomsten", "en": "distribution over the futures"},
    "futures": {"nl": "toekomsten", "en": "futures"},
    "kpi_coa_2030": {"nl": "De COA-bezetting in 2030", "en": "COA occupancy in 2030"},
    "kpi_coa_emergency_2030": {"nl": "De noodopvang in 2030", "en": "Emergency reception in 2030"},
    "kpi_coa_months_above_threshold": {"nl": "Het aantal maanden boven de COA-drempel",
                                       "en": "The months above the COA threshold"},
    "kpi_cost_total_meur": {"nl": "De totale kosten per jaar", "en": "Total cost per year"},
}


def rtext(key: str, lang: str = "nl") -> str:
    """Return a text of :data:`ROBUSTNESS_TEXT` in ``lang``."""
    return ROBUSTNESS_TEXT[key][check_lang(lang)]

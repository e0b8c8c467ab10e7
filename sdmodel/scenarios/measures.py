"""Policy measures and capacity levers: which model inputs they change, by how much, and when.

Every measure of the asylum bills and the EU Pact (the ``measure`` column of timeline.csv) is a
:class:`Measure`: a list of :class:`Effect` s
(one model input each, or one effect on several inputs) and a planned :class:`Schedule`. Capacity
funding is a :class:`Lever` of the same kind: one input, an amount and a schedule. The mechanism
lives in the .mdl; a measure only sets inputs that are constant in the .mdl, and they become
time-varying in :func:`sdmodel.scenarios.inputs.schedule_inputs`.

Effect sizes come from ``calibration/data/parameters.csv`` (``source`` names the row) or from the
law text; where neither gives a figure, ``assumption`` says why and ``low``/``high`` bound it.
``sample`` marks the effects the uncertainty analysis draws from ``[low, high]``.

An effect's ``value`` is what the input becomes at full intensity, in one of three modes:

- ``"target"``: the input's new value (``permit_months = 36``); ``base + I(t) * (value - base)``;
- ``"scale"``: a factor on the input's base value (calibrated or set); ``base * (1 + I(t) *
  (value - 1))``;
- ``"add"``: an amount added to the input; ``base + I(t) * value``.

Where several measures change one input, ``"add"`` amounts are summed, ``"scale"`` factors are
multiplied, and of several ``"target"`` s the largest change counts at each time (the same law
element coming through two bills is not counted twice); the result is clipped to the input's
``[min, max]`` range in the .mdl.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from sdmodel.scenarios.schedule import Schedule, parse_date

Mode = Literal["target", "scale", "add"]
"""How an effect changes its input (see the module docstring)."""
MODES: tuple[str, ...] = get_args(Mode)
PARAMETERS_CSV = "calibration/data/parameters.csv"


@dataclass(frozen=True)
class Effect:
    """One change a measure makes to the model's inputs.

    Attributes
    ----------
    key
        Name of the effect size in scenario files (``[measures.anmw] permit_months = 36``).
    variables
        The model inputs (Vensim names) it changes.
    mode
        ``"target"``, ``"scale"`` or ``"add"`` (see the module docstring).
    value
        Default effect size at full intensity.
    low, high
        Range a scenario may set (and the uncertainty analysis samples when ``sample``).
    unit
        Unit of ``value`` (``"factor"`` for scale effects).
    source
        The law text or ``parameters.csv`` row(s) with their URL, or the derivation.
    assumption
        One-line reason when the value or range is an assumption; ``None`` when sourced.
    sample
        Whether the uncertainty analysis draws this effect from ``[low, high]``.
    """

    key: str
    variables: tuple[str, ...]
    mode: Mode
    value: float
    low: float
    high: float
    unit: str
    source: str
    assumption: str | None = None
    sample: bool = False

    def __post_init__(self) -> None:
        if self.mode not in MODES or not self.low <= self.value <= self.high:
            raise ValueError(f"effect '{self.key}': bad mode or default outside its range")


@dataclass(frozen=True)
class Measure:
    """A policy measure: the inputs it changes and its planned schedule.

    Attributes
    ----------
    name
        Key in scenario files (``[measures.<name>]``) and in timeline.csv's ``measure`` column.
    title
        Dutch name, used in figures (law dates) and tables.
    title_en
        English name.
    effects
        What it changes.
    planned
        The schedule when a scenario gives none: the planned or assumed date of entry into force.
    planned_source
        Where the planned date comes from (timeline.csv row) or why it is assumed.
    """

    name: str
    title: str
    title_en: str
    effects: tuple[Effect, ...]
    planned: Schedule
    planned_source: str

    def effect(self, key: str) -> Effect:
        """Return the effect named ``key`` (KeyError if there is none)."""
        for effect in self.effects:
            if effect.key == key:
                return effect
        raise KeyError(key)


@dataclass(frozen=True)
class Lever:
    """Capacity funding: one model input raised by an amount on a schedule.

    Attributes
    ----------
    name
        Key in scenario files (``[capacity.<name>]``).
    variable
        The model input (Vensim name, a "Capacity lever" in the .mdl).
    unit
        Unit of the amount.
    low, high
        Range of the amount (the input's range in the .mdl).
    title, title_en
        Dutch and English names.
    delay
        Where the delay between funding and capacity lives in the model.
    cost
        How the model costs it, with the parameters.csv row.
    """

    name: str
    variable: str
    unit: str
    low: float
    high: float
    title: str
    title_en: str
    delay: str
    cost: str


@dataclass(frozen=True)
class MeasureSetting:
    """A measure as a scenario uses it: schedule, effect sizes and the on/off switch."""

    measure: Measure
    schedule: Schedule
    effects: Mapping[str, float] = field(default_factory=dict)
    enabled: bool = True

    def value(self, key: str) -> float:
        """Effect size of ``key``: the scenario's value or the measure's default."""
        return float(self.effects.get(key, self.measure.effect(key).value))


@dataclass(frozen=True)
class CapacitySetting:
    """Capacity funding as a scenario uses it: amount and schedule."""

    lever: Lever
    amount: float
    schedule: Schedule


def _day(text: str) -> Schedule:
    return Schedule(start=parse_date(text))


def _ramp(text: str, months: float) -> Schedule:
    return Schedule(start=parse_date(text), ramp_months=months)


_NO_INFLOW_FIGURE = (
    "no official figure exists for an effect of the measures on the inflow; zero by default, "
    "the range only for sensitivity"
)
_IND_DECISIONS_2024 = "ind_asylum_decisions 2024 (40,500 a year = 3,375 a month)"


def _inflow_effect() -> Effect:
    return Effect(
        "inflow_effect", ("inflow effect of measures",), "add", 0.0, -0.1, 0.1, "dmnl",
        "no figure", assumption=_NO_INFLOW_FIGURE, sample=True,
    )


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "anmw", "Asielnoodmaatregelenwet", "Asylum Emergency Measures Act",
            (
                Effect("permit_months", ("temporary permit duration",), "target", 36, 24, 60,
                       "Month", "law text 36704 (Asielnoodmaatregelenwet): temporary asylum permit "
                       "5 -> 3 years"),
                Effect("permanent_permit", ("permanent permit available",), "target", 0, 0, 1,
                       "dmnl", "law text 36704 (Asielnoodmaatregelenwet): no permanent asylum "
                       "permit"),
                Effect("subsequent_factor", ("subsequent application effect",), "target",
                       0.7, 0.4, 1.0, "factor", "no figure",
                       assumption="stricter rules for subsequent applications (36704); how "
                       "many fewer are lodged is not known", sample=True),
                Effect("nareis_factor", ("nareis per grant", "nareis per subsidiary grant"),
                       "scale", 0.9, 0.7, 1.0, "factor", "no figure",
                       assumption="nareis limited to the core family (36704); the share of "
                       "other relatives in nareis is not in the data", sample=True),
                Effect("ind_hours", ("extra IND hours per decision",), "add", 0.5, 0.5, 5.0,
                       "hour/person",
                       f"derived: {PARAMETERS_CSV} ind_extra_cost_anmw_structural EUR 1.5 m/yr "
                       "/ ind_cost_per_fte EUR 97,000 = 15.5 FTE x 1,320 h/yr (model: "
                       f"productive hours per FTE per month 110) / {_IND_DECISIONS_2024} "
                       "= 0.5 h (https://www.tweedekamer.nl/kamerstukken/kamervragen/detail?"
                       "did=2025D02247&id=2025D02247)",
                       assumption="the MvT estimate is clearly understated (RvS, Afdeling "
                       "bestuursrechtspraak; parameters.csv note): up to ten times", sample=True),
                _inflow_effect(),
            ),
            _day("2026-06-12"),
            "assumption: planned together with the EU Pact (12 Jun 2026); timeline.csv gives no "
            "date of entry into force (TK adopted 3 Jul 2025; EK rejected 21 Apr 2026, secondary)",
        ),
        Measure(
            "two_status", "Tweestatusstelsel", "Two-status system",
            (
                Effect("appeal_share", ("subsidiary appeal share",), "target", 0.75, 0.0, 1.0,
                       "dmnl", f"{PARAMETERS_CSV} appeal_rate_after_subsidiary_grant 0.75 "
                       "(https://www.nhnieuws.nl/nieuws/n175082/nieuwe-asielwet-kost-ind-"
                       "jaarlijks-25-tot-60-miljoen-euro-meer)"),
                Effect("ind_hours", ("extra IND hours per decision",), "add", 6.5, 3.9, 9.1,
                       "hour/person",
                       f"derived: {PARAMETERS_CSV} ind_extra_fte_two_status 120-279 FTE x 110 "
                       f"h/FTE/month (model) / {_IND_DECISIONS_2024} = 3.9-9.1 h, midpoint 6.5 "
                       "(https://openkamer.org/kamervraag/2024Z21097)", sample=True),
                Effect("nareis_subsidiary_factor", ("nareis per subsidiary grant",), "scale",
                       0.5, 0.2, 1.0, "factor", "no figure",
                       assumption="waiting period and income requirement for nareis of "
                       "subsidiary holders (bill 36703); the size is not sourced",
                       sample=True),
                Effect("revocation_share", ("revocation share at reassessment",), "target",
                       0.05, 0.02, 0.2, "dmnl", "no figure",
                       assumption="subsidiary protection ends when the country of origin "
                       "improves, checked at each renewal (bill 36703); no figure",
                       sample=True),
                _inflow_effect(),
            ),
            _day("2026-06-12"),
            "assumption: planned together with the EU Pact (12 Jun 2026); EK adopted 36703 on "
            "21 Apr 2026 (timeline.csv, secondary), no date of entry into force in the data",
        ),
        Measure(
            "eu_pact", "EU-Migratiepact", "EU Pact on Migration and Asylum",
            (
                Effect("screening_months", ("minimum registration time",), "add", 0.23, 0.0, 0.23,
                       "Month", f"{PARAMETERS_CSV} screening_duration 7 days = 0.23 months "
                       "(https://www.nhnieuws.nl/nieuws/n136005/eu-sluit-migratiepact-versnelde-"
                       "procedures-veiligelanders-mogen-vastgezet-worden)",
                       assumption="7 days is the maximum; how much of it adds to today's "
                       "registration time is not known", sample=True),
                Effect("border_share", ("border procedure share",), "target", 0.1, 0.0, 0.3,
                       "dmnl", "no figure",
                       assumption="the Dutch adequate capacity under Decision 2024/2150 is not "
                       "in the data (parameters.csv has only Italy's, "
                       "border_procedure_max_applications_italy)", sample=True),
                Effect("ind_hours", ("extra IND hours per decision",), "add", 2.0, 0.0, 5.0,
                       "hour/person", "no figure",
                       assumption="screening, Eurodac and the new procedure rules add IND work; "
                       "the IND gave no workload figure (timeline.csv 2025-09-24)", sample=True),
                _inflow_effect(),
            ),
            _day("2026-06-12"),
            "timeline.csv 2026-06-12: the EU Pact applies in NL (primary)",
        ),
        Measure(
            "spreidingswet", "Intrekking Spreidingswet", "Repeal of the Dispersal Act",
            (
                Effect("acquire_factor", ("time to acquire regular capacity",), "scale", 1.33,
                       1.0, 2.0, "factor", "no figure",
                       assumption="without a legal duty to offer locations municipalities offer "
                       "fewer and later; no figure", sample=True),
                Effect("coverage_factor", ("regular capacity coverage",), "scale", 0.9, 0.75,
                       1.0, "factor", "no figure",
                       assumption="more of the need is met by emergency reception "
                       "(the size is not known)", sample=True),
                Effect("emergency_cost_factor", ("cost per emergency resident",), "scale", 1.1,
                       1.0, 1.3, "factor",
                       f"{PARAMETERS_CSV} hotel_place_cost 91,000 and ship_place_cost 66,000 vs "
                       "coa_cost_emergency_place 53,400 EUR/place/year",
                       assumption="more crisis places in hotels and ships; the mix is not known",
                       sample=True),
            ),
            _ramp("2027-01-01", 12),
            "assumption: repeal announced 11 Jul 2025 (timeline.csv), no date; the coalition of "
            "Jan 2026 keeps the law 'voorlopig'",
        ),
        Measure(
            "huisvestingswet", "Huisvestingswet: geen voorrang, geen taakstelling",
            "Housing Act: no priority, no housing target",
            (
                Effect("priority_share", ("housing priority share",), "target", 0, 0, 1, "dmnl",
                       "bill 36831: ban on housing priority for status holders, phased "
                       "(timeline.csv 2025-07-11, 2025-10-04)"),
                Effect("target_in_force", ("housing target in force",), "target", 0, 0, 1,
                       "dmnl", "end of the municipal housing target (taakstelling) announced "
                       "(timeline.csv 2025-07-11)"),
            ),
            _ramp("2027-01-01", 24),
            "assumption: bill sent Oct 2025 (timeline.csv), no date; the ban is phased, here "
            "over two years",
        ),
        Measure(
            "lvv", "Afschaffing LVV", "Abolition of the LVV",
            (
                Effect("municipal_places", ("LVV places without national funding",), "target",
                       0, 0, 228, "person",
                       "national funding ended 1 Jan 2025 (timeline.csv lvv; in every "
                       "scenario's history); this closes the 228 places the cities fund "
                       "themselves (derived in the .mdl from parameters.csv "
                       "lvv_municipal_funding / lvv_rijk_funding)"),
            ),
            _day("2026-01-01"),
            "assumption: the cities stop their own places when the scenario period starts",
        ),
        Measure(
            "criminalisation", "Strafbaarstelling illegaal verblijf",
            "Criminalisation of illegal stay",
            (
                Effect("criminalised", ("illegal stay criminalised",), "target", 1, 0, 1, "dmnl",
                       "amendment adopted by the TK 1 Jul 2025, novelle 36855 (timeline.csv); "
                       "the effect size is the .mdl's contact avoidance effect (assumption)"),
            ),
            _day("2027-01-01"),
            "assumption: the novelle was rejected by the EK on 21 Apr 2026 (secondary); "
            "the date is for exploring the law as the TK adopted it",
        ),
    )
}
"""The measures of the asylum bills and the EU Pact, by scenario-file name."""

LEVERS: dict[str, Lever] = {
    lever.name: lever
    for lever in (
        Lever("ind_staff", "extra IND staff funded", "FTE", 0, 3000, "Extra IND-personeel",
              "Extra IND staff",
              "hiring and training delays in the .mdl (IND hiring time, IND training time)",
              f"cost per IND FTE EUR 97,000/yr ({PARAMETERS_CSV} ind_cost_per_fte), "
              "trainees included"),
        Lever("coa_places", "extra regular COA places funded", "place", 0, 50000,
              "Extra reguliere COA-plaatsen", "Extra regular COA places",
              "build delay in the .mdl (capacity decision time, time to acquire regular capacity)",
              f"cost per regular resident EUR 27,100/yr ({PARAMETERS_CSV} "
              "coa_cost_regular_place 2022), vacant places at the vacant place cost share"),
        Lever("court_capacity", "extra court capacity", "person/Month", 0, 3000,
              "Extra capaciteit rechtspraak", "Extra court capacity",
              "no delay: decisions per month from the funding date",
              "cost per court case EUR 2,500 (assumption in the .mdl)"),
        Lever("flex_housing", "extra flexible housing units", "unit/Month", 0, 3000,
              "Flexwoningen voor statushouders", "Flexible housing units",
              "units delivered per month from the funding date; the ramp is the build-up",
              f"SFT subsidy EUR 14,000 per unit ({PARAMETERS_CSV} flex_housing_subsidy_sft)"),
        Lever("dtv_capacity", "extra DTV capacity", "person/Month", 0, 1000,
              "Extra capaciteit DT&V", "Extra DT&V capacity",
              "no delay: forced departures per month from the funding date",
              f"in proportion to the DT&V budget ({PARAMETERS_CSV} dtv_apparatus_budget 2025)"),
    )
}
"""Capacity funding levers, by scenario-file name."""


def measure_variables() -> set[str]:
    """Every model input that a measure or lever can change."""
    names = {v for m in MEASURES.values() for e in m.effects for v in e.variables}
    return names | {lever.variable for lever in LEVERS.values()}

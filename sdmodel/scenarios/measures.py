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
multiplied, and of several ``"target"`` s the largest change counts at each time; a law element
that several bills carry (:attr:`Effect.element`, e.g. the 3-year permit in 36704 and 36871)
counts once, at the highest intensity of the measures that bring it. The result is clipped to
the input's ``[min, max]`` range in the .mdl. Each effect names the bill(s) that carry it.

The module is a catalogue (one declaration per law element, each with its source), which is
why it runs over 400 lines.
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
    bills
        The bill(s) that carry this element: parliamentary numbers (``"36704"``) or the name of
        a measure without one (``"spreidingswet"``, ``"lvv"``).
    element
        Name of a law element that more than one measure carries (the 3-year permit comes
        through 36704 and, per the government, 36871): enabled together, it counts once.
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
    bills: tuple[str, ...] = ()
    element: str | None = None

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

    @property
    def bills(self) -> tuple[str, ...]:
        """Every bill that carries one of the measure's elements, in order of appearance."""
        return tuple(dict.fromkeys(b for e in self.effects for b in e.bills))

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
    """A measure as a scenario uses it: schedule, effect sizes, the on/off switch and the
    elements it leaves out."""

    measure: Measure
    schedule: Schedule
    effects: Mapping[str, float] = field(default_factory=dict)
    enabled: bool = True
    without: frozenset[str] = frozenset()

    def active_effects(self) -> tuple[Effect, ...]:
        """The measure's effects, less those the scenario leaves out (``without``)."""
        return tuple(e for e in self.measure.effects if e.key not in self.without)

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
    "no official figure exists for an effect of the measures on the inflow (deterrence); zero by "
    "default, the range only for sensitivity and break-even analysis"
)
_IND_DECISIONS_2024 = "ind_asylum_decisions 2024 (40,500 a year = 3,375 a month)"
_NOT_CONFIRMED_36871 = (
    "per the government this element can also come through the Pact implementation law 36871 "
    "(adopted by the EK 26 May 2026, timeline.csv, secondary); the retrieved law texts do not "
    "confirm it, so scenarios may leave it out with `without`"
)


def _inflow_effect(bills: tuple[str, ...]) -> Effect:
    return Effect(
        "inflow_effect", ("inflow effect of measures",), "add", 0.0, -0.1, 0.1, "dmnl",
        "no figure", assumption=_NO_INFLOW_FIGURE, sample=True, bills=bills,
    )


def _short_permit(bills: tuple[str, ...]) -> tuple[Effect, ...]:
    """The 3-year permit for grants and renewals from entry into force, and its reassessment."""
    return (
        Effect("short_permit", ("short permit share",), "target", 1, 0, 1, "dmnl",
               "law text 36704 (Asielnoodmaatregelenwet): temporary asylum permit 5 -> 3 years "
               "for permits granted or renewed after entry into force; the term is the .mdl's "
               "short permit duration",
               assumption=None if bills == ("36704",) else _NOT_CONFIRMED_36871,
               bills=bills, element="short_permit"),
        Effect("reassessment_workload", ("extra reassessment workload",), "add", 0.3, 0.0, 1.0,
               "dmnl", "no figure",
               assumption="a full reassessment of the protection need at each renewal instead "
               "of a check of the grounds; its hours are not published", sample=True,
               bills=bills, element="reassessment_workload"),
    )


def _no_permanent_permit(bills: tuple[str, ...]) -> Effect:
    return Effect("permanent_permit", ("permanent permit available",), "target", 0, 0, 1, "dmnl",
                  "law text 36704 (Asielnoodmaatregelenwet): no permanent asylum permit",
                  assumption=None if bills == ("36704",) else _NOT_CONFIRMED_36871,
                  bills=bills, element="no_permanent_permit")


_CORE_FAMILY = Effect(
    "nareis_factor", ("nareis per grant", "nareis per subsidiary grant"), "scale", 0.9, 0.7, 1.0,
    "factor", "no figure",
    assumption="nareis limited to the core family for refugees and subsidiary holders (bills "
    "36703 and 36704, https://njb.nl/wetgeving/wetsvoorstellen/invoering-tweestatusstelsel); "
    "the share of other relatives in nareis is not in the data", sample=True,
    bills=("36703", "36704"), element="core_family")


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "anmw", "Asielnoodmaatregelenwet", "Asylum Emergency Measures Act",
            (
                *_short_permit(("36704",)),
                _no_permanent_permit(("36704",)),
                Effect("subsequent_factor", ("subsequent application effect",), "target",
                       0.7, 0.4, 1.0, "factor", "no figure",
                       assumption="stricter rules for subsequent applications (36704); how "
                       "many fewer are lodged is not known", sample=True, bills=("36704",)),
                _CORE_FAMILY,
                Effect("ind_hours", ("extra IND hours per decision",), "add", 0.5, 0.5, 5.0,
                       "hour/person",
                       f"derived: {PARAMETERS_CSV} ind_extra_cost_anmw_structural EUR 1.5 m/yr "
                       "/ ind_cost_per_fte EUR 97,000 = 15.5 FTE x 1,320 h/yr (model: "
                       f"productive hours per FTE per month 110) / {_IND_DECISIONS_2024} "
                       "= 0.5 h (https://www.tweedekamer.nl/kamerstukken/kamervragen/detail?"
                       "did=2025D02247&id=2025D02247)",
                       assumption="the MvT estimate is clearly understated (RvS, Afdeling "
                       "bestuursrechtspraak; parameters.csv note): up to ten times", sample=True,
                       bills=("36704",)),
                _inflow_effect(("36704",)),
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
                       "jaarlijks-25-tot-60-miljoen-euro-meer); the IND's 120-279 FTE to defend "
                       "these appeals follow from the .mdl's hours per appeal defended",
                       bills=("36703",)),
                Effect("nareis_subsidiary_factor", ("nareis per subsidiary grant",), "scale",
                       0.5, 0.2, 1.0, "factor", "no figure",
                       assumption="waiting period and income requirement for nareis of "
                       "subsidiary holders (bill 36703); the size is not sourced",
                       sample=True, bills=("36703",)),
                _CORE_FAMILY,
                Effect("revocation_share", ("revocation share subsidiary",), "target",
                       0.05, 0.02, 0.2, "dmnl", "no figure",
                       assumption="subsidiary protection ends when the country of origin "
                       "improves, checked at each renewal (bill 36703); no figure",
                       sample=True, bills=("36703",)),
                Effect("funded_fte", ("IND staff funded by the laws",), "add", 0.0, 0.0, 279.0,
                       "FTE", f"{PARAMETERS_CSV} ind_extra_fte_two_status 120-279 FTE "
                       "(https://openkamer.org/kamervraag/2024Z21097)",
                       assumption="whether the budget pays for the IND's estimate is not known; "
                       "0 = no matching capacity (the VNG's reading)", sample=True,
                       bills=("36703",)),
                _inflow_effect(("36703",)),
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
                       "registration time is not known", sample=True, bills=("36871",)),
                Effect("border_share", ("border procedure share",), "target", 0.1, 0.0, 0.3,
                       "dmnl", "no figure",
                       assumption="the Dutch adequate capacity under Decision 2024/2150 is not "
                       "in the data (parameters.csv has only Italy's, "
                       "border_procedure_max_applications_italy)", sample=True, bills=("36871",)),
                Effect("ind_hours", ("extra IND hours per decision",), "add", 2.0, 0.0, 5.0,
                       "hour/person", "no figure",
                       assumption="screening, Eurodac and the new procedure rules add IND work; "
                       "the IND gave no workload figure (timeline.csv 2025-09-24)", sample=True,
                       bills=("36871",)),
                *_short_permit(("36704", "36871")),
                _no_permanent_permit(("36704", "36871")),
                _inflow_effect(("36871",)),
            ),
            _day("2026-06-12"),
            "timeline.csv 2026-06-12: the EU Pact applies in NL (primary)",
        ),
        Measure(
            "spreidingswet", "Intrekking Spreidingswet", "Repeal of the Dispersal Act",
            (
                Effect("repealed", ("spreidingswet status",), "target", 0, 0, 1, "dmnl",
                       "repeal announced 11 Jul 2025 (timeline.csv); what the law does to the "
                       "locations offered and their build-up time is in the .mdl "
                       "(spreidingswet location effect, spreidingswet acquisition speed effect)",
                       bills=("spreidingswet",)),
                Effect("emergency_cost_factor", ("cost per emergency resident",), "scale", 1.1,
                       1.0, 1.3, "factor",
                       f"{PARAMETERS_CSV} hotel_place_cost 91,000 and ship_place_cost 66,000 vs "
                       "coa_cost_emergency_place 53,400 EUR/place/year",
                       assumption="more crisis places in hotels and ships; the mix is not known",
                       sample=True, bills=("spreidingswet",)),
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
                       "(timeline.csv 2025-07-11, 2025-10-04)", bills=("36831",)),
                Effect("target_in_force", ("housing target in force",), "target", 0, 0, 1,
                       "dmnl", "end of the municipal housing target (taakstelling) announced "
                       "(timeline.csv 2025-07-11)", bills=("36831",)),
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
                       "lvv_municipal_funding / lvv_rijk_funding)", bills=("lvv",)),
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
                       "the effect size is the .mdl's contact avoidance effect (assumption)",
                       bills=("36855",)),
                _inflow_effect(("36855",)),
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
              "on state-provided locations: the decision and build-up time in the .mdl (capacity "
              "decision time, base time to acquire regular capacity), not the municipal offers",
              f"cost per regular resident EUR 27,100/yr in 2022 prices ({PARAMETERS_CSV} "
              "coa_cost_regular_place 2022), vacant places at the vacant place cost share"),
        Lever("court_capacity", "extra court capacity", "person/Month", 0, 3000,
              "Extra capaciteit rechtspraak", "Extra court capacity",
              "judges and staff hired with the court staffing delay in the .mdl",
              "cost per court case EUR 2,500 (assumption in the .mdl)"),
        Lever("flex_housing", "extra flexible housing units", "unit/Month", 0, 3000,
              "Flexwoningen voor statushouders", "Flexible housing units",
              "units delivered per month from the funding date (offered to status holders, "
              "matched and moved into); the ramp is the build-up",
              f"SFT subsidy EUR 14,000 per unit ({PARAMETERS_CSV} flex_housing_subsidy_sft)"),
        Lever("dtv_capacity", "extra DTV capacity", "person/Month", 0, 1000,
              "Extra capaciteit DT&V", "Extra DT&V capacity",
              "no delay: forced departures per month from the funding date, as far as origin "
              "countries cooperate",
              f"in proportion to the DT&V budget ({PARAMETERS_CSV} dtv_apparatus_budget 2025)"),
    )
}
"""Capacity funding levers, by scenario-file name."""


def measure_variables() -> set[str]:
    """Every model input that a measure or lever can change."""
    names = {v for m in MEASURES.values() for e in m.effects for v in e.variables}
    return names | {lever.variable for lever in LEVERS.values()}

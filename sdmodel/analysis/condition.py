"""The ``--when`` condition of scenario discovery: ``KPI OP NUMBER``, read by a small grammar.

``coa_emergency_2030 > 0``, ``coa_months_above_threshold >= 12``, ``cost_total_meur > 6e3``:
a KPI name (:func:`sdmodel.analysis.run_kpis.parse_kpi`), one of ``<  <=  >  >=  ==  !=`` and a
number (plain decimal or scientific notation). Nothing is evaluated as Python. A kpis.csv
column is compared as kpis.csv shows it (:func:`sdmodel.analysis.run_kpis.as_shown`): so
``coa_emergency_2030 > 0`` means at least one person (rounded), not a remainder of 1e-30.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sdmodel.analysis.run_kpis import KpiSpec, as_shown, parse_kpi
from sdmodel.errors import AsielketenError

OPERATORS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
    "<": operator.lt, ">": operator.gt,
}
_CONDITION = re.compile(
    r"\s*(?P<kpi>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op><=|>=|==|!=|<|>)\s*"
    r"(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*")
EXAMPLE = '"coa_emergency_2030 > 0"'


@dataclass(frozen=True)
class Condition:
    """A parsed ``--when``: the KPI, the comparison and the number.

    Attributes
    ----------
    text
        As written.
    kpi
        The KPI compared.
    op
        One of :data:`OPERATORS`.
    value
        The number.
    """

    text: str
    kpi: KpiSpec
    op: str
    value: float

    def holds(self, values: np.ndarray) -> np.ndarray:
        """Whether the condition holds for each value (a boolean array), rounded as shown."""
        return np.asarray(OPERATORS[self.op](as_shown(self.kpi, values), self.value),
                          dtype=bool)

    def shown(self, lang: str = "nl") -> str:
        """The condition with the number in ``lang``'s format: ``coa_2030 > 60.000``."""
        from sdmodel.figures.formats import format_number

        return f"{self.kpi.name} {self.op} {format_number(self.value, lang)}"


def parse_when(text: str) -> Condition:
    """Parse ``KPI OP NUMBER`` (see the module docstring).

    Raises
    ------
    AsielketenError
        If ``text`` does not have that form or names no KPI.
    """
    match = _CONDITION.fullmatch(text)
    if not match:
        raise AsielketenError(
            f"--when '{text}': write KPI OP NUMBER, e.g. {EXAMPLE}; OP is one of "
            f"{' '.join(OPERATORS)}")
    kpi = parse_kpi(match.group("kpi"), option="--when")
    return Condition(text.strip(), kpi, match.group("op"), float(match.group("number")))

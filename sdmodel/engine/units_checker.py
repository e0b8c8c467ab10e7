"""The walk behind :func:`sdmodel.engine.units.check_units`: units of every equation.

:class:`ModelChecker` visits the abstract syntax tree PySD makes of each equation and derives
its units from the bottom up; the rules are listed in :mod:`sdmodel.engine.units`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np

from sdmodel.engine.unit_algebra import DIMENSIONLESS, Unit, UnitSyntaxError, parse_units
from sdmodel.engine.units_text import expression_text

ErrorKind = Literal["mismatch", "missing units", "bad units"]
CONTROL_REFERENCES = ("time_step", "initial_time", "final_time")
DIMENSIONLESS_FUNCTIONS = frozenset({"exp", "ln", "sin", "cos", "tan", "arcsin", "arccos",
                                     "arctan", "sinh", "cosh", "tanh"})
SAME_UNITS_FUNCTIONS = {"min": "MIN", "max": "MAX", "modulo": "MODULO", "quantum": "QUANTUM"}


@dataclass(frozen=True)
class UnitError:
    """One unit inconsistency in a model.

    Attributes
    ----------
    variable
        The variable whose equation is at fault, as the .mdl names it.
    line
        1-based line of the variable's definition in the .mdl (None if not found).
    expected, found
        The units the equation needs at that point and the units it has there (``""`` when the
        variable declares no units or they cannot be read).
    message
        One line naming the sub-expression and what is wrong.
    kind
        ``"mismatch"`` (inconsistent equation), ``"missing units"`` or ``"bad units"`` (a units
        string that cannot be read).
    """

    variable: str
    line: int | None
    expected: str
    found: str
    message: str
    kind: ErrorKind = "mismatch"

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "line ?"
        return f"{where}: '{self.variable}': {self.message}"


def find_line(text: str, name: str) -> int | None:
    """Return the 1-based line of the definition of ``name`` in .mdl ``text``, or None."""
    words = r"[\s_]+".join(re.escape(w) for w in re.split(r"[\s_]+", name.strip()) if w)
    pattern = (r'(?:^|\|)[ \t]*(?P<name>"?' + words
               + r'"?)[ \t]*(?:\[[^\]]*\])?\s*(?:=|:=|==|\(|:)')
    match = re.search(pattern, text, flags=re.IGNORECASE | re.MULTILINE)
    return None if match is None else text.count("\n", 0, match.start("name")) + 1


@dataclass
class _Variable:
    name: str
    kind: Literal["control", "lookup", "aux"]
    element: object
    line: int | None
    declared: Unit | None = None
    raw_units: str = ""


class ModelChecker:
    """Derive the units of every equation of one abstract model section (see ``run``)."""

    def __init__(self, section: object, text: str) -> None:
        from pysd.builders.python.namespace import NamespaceManager

        self.ns = NamespaceManager([])
        self.vars: dict[str, _Variable] = {}
        self.errors: list[UnitError] = []
        self.inferred: dict[str, Unit | None] = {}
        self.inferring: list[str] = []
        self.current: _Variable | None = None
        self.top: object = None
        subscript_names = set()
        for rng in section.subscripts or []:
            subscript_names |= {rng.name, *getattr(rng, "subscripts", [])}
        self.subscript_names = {s.lower().replace(" ", "_") for s in subscript_names}
        for element in section.elements:
            self.ns.add_to_namespace(element.name)
        for element in section.elements:
            comps = element.components
            kind: Literal["control", "lookup", "aux"] = "aux"
            if type(element).__name__ == "AbstractControlElement":
                kind = "control"
            elif all(type(c).__name__ == "AbstractLookup" for c in comps):
                kind = "lookup"
            var = _Variable(element.name, kind, element, find_line(text, element.name),
                            raw_units=(element.units or "").strip())
            self.vars[self.ns.namespace[element.name]] = var
            if var.raw_units:
                try:
                    var.declared = parse_units(var.raw_units)
                except UnitSyntaxError as err:
                    self.errors.append(UnitError(
                        var.name, var.line, "", var.raw_units,
                        f"cannot read the units '{var.raw_units}': {err.args[0]}", "bad units"))
        self.time_unit = next((self.vars[c].declared for c in CONTROL_REFERENCES
                               if c in self.vars and self.vars[c].declared), None)

    # -- driving -----------------------------------------------------------------------------
    def run(self) -> list[UnitError]:
        """Check every equation once; return the errors, one per variable and message."""
        for ident, var in self.vars.items():
            self.current = var
            found = None
            if var.kind != "lookup":
                for comp in var.element.components:
                    found = self.check_equation(comp.ast, var.declared)
            if not var.raw_units:
                found = self.inferred.get(ident, found)
                shown = "" if found is None else str(found)
                hint = f" (its equation gives {found})" if found is not None else ""
                self.errors.append(UnitError(
                    var.name, var.line, "", shown,
                    f"no units declared{hint}; add them after the first '~'", "missing units"))
        seen: set[tuple[str, str]] = set()
        unique = []
        for e in self.errors:  # one report for all elements of a subscripted variable
            if (e.variable, e.message) not in seen:
                seen.add((e.variable, e.message))
                unique.append(e)
        return unique

    def check_equation(self, ast: object, declared: Unit | None) -> Unit | None:
        """Check one equation; return its units (None if they fit anything)."""
        if _is_constant(ast):
            return declared
        self.top = ast
        before = len(self.errors)
        found = self.units(ast)
        if len(self.errors) > before:  # the equation is only partly checked: no second error
            return found
        if declared is not None and found is not None and found != declared:
            self.error(declared, found, f"the equation gives {found}, but the variable is "
                                        f"declared in {declared}")
        return found

    def error(self, expected: Unit | None, found: Unit | None, message: str) -> None:
        if self.inferring or self.current is None:
            return
        self.errors.append(UnitError(self.current.name, self.current.line,
                                     "" if expected is None else str(expected),
                                     "" if found is None else str(found), message))

    def text(self, node: object) -> str:
        return expression_text(node, self.display_name)

    def display_name(self, reference: str) -> str:
        ident = self.ns.cleanspace.get(reference)
        var = self.vars.get(ident) if ident else None
        return var.name if var else ("Time" if reference == "time" else reference)

    # -- variables ---------------------------------------------------------------------------
    def variable_units(self, reference: str) -> Unit | None:
        if reference == "time":
            return self.time_unit
        ident = self.ns.cleanspace.get(reference)
        var = self.vars.get(ident) if ident else None
        if var is None:
            return DIMENSIONLESS if reference.lower() in self.subscript_names else None
        if var.raw_units or var.kind == "lookup":
            return var.declared
        if ident not in self.inferred:
            self.inferred[ident] = self.infer(ident, var)
        return self.inferred[ident]

    def infer(self, ident: str, var: _Variable) -> Unit | None:
        """The units of an undeclared variable's first equation (None for a constant)."""
        if ident in self.inferring:
            return None
        saved = self.current, self.top
        self.inferring.append(ident)
        try:
            self.current = var
            ast = var.element.components[0].ast
            return None if _is_constant(ast) else self.check_equation(ast, None)
        finally:
            self.inferring.pop()
            self.current, self.top = saved

    # -- expressions -------------------------------------------------------------------------
    def units(self, node: object) -> Unit | None:
        """Return the units of ``node`` (None: fits any units), recording the errors in it."""
        if isinstance(node, bool | int | float | np.integer | np.floating):
            return None if node == 0 else DIMENSIONLESS
        if isinstance(node, np.ndarray):
            return DIMENSIONLESS
        method = getattr(self, "_" + type(node).__name__, None)
        return None if method is None else method(node)

    def same(self, nodes: Iterable[object], what: str, *, after_number: bool = False
             ) -> Unit | None:
        """Return the common units of ``nodes``; record an error if two of them differ.

        When a quantity meets a plain number (``x + 1``, ``MAX(x, 1)``) the number is at fault;
        with ``after_number`` the check goes on with the quantity's units (MIN, MAX and the
        IF THEN ELSE branches return one of their arguments, so the guard is a separate
        mistake), otherwise the result is unknown.
        """
        first: tuple[object, Unit] | None = None
        for node in nodes:
            unit = self.units(node)
            if unit is None:
                continue
            if first is None or unit == first[1]:
                first = first or (node, unit)
                continue
            number = node if _number(node) is not None else (
                first[0] if _number(first[0]) is not None else None)
            if number is None:
                self.error(first[1], unit, f"{what}: '{self.text(first[0])}' is {first[1]} but "
                                           f"'{self.text(node)}' is {unit}")
                return None
            other = first if number is node else (node, unit)
            self.error(other[1], DIMENSIONLESS,
                       f"{what}: the number {self.text(number)} is dmnl but "
                       f"'{self.text(other[0])}' is {other[1]}")
            if not after_number:
                return None
            first = other
        return None if first is None else first[1]

    def expect(self, node: object, expected: Unit | None, what: str) -> None:
        """Record an error if ``node`` does not have the ``expected`` units."""
        unit = self.units(node)
        if unit is not None and expected is not None and unit != expected:
            self.error(expected, unit, f"{what} '{self.text(node)}' is {unit}, "
                                       f"expected {expected}")

    def _ReferenceStructure(self, node: object) -> Unit | None:
        return self.variable_units(node.reference)

    def _ArithmeticStructure(self, node: object) -> Unit | None:
        ops, args = list(node.operators), list(node.arguments)
        if len(args) == 1:
            return self.units(args[0])
        if ops[0] == "^":
            return self.power(args)
        if ops[0] in "+-":
            return self.same(args, "terms added or subtracted have different units")
        result = self.factor(args[0])
        for op, arg in zip(ops, args[1:], strict=True):
            unit = self.factor(arg)
            if result is not None and unit is not None:
                result = result * unit if op == "*" else result / unit
            else:
                result = None
        return result

    def factor(self, node: object) -> Unit | None:
        """Units of an operand of ``*`` or ``/``: there a number, even 0, is dimensionless."""
        return DIMENSIONLESS if _number(node) is not None else self.units(node)

    def power(self, args: list[object]) -> Unit | None:
        """``a ^ b ^ c`` (right to left): the exponent must be a number for a base with units."""
        base, rest = args[0], args[1:]
        unit = self.units(base)
        value = _number(rest[0]) if len(rest) == 1 else None
        if value is not None:
            return None if unit is None else unit ** Fraction(value).limit_denominator(1000)
        exponent = self.power(rest) if len(rest) > 1 else self.units(rest[0])
        if exponent is not None and not exponent.dimensionless:
            self.error(DIMENSIONLESS, exponent, f"the exponent of '{self.text(base)}' is "
                                                f"{exponent}, expected dmnl")
        if unit is not None and not unit.dimensionless:
            self.error(None, unit, f"'{self.text(base)}' ({unit}) is raised to a power that is "
                                   "not a number, so its units are unknown")
            return None
        return unit

    def _LogicStructure(self, node: object) -> Unit | None:
        ops, args = [op.upper() for op in node.operators], list(node.arguments)
        if ops[0] in (":AND:", ":OR:", ":NOT:"):
            for arg in args:
                self.units(arg)
        else:
            for a, b in zip(args[:-1], args[1:], strict=True):
                self.same([a, b], "compared values have different units")
        return DIMENSIONLESS

    def _GameStructure(self, node: object) -> Unit | None:
        return self.units(node.expression)

    def _CallStructure(self, node: object) -> Unit | None:
        name, args = node.function.reference, list(node.arguments)
        ident = self.ns.cleanspace.get(name)
        if ident in self.vars and self.vars[ident].kind == "lookup":
            arg = self.units(args[0])
            if arg is not None and not arg.dimensionless and arg != self.time_unit:
                self.error(DIMENSIONLESS, arg, f"the argument '{self.text(args[0])}' of lookup "
                                               f"'{self.vars[ident].name}' is {arg}; a lookup "
                                               "takes a dimensionless value or the time")
            return self.vars[ident].declared
        return self.function(name, args)

    def function(self, name: str, args: list[object]) -> Unit | None:
        shown = name.upper().replace("_", " ")
        t = self.time_unit
        if name in SAME_UNITS_FUNCTIONS and len(args) >= 2:
            return self.same(args, f"arguments of {SAME_UNITS_FUNCTIONS[name]} differ",
                             after_number=name in ("min", "max"))
        if name in ("abs", "integer", "sum", "vmin", "vmax") and args:
            return self.units(args[0])
        if name in DIMENSIONLESS_FUNCTIONS or name == "log":
            for i, arg in enumerate(args, 1):
                self.expect(arg, DIMENSIONLESS, f"argument {i} of {shown}")
            return DIMENSIONLESS
        if name == "sqrt" and args:
            unit = self.units(args[0])
            return None if unit is None else unit ** Fraction(1, 2)
        if name == "power" and len(args) == 2:
            return self.power(args)
        if name in ("xidz", "zidz") and len(args) >= 2:
            top, bottom = self.units(args[0]), self.units(args[1])
            quotient = None if top is None or bottom is None else top / bottom
            if name == "xidz" and len(args) == 3:
                self.expect(args[2], quotient, "the XIDZ alternative")
            return quotient
        if name == "if_then_else" and len(args) == 3:
            self.units(args[0])
            return self.same(args[1:], "IF THEN ELSE branches have different units",
                             after_number=True)
        if name == "step" and len(args) == 2:
            self.expect(args[1], t, "the STEP time")
            return self.units(args[0])
        if name == "ramp" and len(args) == 3:
            for arg in args[1:]:
                self.expect(arg, t, "the RAMP time")
            slope = self.units(args[0])
            return None if slope is None or t is None else slope * t
        if name in ("pulse", "pulse_train"):
            for arg in args:
                self.expect(arg, t, f"the {shown} time")
            return DIMENSIONLESS
        for arg in args:  # unknown to the checker: look inside, give units that fit anything
            self.units(arg)
        return None

    # -- stateful functions ------------------------------------------------------------------
    def _IntegStructure(self, node: object) -> Unit | None:
        declared = self.current.declared if self.current else None
        stock = declared if node is self.top and declared is not None else self.units(
            node.initial)
        if stock is not None and node is self.top:
            self.expect(node.initial, stock, "the initial value")
        rate = None if stock is None or self.time_unit is None else stock / self.time_unit
        self.expect(node.flow, rate, "the INTEG rate")
        return stock

    def _smooth_or_delay(self, node: object, time: object, what: str) -> Unit | None:
        unit = self.units(node.input)
        self.expect(time, self.time_unit, f"the {what} time")
        if node.initial is not node.input:
            self.expect(node.initial, unit, f"the {what} initial value")
        return unit

    def _SmoothStructure(self, node: object) -> Unit | None:
        return self._smooth_or_delay(node, node.smooth_time, "SMOOTH")

    _SmoothNStructure = _SmoothStructure

    def _DelayStructure(self, node: object) -> Unit | None:
        return self._smooth_or_delay(node, node.delay_time, "DELAY")

    _DelayNStructure = _DelayStructure
    _DelayFixedStructure = _DelayStructure

    def _TrendStructure(self, node: object) -> Unit | None:
        self.units(node.input)
        self.expect(node.average_time, self.time_unit, "the TREND averaging time")
        rate = None if self.time_unit is None else DIMENSIONLESS / self.time_unit
        self.expect(node.initial_trend, rate, "the initial TREND")
        return rate

    def _ForecastStructure(self, node: object) -> Unit | None:
        unit = self.units(node.input)
        self.expect(node.average_time, self.time_unit, "the FORECAST averaging time")
        self.expect(node.horizon, self.time_unit, "the FORECAST horizon")
        rate = None if self.time_unit is None else DIMENSIONLESS / self.time_unit
        self.expect(node.initial_trend, rate, "the initial FORECAST trend")
        return unit

    def _SampleIfTrueStructure(self, node: object) -> Unit | None:
        self.units(node.condition)
        return self.same([node.input, node.initial], "SAMPLE IF TRUE input and initial differ")

    def _InitialStructure(self, node: object) -> Unit | None:
        return self.units(node.initial)

    def _InlineLookupsStructure(self, node: object) -> Unit | None:
        self.units(node.argument)  # the x axis of a WITH LOOKUP is its own
        return self.current.declared if self.current else None


def _number(node: object) -> float | None:
    """The value of a number or a negated number, else None."""
    if isinstance(node, bool | int | float | np.integer | np.floating):
        return float(node)
    if type(node).__name__ == "ArithmeticStructure" and list(node.operators) == ["negative"]:
        inner = _number(node.arguments[0])
        return None if inner is None else -inner
    return None


def _is_constant(ast: object) -> bool:
    """True for an equation made of numbers only (it takes its declared units)."""
    if isinstance(ast, bool | int | float | np.integer | np.floating | np.ndarray):
        return True
    if type(ast).__name__ == "ArithmeticStructure":
        return all(_is_constant(a) for a in ast.arguments)
    return False

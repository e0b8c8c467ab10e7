"""Translate one equation of PySD's abstract syntax tree into a NumPy expression.

An :class:`Expr` is a fragment of Python source plus what it needs: the variables and stateful
objects it reads and its subscript dimensions. Values with dimensions are arrays of shape
``dims + (runs,)``; values without are scalars or ``(runs,)`` arrays, so NumPy broadcasting lines
up the run axis on the right. Stateful functions (INTEG, DELAY, SMOOTH, TREND, INITIAL) are handed
to the :class:`Context`, which records them as separate objects, the way PySD does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:  # PySD is only needed for the annotations
    from pysd.translators.structures import abstract_expressions as ae

CONTROL_CODE = {
    "time": "t", "time_step": "c_time_step", "initial_time": "c_initial_time",
    "final_time": "c_final_time", "saveper": "c_saveper",
}

# name -> (number of arguments, code template over the aligned arguments a0, a1, ...)
DIRECT_FUNCTIONS = {
    "abs": (1, "np.abs({0})"), "exp": (1, "np.exp({0})"), "ln": (1, "np.log({0})"),
    "sqrt": (1, "np.sqrt({0})"), "sin": (1, "np.sin({0})"), "cos": (1, "np.cos({0})"),
    "tan": (1, "np.tan({0})"), "arcsin": (1, "np.arcsin({0})"),
    "arccos": (1, "np.arccos({0})"), "arctan": (1, "np.arctan({0})"),
    "sinh": (1, "np.sinh({0})"), "cosh": (1, "np.cosh({0})"), "tanh": (1, "np.tanh({0})"),
    "integer": (1, "np.trunc({0})"), "min": (2, "np.minimum({0}, {1})"),
    "max": (2, "np.maximum({0}, {1})"), "power": (2, "np.power({0}, {1})"),
    "log": (2, "(np.log({0})/np.log({1}))"), "modulo": (2, "_f.modulo({0}, {1})"),
    "quantum": (2, "_f.quantum({0}, {1})"), "xidz": (3, "_f.xidz({0}, {1}, {2})"),
    "zidz": (2, "_f.zidz({0}, {1})"), "if_then_else": (3, "np.where({0}, {1}, {2})"),
    "step": (2, "_f.step(t, c_half_dt, {0}, {1})"), "ramp": (3, "_f.ramp(t, {0}, {1}, {2})"),
    "pulse": (2, "_f.pulse(t, {0}, {1})"),
    "pulse_train": (4, "_f.pulse_train(t, {0}, {1}, {2}, {3})"),
}
REDUCERS = {"sum": "np.sum", "prod": "np.prod", "vmin": "np.min", "vmax": "np.max"}
BINARY = {"+": "+", "-": "-", "*": "*", "/": "/", "^": "**", "=": "==", "<>": "!=",
          "<": "<", "<=": "<=", ">": ">", ">=": ">="}
STRUCTURE_NAMES = {
    "GetDataStructure": "GET XLS/DIRECT DATA", "GetLookupsStructure": "GET XLS/DIRECT LOOKUPS",
    "GetConstantsStructure": "GET XLS/DIRECT CONSTANTS",
    "DataStructure": "a data series without an equation (external data)",
    "SampleIfTrueStructure": "SAMPLE IF TRUE",
    "AllocateAvailableStructure": "ALLOCATE AVAILABLE",
    "AllocateByPriorityStructure": "ALLOCATE BY PRIORITY",
}


@dataclass(frozen=True)
class Expr:
    """A translated expression: source ``code``, subscript ``dims`` and dependencies ``deps``.

    ``deps`` holds variable identifiers, ``"time"`` and stateful ids (``"@<id>"``).
    """

    code: str
    dims: tuple[str, ...] = ()
    deps: frozenset[str] = field(default_factory=frozenset)


class Unsupported(Exception):
    """Raised while translating: ``args[0]`` names the Vensim function or construct."""


class Context(Protocol):
    """What the translator needs to know about the model and the equation being translated."""

    def variable(self, reference: str) -> tuple[str, list[str], str]:
        """Return ``(identifier, dims, kind)`` for a cleaned Vensim name, or raise KeyError."""

    def coords(self, dim: str) -> list[str]:
        """Return the elements of a subscript range (``dim`` may end in ``!``)."""

    def subscript_value(self, reference: str) -> Expr | None:
        """Return an Expr for a subscript or range used as a number, or None."""

    def add_table(self, xs: tuple, ys: tuple) -> str:
        """Register an inline lookup table; return the name bound to ``(xs, ys)``."""

    def add_stateful(self, kind: str, parts: dict[str, Expr], order: int,
                     int_if: list[str] | None = None) -> Expr:
        """Register a stateful object; return the Expr of its value (see ``int_deps``)."""

    def int_deps(self, ast: object) -> list[str] | None:
        """None if PySD computes ``ast`` as a float; else the variables it is an int through."""

    def constant_value(self, ast: object) -> float:
        """Evaluate an expression made of numbers and constants (raise Unsupported if not)."""


def merge_dims(*exprs: Expr) -> tuple[str, ...]:
    """Return the union of the operands' dims, in order of first appearance."""
    dims: list[str] = []
    for e in exprs:
        dims += [d for d in e.dims if d not in dims]
    return tuple(dims)


def align(e: Expr, target: tuple[str, ...]) -> str:
    """Return code for ``e`` with its axes ordered and padded to broadcast against ``target``."""
    if not e.dims:
        return e.code
    missing = [d for d in e.dims if d not in target]
    if missing:
        raise Unsupported(f"subscript mapping ({', '.join(missing)})")
    order = sorted(range(len(e.dims)), key=lambda i: target.index(e.dims[i]))
    code = e.code
    if order != list(range(len(e.dims))):
        code = f"np.transpose({code}, {tuple(order) + (len(e.dims),)})"
    # the run axis is last, so dims missing after the operand's first one need a new axis;
    # leading missing dims broadcast by themselves
    first = min(target.index(d) for d in e.dims)
    index = [":" if target[i] in e.dims else "None" for i in range(first, len(target))]
    if "None" in index:
        code = f"{code}[{', '.join(index)}]"
    return code


class ExpressionTranslator:
    """Visit the abstract syntax tree of one component and return an :class:`Expr`."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def visit(self, node: object) -> Expr:
        """Translate ``node`` (a number, an array or an abstract syntax structure)."""
        if isinstance(node, bool | int | float | np.integer | np.floating):
            return Expr(repr(float(node)) if np.isfinite(node) else f"float('{node}')")
        if isinstance(node, np.ndarray):
            raise Unsupported("an array constant inside an expression")
        name = type(node).__name__
        method = getattr(self, "_" + name, None)
        if method is None:
            raise Unsupported(STRUCTURE_NAMES.get(name, name))
        return method(node)

    def _combine(self, template: str, args: list[Expr], extra: frozenset = frozenset()) -> Expr:
        dims = merge_dims(*args)
        code = template.format(*(align(a, dims) for a in args))
        deps = frozenset().union(extra, *(a.deps for a in args))
        return Expr(code, dims, deps)

    def _ArithmeticStructure(self, node: ae.ArithmeticStructure) -> Expr:
        args = [self.visit(a) for a in node.arguments]
        ops = list(node.operators)
        if len(args) == 1:
            op = ops[0]
            if op == "negative":
                return self._combine("(-{0})", args)
            if op == "+":
                return args[0]
            raise Unsupported(f"operator {op}")
        if ops[0] == "^":  # PySD writes a**b**c, which Python groups from the right
            result = args[-1]
            for left in reversed(args[:-1]):
                result = self._combine("({0} ** {1})", [left, result])
            return result
        result = args[0]
        for op, right in zip(ops, args[1:], strict=True):
            if op not in BINARY:
                raise Unsupported(f"operator {op}")
            result = self._combine("({0} " + BINARY[op] + " {1})", [result, right])
        return result

    def _LogicStructure(self, node: ae.LogicStructure) -> Expr:
        args = [self.visit(a) for a in node.arguments]
        ops = [op.upper() for op in node.operators]
        if ops == [":NOT:"]:
            return self._combine("np.logical_not({0})", args)
        if ops[0] in (":AND:", ":OR:"):
            result = args[-1]
            for op, left in zip(reversed(ops), reversed(args[:-1]), strict=True):
                fn = "np.logical_and" if op == ":AND:" else "np.logical_or"
                result = self._combine(fn + "({0}, {1})", [left, result])
            return result
        # comparisons; a chain a < b < c means (a < b) and (b < c), as in Python
        pairs = [self._combine("({0} " + BINARY[op] + " {1})", [a, b])
                 for op, a, b in zip(ops, args[:-1], args[1:], strict=True)]
        result = pairs[-1]
        for left in reversed(pairs[:-1]):
            result = self._combine("np.logical_and({0}, {1})", [left, result])
        return result

    def _ReferenceStructure(self, node: ae.ReferenceStructure) -> Expr:
        ref = node.reference
        if ref in CONTROL_CODE:
            return Expr(CONTROL_CODE[ref], (), frozenset({"time"} if ref == "time" else ()))
        try:
            ident, dims, kind = self.ctx.variable(ref)
        except KeyError:
            value = self.ctx.subscript_value(ref)
            if value is None:
                raise Unsupported(f"unknown name '{ref}'") from None
            return value
        if kind == "lookup":
            raise Unsupported(f"lookup '{ref}' used without an argument")
        base = Expr("v_" + ident, tuple(dims), frozenset({ident}))
        subs = node.subscripts.subscripts if node.subscripts else []
        if not subs:
            return base
        if len(subs) != len(dims):
            raise Unsupported(f"reference {ref}[{', '.join(subs)}] with the wrong subscripts")
        return self._subset(base, subs)

    def _subset(self, base: Expr, subs: list[str]) -> Expr:
        """Select the elements named in a reference like ``x[north]`` or ``x[sub!]``."""
        basic: list[str] = []
        takes: list[tuple[int, list[int]]] = []
        out_dims: list[str] = []
        for sub, dim in zip(subs, base.dims, strict=True):
            coords = self.ctx.coords(dim)
            name = sub[:-1] if sub.endswith("!") else sub
            if sub in coords:  # one element: the dimension disappears
                basic.append(str(coords.index(sub)))
                continue
            try:
                wanted = self.ctx.coords(name)
            except KeyError:
                raise Unsupported(f"subscript '{sub}'") from None
            if not set(wanted) <= set(coords):
                raise Unsupported(f"subscript mapping ({dim} -> {name})")
            basic.append(":")
            if wanted != coords:
                takes.append((len(out_dims), [coords.index(w) for w in wanted]))
            out_dims.append(sub)
        code = base.code
        if any(b != ":" for b in basic):
            code = f"{code}[{', '.join(basic)}]"
        for axis, idx in takes:
            code = f"np.take({code}, {idx}, axis={axis})"
        return Expr(code, tuple(out_dims), base.deps)

    def _CallStructure(self, node: ae.CallStructure) -> Expr:
        name = node.function.reference
        try:
            ident, dims, kind = self.ctx.variable(name)
        except KeyError:
            kind = None
        if kind == "lookup":
            if dims:
                raise Unsupported("a subscripted lookup")
            arg = self.visit(node.arguments[0])
            return Expr(f"_f.lookup({arg.code}, L_{ident})", arg.dims, arg.deps | {ident})
        if kind is not None:
            raise Unsupported(f"'{name}' called like a function")
        if name not in REDUCERS and name not in DIRECT_FUNCTIONS:
            raise Unsupported(name.upper().replace("_", " "))
        args = [self.visit(a) for a in node.arguments]
        if name in REDUCERS:
            return self._reduce(REDUCERS[name], args[0])
        nargs, template = DIRECT_FUNCTIONS[name]
        if len(args) != nargs:
            raise Unsupported(f"{name.upper().replace('_', ' ')} with {len(args)} arguments")
        extra = frozenset({"time"}) if "(t," in template else frozenset()
        return self._combine(template, args, extra)

    def _reduce(self, fn: str, arg: Expr) -> Expr:
        axes = tuple(i for i, d in enumerate(arg.dims) if d.endswith("!"))
        if not axes:
            raise Unsupported(f"{fn[3:].upper()} without a subscript marked with !")
        dims = tuple(d for d in arg.dims if not d.endswith("!"))
        return Expr(f"{fn}({arg.code}, axis={axes})", dims, arg.deps)

    def _GameStructure(self, node: ae.GameStructure) -> Expr:
        return self.visit(node.expression)

    def _InlineLookupsStructure(self, node: ae.InlineLookupsStructure) -> Expr:
        arg = self.visit(node.argument)
        table = self.ctx.add_table(node.lookups.x, node.lookups.y)
        return Expr(f"np.interp({arg.code}, {table}[0], {table}[1])", arg.dims, arg.deps)

    def _IntegStructure(self, node: ae.IntegStructure) -> Expr:
        parts = {"flow": self.visit(node.flow), "init": self.visit(node.initial)}
        kind = "integ_nn" if node.non_negative else "integ"
        return self.ctx.add_stateful(kind, parts, 1)

    def _InitialStructure(self, node: ae.InitialStructure) -> Expr:
        return self.ctx.add_stateful("initial", {"init": self.visit(node.initial)}, 1)

    def _delay(self, node: ae.DelayStructure | ae.DelayNStructure, kind: str) -> Expr:
        parts = {"input": self.visit(node.input), "delay_time": self.visit(node.delay_time),
                 "init": self.visit(node.initial)}
        order = self.ctx.constant_value(node.order)
        int_if = self.ctx.int_deps(node.delay_time) if kind == "delayn" else None
        return self.ctx.add_stateful(kind, parts, int(order), int_if)

    def _DelayStructure(self, node: ae.DelayStructure) -> Expr:
        return self._delay(node, "delay")

    def _DelayNStructure(self, node: ae.DelayNStructure) -> Expr:
        return self._delay(node, "delayn")

    def _DelayFixedStructure(self, node: ae.DelayFixedStructure) -> Expr:
        parts = {"input": self.visit(node.input), "delay_time": self.visit(node.delay_time),
                 "init": self.visit(node.initial)}
        return self.ctx.add_stateful("delay_fixed", parts, 1)

    def _smooth(self, node: ae.SmoothStructure | ae.SmoothNStructure) -> Expr:
        parts = {"input": self.visit(node.input), "smooth_time": self.visit(node.smooth_time),
                 "init": self.visit(node.initial)}
        order = self.ctx.constant_value(node.order)
        if order != int(order) or order < 1:
            raise Unsupported(f"SMOOTH N with order {order}")
        return self.ctx.add_stateful("smooth", parts, int(order), self.ctx.int_deps(node.initial))

    _SmoothStructure = _smooth
    _SmoothNStructure = _smooth

    def _TrendStructure(self, node: ae.TrendStructure) -> Expr:
        parts = {"input": self.visit(node.input), "average_time": self.visit(node.average_time),
                 "init": self.visit(node.initial_trend)}
        return self.ctx.add_stateful("trend", parts, 1)

    def _ForecastStructure(self, node: ae.ForecastStructure) -> Expr:
        parts = {"input": self.visit(node.input), "average_time": self.visit(node.average_time),
                 "horizon": self.visit(node.horizon), "init": self.visit(node.initial_trend)}
        return self.ctx.add_stateful("forecast", parts, 1)


def int_deps(ast: object, source: Callable[[str], tuple[str, object] | None],
             seen: frozenset[str] = frozenset()) -> list[str] | None:
    """Tell whether PySD computes ``ast`` as a Python int at initialisation.

    PySD keeps ints where the model has integer literals, and an array created from an int
    stays an int array: values stored into it later are truncated (the stages of SMOOTH with an
    integer initial value, the delay times of DELAY N). Returns None for a float, else the
    variables through which it is an int (an input replacing one of them is a float).
    ``source(reference)`` returns ``(identifier, equation)`` of a variable with one equation.
    """
    name = type(ast).__name__
    if isinstance(ast, bool | int | np.integer | np.bool_) or name == "LogicStructure":
        return []
    parts: list = []
    if name == "ArithmeticStructure" and "/" not in ast.operators:
        parts = list(ast.arguments)
    elif name == "ReferenceStructure":
        found = source(ast.reference)
        if found is None or found[0] in seen:
            return None
        inner = int_deps(found[1], source, seen | {found[0]})
        return None if inner is None else sorted(set(inner) | {found[0]})
    elif name == "CallStructure":
        fn = ast.function.reference
        if fn in ("integer", "pulse", "pulse_train"):
            return []
        picks = {"if_then_else": [1, 2], "step": [0], "modulo": [0, 1], "quantum": [0, 1]}
        parts = [ast.arguments[i] for i in picks.get(fn, [])] or [None]
    elif name in ("InitialStructure", "IntegStructure", "SmoothStructure", "SmoothNStructure"):
        parts = [ast.initial]
    elif name in ("DelayStructure", "DelayNStructure"):
        parts = [ast.initial, ast.delay_time]
    elif name == "GameStructure":
        parts = [ast.expression]
    out: set[str] = set()
    for part in parts or [None]:
        found = None if part is None else int_deps(part, source, seen)
        if found is None:
            return None
        out |= set(found)
    return sorted(out)

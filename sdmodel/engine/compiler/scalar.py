"""Rewrite the spec's NumPy expressions as scalar code for one run, element by element.

The compiler (:mod:`sdmodel.engine.compiler.expressions`) writes each equation as NumPy source
over arrays shaped ``dims + (runs,)``. :class:`ScalarTranslator` reads that source back (Python's
``ast``) and evaluates it symbolically for a single run: every value becomes a NumPy *object*
array of :class:`Scalar` code fragments, one per subscript element, with the run axis of length 1.
Indexing, transposes, ``np.take`` and broadcasting are done by NumPy itself on these object arrays,
so subscripts line up exactly as in the NumPy simulator; arithmetic and functions build the code
of one element. The result is straight-line scalar code for :mod:`sdmodel.engine.compiler.kernel`,
doing the same floating-point operations in the same order as the NumPy code it came from.

Only the vocabulary the compiler emits is understood; anything else is an internal error.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scalar:
    """The code of one element of one run; ``invariant``: the same in every run (it depends
    only on time, control values and numbers)."""

    code: str
    invariant: bool = False


CONTROL = ("t", "c_time_step", "c_initial_time", "c_final_time", "c_saveper", "c_half_dt")
ELEMENTWISE = {  # NumPy function -> template over the element codes
    "abs": "abs({0})", "sqrt": "np.sqrt({0})", "trunc": "np.trunc({0})",
    # NumPy's own routines (sdmodel.engine.compiler.kernel_math), not the C library's
    "exp": "_m.exp({0})", "log": "_m.log({0})", "sin": "_m.sin({0})", "cos": "_m.cos({0})",
    "tan": "_m.tan({0})", "arcsin": "_m.arcsin({0})", "arccos": "_m.arccos({0})",
    "arctan": "_m.arctan({0})", "sinh": "_m.sinh({0})", "cosh": "_m.cosh({0})",
    "tanh": "_m.tanh({0})", "minimum": "_g.minimum({0}, {1})",
    "maximum": "_g.maximum({0}, {1})", "power": "({0} ** {1})",
    "where": "({1} if {0} else {2})", "logical_and": "_g.land({0}, {1})",
    "logical_or": "_g.lor({0}, {1})", "logical_not": "_g.lnot({0})",
}
HELPERS = {  # sdmodel.engine.compiler.functions helper -> template
    "xidz": "_g.xidz({0}, {1}, {2})", "zidz": "_g.zidz({0}, {1})",
    "quantum": "_g.quantum({0}, {1})", "modulo": "_g.modulo({0}, {1})",
    "step": "_g.step({0}, {1}, {2}, {3})", "ramp": "_g.ramp({0}, {1}, {2}, {3})",
    "pulse": "_g.pulse({0}, {1}, {2})", "pulse_train": "_g.pulse_train({0}, {1}, {2}, {3}, {4})",
}
REDUCERS = {"sum": "({0} + {1})", "prod": "({0} * {1})", "min": "_g.minimum({0}, {1})",
            "max": "_g.maximum({0}, {1})"}
BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
           ast.GtE: ">="}
# NumPy computes ``array ** number`` by a faster ufunc for these exponents (fast_scalar_power)
FAST_POWERS = {2.0: "({0} * {0})", 0.5: "np.sqrt({0})", -1.0: "(1.0 / {0})", 1.0: "{0}",
               0.0: "1.0"}


class TranslationError(Exception):
    """The NumPy source holds something the scalar translator does not know (a compiler bug)."""


def scalar_array(code: str, invariant: bool = False) -> np.ndarray:
    """Return a 0-d object array holding one :class:`Scalar`."""
    out = np.empty((), dtype=object)
    out[()] = Scalar(code, invariant)
    return out


def named_array(prefix: str, ident: str, shape: tuple[int, ...]) -> np.ndarray:
    """Object array of the local names of a variable's elements (run axis of length 1 last).

    Element ``(i, j)`` of ``v_x`` is named ``v{i}_{j}_x``, and the element of a variable without
    subscripts is ``v_x``: the digit after the prefix keeps the two kinds of names apart.
    """
    out = np.empty(shape + (1,), dtype=object)
    for idx in np.ndindex(*shape):
        label = "_".join(str(i) for i in idx)
        out[idx + (0,)] = Scalar(f"{prefix}{label}_{ident}")
    return out


def each(template: str, *args: np.ndarray) -> np.ndarray:
    """Apply ``template`` element by element, broadcasting the object arrays ``args``."""
    arrays = np.broadcast_arrays(*args)
    out = np.empty(arrays[0].shape, dtype=object)
    for idx in np.ndindex(*out.shape):
        parts = [a[idx] for a in arrays]
        out[idx] = Scalar(template.format(*(p.code for p in parts)),
                          all(p.invariant for p in parts))
    return out


def _fold(template: str, values: list[Scalar]) -> Scalar:
    result = values[0]
    for value in values[1:]:
        result = Scalar(template.format(result.code, value.code),
                        result.invariant and value.invariant)
    return result


class ScalarTranslator:
    """Translate NumPy expression source into object arrays of scalar code.

    Parameters
    ----------
    names
        Identifier -> object array of its elements (``v_x``, ``s_x``, ``tm_x``, ``k_x``).
    lookup
        ``(identifier, argument) -> Scalar`` for a lookup table given as an input.
    table
        ``(table name, argument) -> Scalar`` for a lookup table written in the model.
    """

    def __init__(self, names: Callable[[str], np.ndarray],
                 lookup: Callable[[str, Scalar], Scalar],
                 table: Callable[[str, Scalar], Scalar]) -> None:
        self.names, self.lookup, self.table = names, lookup, table

    def translate(self, code: str) -> np.ndarray:
        """Return the object array of the element codes of the expression ``code``."""
        return np.asarray(self.visit(ast.parse(code, mode="eval").body), dtype=object)

    # -- nodes -------------------------------------------------------------------------------
    def visit(self, node: ast.AST) -> np.ndarray:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise TranslationError(f"cannot translate {ast.unparse(node)!r}")
        return method(node)

    def _Constant(self, node: ast.Constant) -> np.ndarray:
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise TranslationError(f"unexpected constant {node.value!r}")
        return scalar_array(repr(float(node.value)), True)

    def _Name(self, node: ast.Name) -> np.ndarray:
        if node.id in CONTROL:
            return scalar_array(node.id, True)
        return self.names(node.id)

    def _UnaryOp(self, node: ast.UnaryOp) -> np.ndarray:
        if isinstance(node.op, ast.USub):
            return each("(-{0})", self.visit(node.operand))
        raise TranslationError(f"unexpected operator in {ast.unparse(node)!r}")

    def _BinOp(self, node: ast.BinOp) -> np.ndarray:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Pow):
            exponent = node.right
            if isinstance(exponent, ast.UnaryOp) and isinstance(exponent.operand, ast.Constant):
                exponent = ast.Constant(-exponent.operand.value)
            fast = (FAST_POWERS.get(float(exponent.value))
                    if isinstance(exponent, ast.Constant) else None)
            return each(fast or "({0} ** {1})", left, right)
        op = BINARY.get(type(node.op))
        if op is None:
            raise TranslationError(f"unexpected operator in {ast.unparse(node)!r}")
        return each("({0} " + op + " {1})", left, right)

    def _Compare(self, node: ast.Compare) -> np.ndarray:
        if len(node.ops) != 1 or type(node.ops[0]) not in COMPARE:
            raise TranslationError(f"unexpected comparison {ast.unparse(node)!r}")
        return each("({0} " + COMPARE[type(node.ops[0])] + " {1})", self.visit(node.left),
                    self.visit(node.comparators[0]))

    def _Subscript(self, node: ast.Subscript) -> np.ndarray:
        value = self.visit(node.value)
        return np.asarray(value[self._index(node.slice)], dtype=object)

    def _index(self, node: ast.AST) -> object:
        if isinstance(node, ast.Tuple):
            return tuple(self._index(e) for e in node.elts)
        if isinstance(node, ast.Slice) and node.lower is node.upper is node.step is None:
            return slice(None)
        value = ast.literal_eval(node)
        if value is None or isinstance(value, int | list):
            return value
        raise TranslationError(f"unexpected index {ast.unparse(node)!r}")

    def _Call(self, node: ast.Call) -> np.ndarray:
        func = node.func
        if isinstance(func, ast.Name) and func.id == "float":  # float('inf') / float('nan')
            value = float(ast.literal_eval(node.args[0]))
            code = "np.nan" if value != value else ("np.inf" if value > 0 else "(-np.inf)")
            return scalar_array(code, True)
        if not isinstance(func, ast.Attribute):
            raise TranslationError(f"unexpected call {ast.unparse(node)!r}")
        if func.attr == "reshape":  # np.array(values).reshape(shape)
            return self.visit(func.value).reshape(ast.literal_eval(node.args[0]))
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        if owner == "np":
            return self._numpy(func.attr, node)
        if owner == "_f":
            return self._helper(func.attr, node)
        raise TranslationError(f"unexpected call {ast.unparse(node)!r}")

    def _numpy(self, name: str, node: ast.Call) -> np.ndarray:
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        if name == "array":
            values = np.asarray(ast.literal_eval(node.args[0]), dtype=float)
            out = np.empty(values.shape, dtype=object)
            for idx in np.ndindex(*values.shape):
                out[idx] = Scalar(repr(float(values[idx])), True)
            return out
        if name == "interp":
            table = node.args[1].value.id  # np.interp(x, T3[0], T3[1])
            arg = self.visit(node.args[0])
            return self._map(arg, lambda x: self.table(table, x))
        if name == "transpose":
            return np.transpose(self.visit(node.args[0]), ast.literal_eval(node.args[1]))
        if name == "take":
            return np.take(self.visit(node.args[0]), ast.literal_eval(node.args[1]),
                           axis=kwargs["axis"])
        args = [self.visit(a) for a in node.args]
        if name in REDUCERS:
            return self._reduce(REDUCERS[name], args[0], tuple(kwargs["axis"]))
        if name in ELEMENTWISE:
            return each(ELEMENTWISE[name], *args)
        raise TranslationError(f"unexpected function np.{name}")

    def _helper(self, name: str, node: ast.Call) -> np.ndarray:
        if name == "lookup":  # _f.lookup(x, L_ident)
            ident = node.args[1].id[2:]
            return self._map(self.visit(node.args[0]), lambda x: self.lookup(ident, x))
        if name == "full":  # _f.full(value, shape): cover the subscripts
            value, shape = self.visit(node.args[0]), ast.literal_eval(node.args[1])
            return np.broadcast_to(value, np.broadcast_shapes(value.shape, shape + (1,)))
        if name == "delay_output":  # _f.delay_output(s_x, k_x): stage k - 1 of the chain
            stages, k = self.visit(node.args[0]), self.visit(node.args[1])[()].code
            order = stages.shape[0]
            out = np.empty(stages.shape[1:], dtype=object)
            for idx in np.ndindex(*out.shape):
                code = stages[(order - 1,) + idx].code
                for j in range(order - 2, -1, -1):
                    code = f"({code} if {k} > {float(j + 1)!r} else {stages[(j,) + idx].code})"
                out[idx] = Scalar(code)
            return out
        if name in HELPERS:
            return each(HELPERS[name], *(self.visit(a) for a in node.args))
        raise TranslationError(f"unexpected helper _f.{name}")

    @staticmethod
    def _map(values: np.ndarray, fn: Callable[[Scalar], Scalar]) -> np.ndarray:
        out = np.empty(values.shape, dtype=object)
        for idx in np.ndindex(*values.shape):
            out[idx] = fn(values[idx])
        return out

    @staticmethod
    def _reduce(template: str, values: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        """Fold the elements over ``axes`` in C order, as NumPy reduces a non-contiguous axis."""
        kept = [a for a in range(values.ndim) if a not in axes]
        moved = np.transpose(values, list(axes) + kept)
        flat = moved.reshape((-1,) + moved.shape[len(axes):])
        out = np.empty(flat.shape[1:], dtype=object)
        for idx in np.ndindex(*out.shape):
            out[idx] = _fold(template, [flat[(k,) + idx] for k in range(flat.shape[0])])
        return out

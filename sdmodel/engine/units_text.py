"""Write a PySD abstract syntax tree back as Vensim-like text, for messages about equations."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

MAX_CHARS = 90
_FUNCTION_NAMES = {"IntegStructure": "INTEG", "SmoothStructure": "SMOOTH",
                   "SmoothNStructure": "SMOOTH N", "DelayStructure": "DELAY",
                   "DelayNStructure": "DELAY N", "DelayFixedStructure": "DELAY FIXED",
                   "TrendStructure": "TREND", "ForecastStructure": "FORECAST",
                   "InitialStructure": "INITIAL", "SampleIfTrueStructure": "SAMPLE IF TRUE"}
_PARTS = {"IntegStructure": ("flow", "initial"),
          "SmoothStructure": ("input", "smooth_time", "initial"),
          "SmoothNStructure": ("input", "smooth_time", "initial", "order"),
          "DelayStructure": ("input", "delay_time", "initial"),
          "DelayNStructure": ("input", "delay_time", "initial", "order"),
          "DelayFixedStructure": ("input", "delay_time", "initial"),
          "TrendStructure": ("input", "average_time", "initial_trend"),
          "ForecastStructure": ("input", "average_time", "horizon", "initial_trend"),
          "InitialStructure": ("initial",),
          "SampleIfTrueStructure": ("condition", "input", "initial")}


def expression_text(node: object, name: Callable[[str], str], *,
                    limit: int = MAX_CHARS) -> str:
    """Return ``node`` as text, shortened to about ``limit`` characters.

    Parameters
    ----------
    node
        A number or a PySD abstract syntax structure.
    name
        Turns a cleaned PySD reference (``"regular_coa_capacity"``) into the model's name.
    limit
        Longer texts are cut and end in ``...``.
    """
    text = _text(node, name)
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _text(node: object, name: Callable[[str], str]) -> str:
    if isinstance(node, bool | int | float | np.integer | np.floating):
        return _number(node)
    if isinstance(node, np.ndarray):
        return "(array)"
    kind = type(node).__name__
    if kind == "ReferenceStructure":
        subs = node.subscripts.subscripts if node.subscripts else []
        return name(node.reference) + (f"[{', '.join(subs)}]" if subs else "")
    if kind in ("ArithmeticStructure", "LogicStructure"):
        args = [_operand(a, name) for a in node.arguments]
        ops = [str(op) for op in node.operators]
        if len(args) == 1:
            return ("-" if ops[0] == "negative" else ops[0] + " ") + args[0]
        out = args[0]
        for op, arg in zip(ops, args[1:], strict=True):
            out += f" {op} {arg}"
        return out
    if kind == "CallStructure":
        fn = node.function.reference
        shown = name(fn)
        shown = fn.upper().replace("_", " ") if shown == fn else shown
        return f"{shown}({', '.join(_text(a, name) for a in node.arguments)})"
    if kind == "GameStructure":
        return f"GAME({_text(node.expression, name)})"
    if kind == "InlineLookupsStructure":
        return f"WITH LOOKUP({_text(node.argument, name)}, ...)"
    if kind in _PARTS:
        parts = [_text(getattr(node, p), name) for p in _PARTS[kind]]
        return f"{_FUNCTION_NAMES[kind]}({', '.join(parts)})"
    return kind.replace("Structure", "").upper()


def _operand(node: object, name: Callable[[str], str]) -> str:
    """An argument of an operator, in parentheses when it is itself an operation."""
    text = _text(node, name)
    nested = type(node).__name__ in ("ArithmeticStructure", "LogicStructure")
    return f"({text})" if nested and len(node.arguments) > 1 else text

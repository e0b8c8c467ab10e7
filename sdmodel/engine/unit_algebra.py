"""Units of measure as products of base units with rational exponents, parsed from Vensim text.

A :class:`Unit` is a product of named base units, each raised to a rational power:
``EUR/(person*Year)`` is ``EUR^1 person^-1 Year^-1``. Every name that is not a dimensionless
word is a base unit of its own, as in Vensim: ``Month``, ``Year``, ``Week`` and ``Day`` are
different units, and a model converts between them with a constant whose units say so
(``months per year = 12 ~ Month/Year``). Names are compared without regard to case, and the
plural of a time unit (``Months``, ``Years``, ...) is the same unit, which are the synonyms
Vensim defines for a new model; ``person`` and ``persons`` stay different, as in Vensim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

DIMENSIONLESS_WORDS = frozenset({"dmnl", "dimensionless", "1"})
TIME_SYNONYMS = {"seconds": "second", "minutes": "minute", "hours": "hour", "days": "day",
                 "weeks": "week", "months": "month", "quarters": "quarter", "years": "year"}
_TOKEN = re.compile(r"\s*(?:(?P<op>[*/()^])|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[^*/()^]+))")


class UnitSyntaxError(ValueError):
    """A units string that cannot be read; ``args[0]`` says what is wrong."""


@dataclass(frozen=True)
class Unit:
    """A product of base units: ``powers`` holds ``(canonical name, exponent)``, sorted by name.

    ``spelling`` maps each canonical name to how the model first wrote it, for messages.
    """

    powers: tuple[tuple[str, Fraction], ...] = ()
    spelling: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def base(name: str) -> Unit:
        """Return the unit of one name (``"Months"`` is ``Month``, ``"dmnl"`` is 1)."""
        word = " ".join(name.split())
        key = word.lower()
        if key in DIMENSIONLESS_WORDS:
            return DIMENSIONLESS
        key = TIME_SYNONYMS.get(key, key)
        if word.lower() in TIME_SYNONYMS:
            word = word[:-1]
        return Unit(((key, Fraction(1)),), ((key, word),))

    @property
    def dimensionless(self) -> bool:
        """True for a pure number (``dmnl``)."""
        return not self.powers

    def _combine(self, other: Unit, sign: int) -> Unit:
        exps = dict(self.powers)
        for name, exp in other.powers:
            exps[name] = exps.get(name, Fraction(0)) + sign * exp
        names = dict(other.spelling) | dict(self.spelling)
        kept = tuple(sorted((n, e) for n, e in exps.items() if e != 0))
        return Unit(kept, tuple(sorted((n, names[n]) for n, _ in kept)))

    def __mul__(self, other: Unit) -> Unit:
        return self._combine(other, 1)

    def __truediv__(self, other: Unit) -> Unit:
        return self._combine(other, -1)

    def __pow__(self, exponent: Fraction | int) -> Unit:
        exponent = Fraction(exponent)
        kept = tuple((n, e * exponent) for n, e in self.powers if e * exponent != 0)
        names = dict(self.spelling)
        return Unit(kept, tuple((n, names[n]) for n, _ in kept))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unit) and self.powers == other.powers

    def __hash__(self) -> int:
        return hash(self.powers)

    def __str__(self) -> str:
        if not self.powers:
            return "dmnl"
        names = dict(self.spelling)

        def factor(name: str, exp: Fraction) -> str:
            shown = names.get(name, name)
            return shown if exp == 1 else f"{shown}^{exp}" if exp.denominator == 1 \
                else f"{shown}^({exp})"

        order = sorted(self.powers, key=lambda p: names.get(p[0], p[0]).lower())
        top = [factor(n, e) for n, e in order if e > 0]
        bottom = [factor(n, -e) for n, e in order if e < 0]
        text = "*".join(top) or "1"
        if bottom:
            below = "*".join(bottom)
            text += "/" + (f"({below})" if len(bottom) > 1 else below)
        return text


DIMENSIONLESS = Unit()


def parse_units(text: str) -> Unit:
    """Parse a Vensim units string such as ``person/Month`` or ``hour/(FTE*Month)``.

    Products ``*``, quotients ``/`` (left to right: ``EUR/person/Year`` is
    ``EUR/(person*Year)``), parentheses and powers (``Month^2``, ``person^-1``) are read; the
    number 1 and the words ``dmnl`` and ``dimensionless`` are dimensionless.

    Raises
    ------
    UnitSyntaxError
        If the text is empty or not a units expression (unbalanced parentheses, a number other
        than 1 as a factor, an operator without an operand).
    """
    tokens = _tokens(text)
    if not tokens:
        raise UnitSyntaxError("no units given")
    unit, rest = _product(tokens)
    if rest:
        raise UnitSyntaxError(f"unexpected '{rest[0][1]}'")
    return unit


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise UnitSyntaxError(f"cannot read '{text[pos:]}'")
        kind = match.lastgroup or "name"
        value = match.group(kind).strip()
        if value:
            out.append((kind, value))
        pos = match.end()
    return out


def _product(tokens: list[tuple[str, str]]) -> tuple[Unit, list[tuple[str, str]]]:
    unit, tokens = _power(tokens)
    while tokens and tokens[0][1] in "*/":
        op = tokens[0][1]
        right, tokens = _power(tokens[1:])
        unit = unit * right if op == "*" else unit / right
    return unit, tokens


def _power(tokens: list[tuple[str, str]]) -> tuple[Unit, list[tuple[str, str]]]:
    unit, tokens = _atom(tokens)
    if tokens and tokens[0][1] == "^":
        tokens = tokens[1:]
        bracketed = bool(tokens) and tokens[0][1] == "("
        if bracketed:
            tokens = tokens[1:]
        if not tokens or tokens[0][0] != "num":
            raise UnitSyntaxError("'^' must be followed by a number")
        exponent = Fraction(tokens[0][1])
        tokens = tokens[1:]
        if bracketed and len(tokens) > 1 and tokens[0][1] == "/" and tokens[1][0] == "num":
            exponent /= Fraction(tokens[1][1])
            tokens = tokens[2:]
        unit = unit**exponent
        if bracketed:
            if not tokens or tokens[0][1] != ")":
                raise UnitSyntaxError("missing ')' after the exponent")
            tokens = tokens[1:]
    return unit, tokens


def _atom(tokens: list[tuple[str, str]]) -> tuple[Unit, list[tuple[str, str]]]:
    if not tokens:
        raise UnitSyntaxError("an operator without a unit after it")
    kind, value = tokens[0]
    if value == "(":
        unit, rest = _product(tokens[1:])
        if not rest or rest[0][1] != ")":
            raise UnitSyntaxError("missing ')'")
        return unit, rest[1:]
    if kind == "num":
        if Fraction(value) != 1:
            raise UnitSyntaxError(f"the number {value} in units (only 1 is allowed, as in 1/Month)")
        return DIMENSIONLESS, tokens[1:]
    if kind == "name":
        return Unit.base(value), tokens[1:]
    raise UnitSyntaxError(f"unexpected '{value}'")

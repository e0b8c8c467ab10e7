"""Compile a Vensim .mdl into a vectorised NumPy simulator, through PySD's abstract model.

The pipeline: PySD's Vensim translator parses the file (a copy in the cache folder, see
:func:`sdmodel.engine.translate.translated_copy`) into its abstract model; :func:`build_spec` turns
that into a *spec*, a plain dict of variables, stateful objects and lookup tables whose equations
are already NumPy source (see :mod:`sdmodel.engine.compiler.expressions`);
:func:`sdmodel.engine.compiler.codegen.generate_source` lays a spec out as a straight-line
simulator.
:func:`compile_mdl` caches the generated module under ``cache_dir()/"batch"/<sha256>.py``.

Supported: arithmetic and logic; ABS, EXP, LN, LOG, SQRT, POWER, SIN..TANH, MIN, MAX, INTEGER,
MODULO, QUANTUM; IF THEN ELSE, XIDZ, ZIDZ; STEP, RAMP, PULSE, PULSE TRAIN; INTEG, DELAY1(I),
DELAY3(I), DELAY N, DELAY FIXED (its delay time read once, at the start), SMOOTH(I), SMOOTH3(I),
SMOOTH N, TREND, FORECAST, INITIAL; lookups (WITH LOOKUP and lookup tables called like
functions); data equations written in the model (``:=``); subscript ranges and subranges,
element-wise and per-element equations, SUM/PROD/VMIN/VMAX over ``range!``; a range used as a
number. Anything else raises
:class:`~sdmodel.errors.ModelFileError` when compiling, naming the file, line, variable and
function: e.g. SAMPLE IF TRUE, ACTIVE INITIAL, RANDOM *, GET XLS/DIRECT *, data
read from external files, macros, subscript mappings, :EXCEPT:, subscripted lookups, VECTOR *,
ALLOCATE *, LOOKUP FORWARD/BACKWARD/EXTRAPOLATE/INVERT, DELAY N/SMOOTH N orders that vary.

Semantics follow PySD 3.14 to the last bit where PySD is deterministic: its time grid and save
test, evaluation at each step before all states are updated, DELAY orders lowered when the
delay time is below ``order * TIME STEP`` (per run here), lookup tables and array constants
rounded to 8 decimals as PySD writes them, and PySD's integer arrays (a SMOOTH with an integer
initial value truncates its first input; DELAY N with an integer delay time truncates later
delay times). One PySD quirk is not reproduced: DELAY N with a delay time that changes during
the run uses the value of the current step; PySD does so only when that variable is returned.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import ModuleType

import numpy as np

from sdmodel.engine.compiler.codegen import (
    cached_module,
    default_variant,
    generate_source,
    import_module,
    write_atomic,
)
from sdmodel.engine.compiler.expressions import (
    Expr,
    ExpressionTranslator,
    Unsupported,
    align,
    int_deps,
)
from sdmodel.engine.translate import file_sha256, translated_copy
from sdmodel.errors import ModelFileError
from sdmodel.paths import cache_dir

CONTROL_NAMES = ("initial_time", "final_time", "time_step", "saveper")
_SOURCES = ("compile.py", "expressions.py", "codegen.py", "functions.py")


def compiler_fingerprint() -> str:
    """Return a short hash of the compiler's own source: a new compiler invalidates the cache."""
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


def find_line(text: str, name: str) -> int | None:
    """Return the 1-based line of the definition of ``name`` in .mdl ``text``, or None."""
    words = r"[\s_]+".join(re.escape(w) for w in re.split(r"[\s_]+", name.strip()) if w)
    pattern = (r'(?:^|\|)[ \t]*(?P<name>"?' + words
               + r'"?)[ \t]*(?:\[[^\]]*\])?\s*(?:=|:=|==|\(|:)')
    match = re.search(pattern, text, flags=re.IGNORECASE | re.MULTILINE)
    return None if match is None else text.count("\n", 0, match.start("name")) + 1


def pysd_numbers(values: object) -> np.ndarray:
    """Return ``values`` as PySD writes them into its model: ``np.array2string`` (8 decimals).

    PySD keeps lookup tables and array constants with that precision, so the batch simulator
    uses the same rounded numbers to give the same results.
    """
    arr = np.asarray(values, dtype=float)
    text = np.array2string(arr, separator=",", threshold=max(arr.size, 1), precision=8,
                           floatmode="maxprec")
    return np.array(eval(text, {"nan": np.nan, "inf": np.inf}), dtype=float)  # noqa: S307


class _SpecBuilder:
    """Walk the abstract model's main section and collect the spec (see :func:`build_spec`)."""

    def __init__(self, am: object, source: Path, text: str) -> None:
        from pysd.builders.python.namespace import NamespaceManager
        from pysd.builders.python.subscripts import SubscriptManager

        self.source, self.text = source, text
        self.section = am.sections[0]
        self.macros = {s.name.lower().replace(" ", "_") for s in am.sections[1:]}
        try:
            self.subs = SubscriptManager(self.section.subscripts, source.parent)
        except Exception as err:  # e.g. GET XLS SUBSCRIPT without its file
            raise ModelFileError(f"{source}: cannot resolve the subscript ranges ({err}); "
                                 "define ranges by listing their elements") from err
        self.ns = NamespaceManager([])
        self.info: dict[str, dict] = {}
        self.statefuls: dict[str, dict] = {}
        self.tables: dict[str, list] = {}
        self.lookups: dict[str, dict] = {}
        self.structural: set[str] = set()
        self.components: dict[str, list] = {}
        self.current: dict = {}

    # -- errors ------------------------------------------------------------------------------
    def fail(self, name: str, what: str) -> ModelFileError:
        """Return the error for an unsupported construct ``what`` in variable ``name``."""
        line = find_line(self.text, name)
        where = f"{self.source}:{line}" if line else f"{self.source} (line not found)"
        return ModelFileError(
            f"{where}: variable '{name}' uses {what}, which the batch simulator does not "
            "support; rewrite the equation (see sdmodel.engine.compiler.compile for what is "
            "supported) or run this model with PySD")

    # -- Context protocol for the expression translator --------------------------------------
    def variable(self, reference: str) -> tuple[str, list[str], str]:
        if reference in self.macros:
            raise Unsupported(f"the macro {reference.upper().replace('_', ' ')}")
        ident = self.ns.cleanspace[reference]
        if ident == "time" or ident not in self.info:
            raise KeyError(reference)
        info = self.info[ident]
        return ident, info["dims"], info["kind"]

    def coords(self, dim: str) -> list[str]:
        return list(self.subs.subscripts[dim[:-1] if dim.endswith("!") else dim])

    def subscript_value(self, reference: str) -> Expr | None:
        if reference not in self.subs.subscript2num:
            return None
        code, dims = self.subs.subscript2num[reference]
        if not dims:
            return Expr(repr(float(code)))
        values = eval(code, {"np": np, "_subscript_dict": self.subs.subscripts})  # noqa: S307
        (dim,) = dims
        return Expr(f"np.array({[float(v) for v in values]})[:, None]", (dim,))

    def add_table(self, xs: tuple, ys: tuple) -> str:
        name = f"T{len(self.tables)}"
        self.tables[name] = [pysd_numbers(xs).tolist(), pysd_numbers(ys).tolist()]
        return name

    def add_stateful(self, kind: str, parts: dict[str, Expr], order: int,
                     int_if: list[str] | None = None) -> Expr:
        cur = self.current
        sid = f"{cur['ident']}_{sum(st['var'] == cur['ident'] for st in self.statefuls.values())}"
        dims = cur["dims"]
        self.statefuls[sid] = {
            "kind": kind, "var": cur["ident"], "order": order, "int_if": int_if,
            "shape": [len(self.coords(d)) for d in dims],
            "parts": {r: {"code": align(e, dims), "deps": sorted(e.deps)}
                      for r, e in parts.items()},
        }
        s = "s_" + sid
        code = {"integ": s, "integ_nn": s, "initial": s, "delay_fixed": s, "smooth": f"{s}[-1]",
                "delay": f"(_f.delay_output({s}, k_{sid}) / {{delay_time}})",
                "delayn": f"(_f.delay_output({s}, k_{sid}) / tm_{sid}[0])",
                "trend": f"_f.zidz(({{input}} - {s}), ({{average_time}} * np.abs({s})))",
                "forecast": f"({{input}} * (1 + _f.zidz(({{input}} - {s}), "
                            f"({{average_time}} * {s})) * {{horizon}}))"}[kind]
        used = [r for r in parts if "{" + r + "}" in code]
        code = code.format(**{r: align(parts[r], dims) for r in used})
        deps = frozenset({"@" + sid}).union(*(parts[r].deps for r in used))
        return Expr(code, tuple(dims), deps)

    def int_deps(self, ast: object) -> list[str] | None:
        return int_deps(ast, self._int_source)

    def _int_source(self, reference: str) -> tuple[str, object] | None:
        """The identifier and single equation of a variable, for :func:`int_deps`."""
        ident = self.ns.cleanspace.get(reference)
        info = self.info.get(ident) if ident != "time" else None
        if info is None or info["kind"] == "lookup":
            return None
        comps = info["element"].components if "element" in info else self.components[ident]
        return (ident, comps[0].ast) if len(comps) == 1 else None

    def constant_value(self, ast: object) -> float:
        if isinstance(ast, int | float):
            return float(ast)
        name = type(ast).__name__
        if name == "ReferenceStructure" and not ast.subscripts:
            ident = self.ns.cleanspace.get(ast.reference)
            info = self.info.get(ident)
            if info and info["kind"] in ("constant", "control") and not info["dims"]:
                if "element" in info:  # a control variable defined later in the file
                    self.build_element(ident)
                self.structural.add(ident)
                return float(info["default"])
        if name == "ArithmeticStructure":
            values = [self.constant_value(a) for a in ast.arguments]
            ops = list(ast.operators)
            if ops == ["negative"]:
                return -values[0]
            out = values[0]
            for op, v in zip(ops, values[1:], strict=True):
                out = {"+": out + v, "-": out - v, "*": out * v,
                       "/": out / v if v else np.nan, "^": out**v}[op]
            return out
        raise Unsupported("an order (DELAY N, SMOOTH N) or control value that is not constant")

    # -- elements ----------------------------------------------------------------------------
    def register(self) -> None:
        """First pass: identifiers, dimensions and kinds of all elements."""
        for element in self.section.elements:
            self.ns.add_to_namespace(element.name)
        for element in self.section.elements:
            ident = self.ns.namespace[element.name]
            comps = element.components
            try:
                dims = (self.subs.make_merge_list([c.subscripts[0] for c in comps], element.name)
                        if comps[0].subscripts[0] else [])
            except (KeyError, ValueError, IndexError) as err:
                raise self.fail(element.name, "subscripts it cannot resolve") from err
            kind = "aux"
            if type(element).__name__ == "AbstractControlElement":
                kind = "control"
            elif all(type(c).__name__ == "AbstractLookup" for c in comps):
                kind = "lookup"
            elif all(isinstance(c.ast, int | float | np.ndarray) for c in comps):
                kind = "constant"
            self.info[ident] = {"name": element.name, "kind": kind, "dims": dims,
                                "units": element.units or "", "doc": element.documentation or "",
                                "limits": [None if v is None or np.isnan(v) else float(v)
                                           for v in (element.limits or (None, None))],
                                "element": element}

    def build_element(self, ident: str) -> None:
        info = self.info[ident]
        element = info.pop("element")
        self.components[ident] = element.components
        name, kind = element.name, info["kind"]
        try:
            if kind == "lookup":
                self._lookup(ident, element)
            elif kind == "control":
                info["default"] = self.constant_value(element.components[0].ast)
            elif kind == "constant":
                info["default"] = self._constant(ident, element).tolist()
            else:
                info["pieces"] = [self._piece(ident, c) for c in element.components]
        except Unsupported as err:
            raise self.fail(name, str(err.args[0])) from err

    def _indices(self, ident: str, subs: list[str]) -> list:
        """Per dimension of the variable: None (all), an int (element) or a list (subrange)."""
        out: list = []
        for sub, dim in zip(subs, self.info[ident]["dims"], strict=True):
            coords = self.coords(dim)
            if sub in coords and sub not in self.subs.subscripts:
                out.append(coords.index(sub))
                continue
            try:
                wanted = self.coords(sub)
                out.append(None if wanted == coords else [coords.index(w) for w in wanted])
            except (KeyError, ValueError):
                raise Unsupported(f"subscript mapping ({dim} -> {sub})") from None
        if sum(isinstance(i, list) for i in out) > 1:
            raise Unsupported("an equation over more than one subrange")
        return out

    def _constant(self, ident: str, element: object) -> np.ndarray:
        dims = self.info[ident]["dims"]
        value = np.full([len(self.coords(d)) for d in dims], np.nan)
        for comp in element.components:
            if comp.subscripts[1]:
                raise Unsupported(":EXCEPT:")
            index = self._indices(ident, comp.subscripts[0]) if dims else []
            ast = pysd_numbers(comp.ast) if isinstance(comp.ast, np.ndarray) else comp.ast
            value[tuple(slice(None) if i is None else i for i in index)] = ast
        return value

    def _lookup(self, ident: str, element: object) -> None:
        comps = element.components
        if len(comps) != 1 or self.info[ident]["dims"]:
            raise Unsupported("a subscripted lookup")
        ast = comps[0].ast
        if type(ast).__name__ != "LookupsStructure":
            raise Unsupported(type(ast).__name__.replace("Structure", "").upper() or "a lookup")
        self.lookups[ident] = {"x": pysd_numbers(ast.x).tolist(), "y": pysd_numbers(ast.y).tolist()}

    def _piece(self, ident: str, comp: object) -> dict:
        if comp.subscripts[1]:
            raise Unsupported(":EXCEPT:")
        subs = comp.subscripts[0]
        index = self._indices(ident, subs) if subs else []
        dims = tuple(s for s, i in zip(subs, index, strict=True) if not isinstance(i, int))
        self.current = {"ident": ident, "dims": dims}
        shape = tuple(len(self.coords(d)) for d in dims)
        if isinstance(comp.ast, np.ndarray):
            values = np.broadcast_to(pysd_numbers(comp.ast), shape).tolist()
            expr = Expr(f"np.array({values}).reshape({shape + (1,)})", dims)
        else:
            expr = ExpressionTranslator(self).visit(comp.ast)
        code = align(expr, dims)
        if set(expr.dims) != set(dims):  # fewer dims than the equation: fill the others
            code = f"_f.full({code}, {shape})"
        return {"index": index, "code": code, "deps": sorted(expr.deps)}


def build_spec(mdl_path: Path, *, display: Path | None = None) -> dict:
    """Parse ``mdl_path`` with PySD and return the simulator spec (plain, ``repr``-able data).

    Parameters
    ----------
    mdl_path
        The Vensim file; PySD reads its copy in the cache folder.
    display
        The path to name in error messages and in the spec (default ``mdl_path``).

    Raises
    ------
    ModelFileError
        If the file cannot be parsed or uses a construct the batch simulator does not support.
    """
    from pysd.translators.vensim.vensim_file import VensimFile

    copy = translated_copy(Path(mdl_path))
    source = Path(display or mdl_path)
    text = copy.read_text(encoding="utf-8", errors="replace")
    try:
        vf = VensimFile(copy)
        vf.parse()
        am = vf.get_abstract_model()
    except Exception as err:  # PySD raises many kinds; all mean "cannot read this file"
        raise ModelFileError(f"{source}: PySD cannot parse the model ({err}); "
                             "check the file opens in Vensim") from err
    builder = _SpecBuilder(am, source, text)
    builder.register()
    kinds = {ident: info["kind"] for ident, info in builder.info.items()}
    for ident in [i for i, k in kinds.items() if k in ("constant", "lookup")]:
        builder.build_element(ident)
    for ident in [i for i, k in kinds.items() if k not in ("constant", "lookup")]:
        if "element" in builder.info[ident]:
            builder.build_element(ident)
    control = {c: builder.info[c]["default"] for c in CONTROL_NAMES if c in builder.info}
    missing = [c for c in CONTROL_NAMES if c not in control]
    if missing:
        raise ModelFileError(f"{source}: control variable(s) {', '.join(missing).upper()} "
                             "missing; define INITIAL TIME, FINAL TIME, TIME STEP and SAVEPER")
    return {
        "compiler": compiler_fingerprint(), "sha256": file_sha256(copy), "source": str(source),
        "control": control, "structural": sorted(builder.structural),
        "subscripts": {k: list(v) for k, v in builder.subs.subscripts.items()},
        "vars": builder.info, "statefuls": builder.statefuls, "lookups": builder.lookups,
        "tables": builder.tables,
    }


def module_from_spec(spec: dict) -> ModuleType:
    """Return the compiled simulator module of ``spec``: the cached one made from the same .mdl
    by this compiler, else one generated from ``spec`` into the cache (a machine that never
    compiled the .mdl, e.g. a Dask worker, needs nothing but the spec)."""
    target = cache_dir() / "batch" / f"{spec['sha256']}.py"
    module = cached_module(target)
    if getattr(module, "COMPILER", None) == spec["compiler"]:
        return module
    write_atomic(target, generate_source(spec, **default_variant(spec), with_spec=True))
    return import_module(target)


def compile_mdl(mdl_path: Path, *, force: bool = False) -> ModuleType:
    """Return the compiled simulator module of ``mdl_path``, from the cache when possible.

    The module (``cache_dir()/"batch"/<sha256 of the .mdl>.py``) holds ``SPEC`` and a
    ``simulate`` function that saves every variable. A cached module made by another version of
    the compiler is rebuilt; ``force=True`` always rebuilds.

    Raises
    ------
    ModelFileError
        See :func:`build_spec`.
    """
    copy = translated_copy(Path(mdl_path))  # one snapshot, even if the file is being edited
    target = cache_dir() / "batch" / f"{file_sha256(copy)}.py"
    if not force:  # a corrupt or unsealed file is None here (rebuilt below, said once)
        module = cached_module(target)
        if getattr(module, "COMPILER", None) == compiler_fingerprint():
            return module
    spec = build_spec(copy, display=Path(mdl_path))
    write_atomic(target, generate_source(spec, **default_variant(spec), with_spec=True))
    return import_module(target)

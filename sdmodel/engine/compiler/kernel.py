"""Lay a compiled spec out as a numba kernel: one run's state in local variables, runs in parallel.

The generated module has three parts, all from the same spec as the NumPy simulator
(:mod:`sdmodel.engine.compiler.codegen`):

- ``prepare`` (NumPy): the NumPy simulator's own initialisation, vectorised over the runs of a
  chunk, returning run-major arrays of what the time loop needs: the values that do not change
  during a run (``C``), the initial states (``X``, with the stages of delays and smooths), the
  order each delay uses (``KD``) and the DELAY FIXED pipelines with their lengths (``B``,
  ``BO``, ``KF``); constants that are returned come back as they are;
- ``hoisted`` (numba): lookup tables of time alone (history series), evaluated once per call
  for all runs;
- ``simulate`` (numba, ``parallel=True``): ``prange`` over the runs; each run walks the Euler
  grid with its variables as scalar locals (the equations translated element by element by
  :mod:`sdmodel.engine.compiler.scalar`; EXP, LN and the trigonometric functions by NumPy's own
  routines, :mod:`sdmodel.engine.compiler.kernel_math`), saving into a run-major ``(runs,
  columns, saved times)`` array; ``simulate_serial`` does the same in the calling thread (small
  batches, where handing runs to other threads costs more than it saves). A DELAY FIXED keeps
  its pipeline in the run's row of ``B``: the input of step ``i`` goes into slot ``i % k``, the
  output is slot ``(i + 1) % k``, as in :func:`sdmodel.engine.compiler.functions.fixed_delay_step`.

Modules are cached in ``cache_dir()/"numba"`` under the .mdl's hash, the compiler's fingerprint
and the kind of run; numba caches their machine code next to them (``cache=True``), so a model
is compiled once per kind of run and machine, not once per process.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from sdmodel.engine.compiler.codegen import (
    INIT_ROLES,
    _Graph,
    _init_lines,
    _var_lines,
    write_atomic,
)
from sdmodel.engine.compiler.scalar import Scalar, ScalarTranslator, named_array
from sdmodel.paths import cache_dir

_SOURCES = ("kernel.py", "scalar.py", "kernel_functions.py", "kernel_math.py")
STAGED = ("smooth", "delay", "delayn")
LOOP_ROLES = {  # the parts of each stateful that its derivative reads at each step
    "integ": ("flow",), "integ_nn": ("flow",), "smooth": ("input", "smooth_time"),
    "delay": ("input", "delay_time"), "delayn": ("input", "delay_time"),
    "delay_fixed": ("input",), "trend": ("input", "average_time"),
    "forecast": ("input", "average_time"),
}


def numba_fingerprint(spec: dict) -> str:
    """Hash of the spec's compiler, this generator, the numba version and what the choice of
    NumPy's math routines depends on (:func:`sdmodel.engine.compiler.kernel_math.environment`)."""
    return _fingerprint(spec["compiler"])


@functools.cache
def _fingerprint(compiler: str) -> str:
    import numba

    from sdmodel.engine.compiler.kernel_math import environment

    digest = hashlib.sha256(f"{compiler} {numba.__version__} {environment()}".encode())
    for name in _SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


class _Layout:
    """Shapes, element names and kernel columns of one variant."""

    def __init__(self, spec: dict, g: _Graph, capture: list[str], accumulate: list[str]
                 ) -> None:
        self.spec, self.g, self.st = spec, g, spec["statefuls"]
        vars_, sts, self.lookups = g.needed(list(capture) + list(accumulate))
        memo: dict[str, bool] = {}
        self.dyn = {v for v in vars_ if g.dynamic(v, memo)}
        self.vars, self.sts = vars_, sts
        self.step_order = g.order(self.dyn, {v: g.deps(v) & self.dyn for v in self.dyn})
        self.st_dyn = sorted(s for s in sts if self.st[s]["kind"] != "initial")
        self.cap_dyn = [c for c in capture if c in self.dyn]
        self.cap_const = [c for c in capture if c not in self.dyn]
        self.accumulate = list(accumulate)
        self.series = sorted(v for v in vars_ if g.modes[v] == "series")
        used: set[str] = set(self.accumulate)
        for v in self.dyn:
            used |= g.deps(v)
        for s in self.st_dyn:
            used |= g.stateful_deps(s)
        self.consts = sorted(v for v in used if v in vars_ and v not in self.dyn
                             and g.modes[v] != "lookup")

    def shape(self, ident: str) -> tuple[int, ...]:
        return tuple(len(self.spec["subscripts"][d]) for d in self.spec["vars"][ident]["dims"])

    def state_shape(self, sid: str) -> tuple[int, ...]:
        st = self.st[sid]
        return ((st["order"],) if st["kind"] in STAGED else ()) + tuple(st["shape"])

    def columns(self, items: list[tuple[str, tuple[int, ...]]]) -> dict[str, int]:
        """First column of each item in a run-major array of their flattened elements."""
        out, j = {}, 0
        for name, shape in items:
            out[name] = j
            j += int(np.prod(shape, dtype=int))
        out["<end>"] = j
        return out


def _elements(arr: np.ndarray) -> list[Scalar]:
    """Elements of an object array (run axis of length 1 last) in C order."""
    return [arr[idx] for idx in np.ndindex(*arr.shape)]


class _KernelWriter:
    """Write the scalar statements of the time loop of one variant."""

    def __init__(self, lay: _Layout) -> None:
        self.lay = lay
        self.hoisted: list[str] = []
        self.lookup_args: list[str] = []
        self.translator = ScalarTranslator(self._names, self._lookup, self._table)

    def _names(self, name: str) -> np.ndarray:
        lay = self.lay
        prefix, ident = name.split("_", 1)
        if prefix == "v":
            return named_array("v", ident, lay.shape(ident))
        if prefix == "s":
            return named_array("s", ident, lay.state_shape(ident))
        if prefix == "tm":
            return named_array("tm", ident, lay.state_shape(ident))
        if prefix == "k":
            return np.asarray(Scalar(name), dtype=object)
        raise KeyError(name)

    def _lookup(self, ident: str, x: Scalar) -> Scalar:
        if ident not in self.lookup_args:
            self.lookup_args.append(ident)
        return Scalar(f"_g.lookup({x.code}, LX_{ident}, Ly_{ident}, LS_{ident})")

    def _table(self, table: str, x: Scalar) -> Scalar:
        code = f"_g.interp({x.code}, {table}_x, {table}_y)"
        if not x.invariant:
            return Scalar(code)
        if code not in self.hoisted:
            self.hoisted.append(code)
        return Scalar(f"H[i, {self.hoisted.index(code)}]")

    def values(self, code: str, shape: tuple[int, ...]) -> list[str]:
        """Element codes of ``code`` broadcast over ``shape`` (C order)."""
        arr = self.translator.translate(code)
        return [s.code for s in _elements(np.broadcast_to(arr, shape + (1,)))]

    def variable(self, ident: str) -> list[str]:
        lay, info = self.lay, self.lay.spec["vars"][ident]
        shape = lay.shape(ident)
        names = named_array("v", ident, shape)
        if lay.g.modes[ident] == "series":
            return [f"{s.code} = S{j}_{ident}[rS_{ident}, i]"
                    for j, s in enumerate(_elements(names))]
        lines = []
        for piece in info["pieces"]:
            index = tuple(slice(None) if i is None else i for i in piece["index"])
            targets = np.asarray(names[index + (slice(None),)], dtype=object)
            values = np.broadcast_to(self.translator.translate(piece["code"]), targets.shape)
            lines += [f"{t.code} = {v.code}" for t, v in zip(_elements(targets),
                                                              _elements(values), strict=True)]
        return lines

    def derivative(self, sid: str, as_int: bool) -> list[str]:
        """Statements computing ``d...`` of one stateful (PySD's ``ddt``, element by element)."""
        lay, st = self.lay, self.lay.st[sid]
        kind, order, shape = st["kind"], st["order"], tuple(st["shape"])
        parts = {r: self.values(p["code"], shape) for r, p in st["parts"].items()
                 if r in LOOP_ROLES[kind]}
        s = _elements(named_array("s", sid, lay.state_shape(sid)))
        d = [x.replace("s", "d", 1) for x in (e.code for e in s)]
        size = len(parts.get("input", parts.get("flow", [None])))
        lines: list[str] = []
        if kind in ("integ", "integ_nn"):
            return [f"{d[e]} = {parts['flow'][e]}" for e in range(size)]
        if kind == "delay_fixed":  # its input, taken before any state moves on
            return [f"{d[e]} = {parts['input'][e]}" for e in range(size)]
        if kind in ("trend", "forecast"):
            return [f"{d[e]} = (({parts['input'][e]}) - {s[e].code}) / "
                    f"({parts['average_time'][e]})" for e in range(size)]
        for e in range(size):
            u = f"u{e}_{sid}"
            inp = parts["input"][e]
            if kind == "smooth" and as_int:  # only the first derivative: PySD's int stages
                inp = f"(np.trunc({inp}) if i == 0 else {inp})"
            lines.append(f"{u} = {inp}")
            stage = [s[j * size + e].code for j in range(order)]
            dstage = [d[j * size + e] for j in range(order)]
            if kind == "smooth":
                lines.append(f"w{e}_{sid} = {parts['smooth_time'][e]}")
                for j in range(order):
                    prev = u if j == 0 else stage[j - 1]
                    lines.append(f"{dstage[j]} = (({prev} - {stage[j]}) * {float(order)!r}) "
                                 f"/ w{e}_{sid}")
                continue
            delay = parts["delay_time"][e]
            if kind == "delayn":
                tm = [_elements(named_array("tm", sid, lay.state_shape(sid)))[j * size + e].code
                      for j in range(order)]
                for j in range(order - 1, 0, -1):
                    lines.append(f"{tm[j]} = {tm[j - 1]}")
                lines.append(f"{tm[0]} = " + (f"np.trunc({delay})" if as_int else delay))
                outflow = [f"({stage[j]} / {tm[j]})" for j in range(order)]
            else:
                lines.append(f"w{e}_{sid} = {delay}")
                outflow = [f"({stage[j]} / w{e}_{sid})" for j in range(order)]
            for j in range(order):
                lines.append(f"o{j}_{e}_{sid} = {outflow[j]}")
            for j in range(order):
                prev = u if j == 0 else f"o{j - 1}_{e}_{sid}"
                lines.append(f"{dstage[j]} = ({prev} - o{j}_{e}_{sid}) * k_{sid}")
        return lines

    def update(self, sid: str) -> list[str]:
        s = [e.code for e in _elements(named_array("s", sid, self.lay.state_shape(sid)))]
        if self.lay.st[sid]["kind"] == "delay_fixed":
            # the input goes into slot i % k of the run's pipeline, the output comes from slot
            # (i + 1) % k (see sdmodel.engine.compiler.functions.fixed_delay_step)
            size, slot = len(s), f"q_{sid}"
            lines = [f"{slot} = i % kf_{sid}"]
            lines += [f"B[r, bo_{sid} + {slot} * {size} + {e}] = d{x[1:]}"
                      for e, x in enumerate(s)]
            lines.append(f"{slot} = (i + 1) % kf_{sid}")
            return lines + [f"{x} = B[r, bo_{sid} + {slot} * {size} + {e}]"
                            for e, x in enumerate(s)]
        if self.lay.st[sid]["kind"] == "integ_nn":
            return [f"{x} = _g.maximum({x} + d{x[1:]} * c_time_step, 0.0)" for x in s]
        return [f"{x} = {x} + d{x[1:]} * c_time_step" for x in s]


def _pack(dest: str, first: int, value: str, shape: tuple[int, ...]) -> str:
    """Code storing ``value`` (``shape + (runs,)``, runs 1 or n) in run-major columns."""
    if not shape:
        return f"{dest}[:, {first}] = {value}"
    size = int(np.prod(shape, dtype=int))
    return f"{dest}[:, {first}:{first + size}] = np.reshape({value}, ({size}, -1)).T"


def _prepare_source(lay: _Layout, consts: dict[str, int], states: dict[str, int],
                    delays: list[str], pipes: list[str]) -> list[str]:
    """The NumPy initialisation (as in the NumPy simulator) packing what the loop needs.

    Besides ``C``, ``X`` and ``KD`` it packs the DELAY FIXED pipelines: ``B`` (run-major, the
    slots of each pipeline, slot by slot, from column ``BO[j]`` on; their length depends on the
    delay times, so the offsets are computed here) and ``KF``, each run's pipeline length.
    """
    g = lay.g
    init_edges = {v: {d for d in g.deps(v) if d in lay.vars or d[1:] in lay.sts}
                  for v in lay.vars}
    init_edges |= {"@" + s: {d for d in g.stateful_deps(s, INIT_ROLES[lay.st[s]["kind"]])
                             if d in lay.vars or d[1:] in lay.sts} for s in lay.sts}
    init_order = g.order(lay.vars | {"@" + s for s in lay.sts}, init_edges)
    body = ["c_initial_time = ctl['initial_time']", "c_final_time = ctl['final_time']",
            "c_time_step = ctl['time_step']", "c_saveper = ctl['saveper']",
            "c_half_dt = c_time_step / 2", "t = times[0]", "i = 0"]
    body += [f"L_{x} = L[{x!r}]" for x in sorted(lay.lookups)]
    body += [f"S_{x} = S[{x!r}]" for x in lay.series]
    for node in init_order:
        if node.startswith("@"):
            body += _init_lines(node[1:], lay.st[node[1:]])
        else:
            body += _var_lines(g, node)
    body += [f"C = np.empty((n, {consts['<end>']}))",
             f"X = np.empty((n, {states['<end>']}))",
             f"KD = np.empty((n, {len(delays)}))"]
    body += [_pack("C", consts[v], f"v_{v}", lay.shape(v)) for v in lay.consts]
    for s in lay.st_dyn:
        body.append(_pack("X", states["s_" + s], f"s_{s}", lay.state_shape(s)))
        if lay.st[s]["kind"] == "delayn":
            body.append(_pack("X", states["tm_" + s], f"tm_{s}", lay.state_shape(s)))
    for j, s in enumerate(delays):
        body.append(f"KD[:, {j}] = {lay.st[s]['order']} if k_{s} is None else k_{s}")
    widths = ", ".join(f"b_{s}.size // n" for s in pipes)
    body += [f"BO = np.cumsum([0, {widths}]).astype(np.int64)",
             "B = np.empty((n, BO[-1]))",
             f"KF = np.empty((n, {len(pipes)}), dtype=np.int64)"]
    for j, s in enumerate(pipes):
        body += [f"B[:, BO[{j}]:BO[{j + 1}]] = np.reshape(b_{s}, (-1, n)).T",
                 f"KF[:, {j}] = k_{s}"]
    body.append("const_out = {" + ", ".join(f"{x!r}: v_{x}" for x in lay.cap_const) + "}")
    body.append("return C, X, KD, B, BO, KF, const_out")
    return (["def prepare(P, S, L, ctl, times, n):",
             '    """Initialise ``n`` runs with NumPy; pack what the time loop reads."""',
             "    with np.errstate(all='ignore'):"]
            + ["        " + line for line in body])


def generate_numba_source(spec: dict, *, modes: dict[str, str], capture: list[str],
                          accumulate: list[str]) -> str:
    """Return the Python source of the numba kernel module for one variant of ``spec``.

    Parameters are those of :func:`sdmodel.engine.compiler.codegen.generate_source`.

    Raises
    ------
    ModelFileError
        If equations depend on each other in a loop without a stock.
    """
    g = _Graph(spec, modes)
    lay = _Layout(spec, g, capture, accumulate)
    consts = lay.columns([(v, lay.shape(v)) for v in lay.consts])
    state_items = []
    for s in lay.st_dyn:
        state_items.append(("s_" + s, lay.state_shape(s)))
        if lay.st[s]["kind"] == "delayn":
            state_items.append(("tm_" + s, lay.state_shape(s)))
    states = lay.columns(state_items)
    delays = [s for s in lay.st_dyn if lay.st[s]["kind"] in ("delay", "delayn")]
    pipes = [s for s in lay.st_dyn if lay.st[s]["kind"] == "delay_fixed"]
    outs = lay.columns([(v, lay.shape(v)) for v in lay.cap_dyn])
    accs = lay.columns([(v, lay.shape(v)) for v in lay.accumulate])
    writer = _KernelWriter(lay)

    loop = ["t = times[i]"]
    for ident in lay.step_order:
        loop += writer.variable(ident)
    saves = []
    for ident in lay.cap_dyn:
        for j, e in enumerate(_elements(named_array("v", ident, lay.shape(ident)))):
            saves.append(f"O[r, {outs[ident] + j}, k] = {e.code}")
    acc_names = {}
    for ident in lay.accumulate:
        elements = _elements(named_array("a", ident, lay.shape(ident)))
        acc_names[ident] = [e.code for e in elements]
        for j, name in enumerate(acc_names[ident]):
            saves += [f"A[r, {accs[ident] + j}, k] = {name}", f"{name} = 0.0"]
    loop += ["k = save_pos[i]", "if k >= 0:"] + ["    " + s for s in saves or ["pass"]]
    loop += ["if i == last:", "    break"]
    for ident in lay.accumulate:
        values = [e.code for e in _elements(named_array("v", ident, lay.shape(ident)))]
        loop += [f"{a} = {a} + {v} * c_time_step"
                 for a, v in zip(acc_names[ident], values, strict=True)]
    for s in lay.st_dyn:
        int_if = lay.st[s].get("int_if")
        as_int = int_if is not None and not any(x in modes for x in int_if)
        loop += writer.derivative(s, as_int)
    for s in lay.st_dyn:
        loop += writer.update(s)

    start = ["c_half_dt = c_time_step / 2"]
    for ident in lay.consts:
        for j, e in enumerate(_elements(named_array("v", ident, lay.shape(ident)))):
            start.append(f"{e.code} = C[r, {consts[ident] + j}]")
    for s in lay.st_dyn:
        for j, e in enumerate(_elements(named_array("s", s, lay.state_shape(s)))):
            start.append(f"{e.code} = X[r, {states['s_' + s] + j}]")
        if lay.st[s]["kind"] == "delayn":
            for j, e in enumerate(_elements(named_array("tm", s, lay.state_shape(s)))):
                start.append(f"{e.code} = X[r, {states['tm_' + s] + j}]")
    start += [f"k_{s} = KD[r, {j}]" for j, s in enumerate(delays)]
    start += [line for j, s in enumerate(pipes)
              for line in (f"kf_{s} = KF[r, {j}]", f"bo_{s} = BO[{j}]")]
    start += [f"{a} = 0.0" for names in acc_names.values() for a in names]
    series_args = []
    for ident in lay.series:
        size = int(np.prod(lay.shape(ident), dtype=int))
        series_args += [f"S{j}_{ident}" for j in range(size)]
        start.append(f"rS_{ident} = r if S0_{ident}.shape[0] > 1 else 0")
    lookup_args = []
    for ident in writer.lookup_args:
        lookup_args += [f"LX_{ident}", f"LY_{ident}", f"LS_{ident}"]
        start.append(f"Ly_{ident} = LY_{ident}[r if LY_{ident}.shape[0] > 1 else 0]")
    args = (["C", "X", "KD", "B", "BO", "KF", "times", "save_pos", "last", "c_initial_time",
             "c_final_time", "c_time_step", "c_saveper", "H"]
            + series_args + lookup_args + ["O", "A"])

    out = []
    for name, (xs, ys) in spec["tables"].items():
        out += [f"{name} = (np.array({xs!r}), np.array({ys!r}))",
                f"{name}_x = {name}[0]", f"{name}_y = {name}[1]"]
    out += ["", ""] + _prepare_source(lay, consts, states, delays, pipes)
    out += ["", "", "@numba.njit(cache=True, nogil=True, error_model='numpy')",
            "def hoisted(times, c_initial_time, c_final_time, c_time_step, c_saveper):",
            '    """Lookups of time alone, for every time of the grid (shared by all runs)."""',
            "    c_half_dt = c_time_step / 2",
            f"    H = np.empty((len(times), {len(writer.hoisted)}))",
            "    for i in range(len(times)):",
            "        t = times[i]"]
    out += [f"        H[i, {j}] = {code}" for j, code in enumerate(writer.hoisted)]
    out += ["    return H"]
    out += ["", "", "@numba.njit(cache=True, nogil=True, error_model='numpy')",
            f"def run_one(r, {', '.join(args)}):",
            '    """Simulate run ``r``: its state lives in local variables."""']
    out += ["    " + line for line in start]
    out += ["    for i in range(last + 1):"] + ["        " + line for line in loop]
    out += ["", "", "@numba.njit(cache=True, nogil=True)",
            f"def simulate_serial({', '.join(args)}):",
            '    """Simulate the runs of ``C`` one after the other in this thread."""',
            "    for r in range(C.shape[0]):",
            f"        run_one(r, {', '.join(args)})"]
    out += ["", "", "@numba.njit(cache=True, nogil=True, parallel=True)",
            f"def simulate({', '.join(args)}):",
            '    """Simulate the runs of ``C`` (one per row) in parallel."""',
            "    for r in numba.prange(C.shape[0]):",  # an int64 row (prange may give uint64)
            f"        run_one(np.int64(r), {', '.join(args)})"]
    math = sorted(set(re.findall(r"\b_m\.(\w+)\(", "\n".join(out))))
    head = ['"""Generated by sdmodel.engine.compiler.kernel from ' + repr(spec["source"])[1:-1]
            + '. Do not edit."""', "import numba", "import numpy as np", "",
            "from sdmodel.engine.compiler import functions as _f",
            "from sdmodel.engine.compiler import kernel_functions as _g",
            "from sdmodel.engine.compiler import kernel_math as _m", "",
            f"FINGERPRINT = {numba_fingerprint(spec)!r}",
            f"CAPTURE_DYNAMIC = {lay.cap_dyn!r}", f"CAPTURE_CONST = {lay.cap_const!r}",
            f"ACCUMULATE = {lay.accumulate!r}", f"SERIES = {lay.series!r}",
            f"LOOKUPS = {writer.lookup_args!r}",
            f"OUT_COLUMNS = {outs!r}", f"ACC_COLUMNS = {accs!r}",
            f"MATH = {math!r}  # NumPy's routines the kernels call",
            "_m.prepare(MATH)  # resolved before numba loads the cached kernels", ""]
    return "\n".join(head + out) + "\n"


def numba_module(spec: dict, *, modes: dict[str, str], capture: list[str],
                 accumulate: list[str]) -> ModuleType:
    """Return (generating and caching if needed) the numba kernel module for one kind of run.

    A constant given as a constant changes nothing in the kernel, so it does not make a new
    one, unless PySD would keep it as an integer (see ``int_if`` in
    :mod:`sdmodel.engine.compiler.codegen`): an input is a float.
    """
    as_int = {x for st in spec["statefuls"].values() for x in st.get("int_if") or ()}
    defaults = {i for i, v in spec["vars"].items() if v["kind"] == "constant"} - as_int
    kept = {k: m for k, m in modes.items() if not (m == "const" and k in defaults)}
    key = repr((numba_fingerprint(spec), sorted(kept.items()), capture, accumulate))
    name = f"{spec['sha256'][:32]}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    module_name = "sdmodel_numba_" + name.replace("-", "_")
    if module_name in sys.modules:
        return sys.modules[module_name]
    target = cache_dir() / "numba" / f"{name}.py"
    if not target.exists():
        text = generate_numba_source(spec, modes=kept, capture=capture, accumulate=accumulate)
        write_atomic(target, text)
    spec_ = importlib.util.spec_from_file_location(module_name, target)
    module = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(module)
    sys.modules[module_name] = module
    return module


def compiled_now(module: ModuleType) -> set[str]:
    """Names of the module's kernels compiled in this process (not loaded from the cache)."""
    kernels = ("simulate", "simulate_serial", "run_one", "hoisted")
    return {k for k in kernels if sum(getattr(module, k).stats.cache_misses.values())}

"""Lay a compiled spec out as a straight-line NumPy simulator (Python source text).

The generated ``simulate`` function follows PySD's Euler scheme step by step: initialise the
stateful objects in dependency order, then at each time of the integration grid compute the
variables that change (constants were computed once), store the requested ones at save points,
compute every derivative from the current values and only then update all states.
"""

from __future__ import annotations

import hashlib
import importlib.util
import pprint
import sys
from pathlib import Path
from types import ModuleType

from sdmodel.engine.translate import cache_file_state, report_rebuilt, write_cache_file
from sdmodel.errors import ModelFileError
from sdmodel.paths import cache_dir

INIT_ROLES = {"integ": ("init",), "integ_nn": ("init",), "initial": ("init",),
              "smooth": ("init",), "delay": ("init", "delay_time"),
              "delayn": ("init", "delay_time"), "delay_fixed": ("init", "delay_time"),
              "trend": ("init", "input", "average_time"),
              "forecast": ("init", "input")}


def default_variant(spec: dict) -> dict:
    """Return the keyword arguments of :func:`generate_source` for a plain run saving all."""
    capture = [i for i, v in spec["vars"].items() if v["kind"] != "lookup"]
    return {"modes": {}, "capture": capture, "accumulate": []}


class _Graph:
    """Dependencies between variables and stateful objects for one variant."""

    def __init__(self, spec: dict, modes: dict[str, str]) -> None:
        self.spec, self.vars, self.st = spec, spec["vars"], spec["statefuls"]
        self.modes = {}
        for ident, info in self.vars.items():
            default = {"constant": "const", "control": "control", "lookup": "lookup"}
            self.modes[ident] = modes.get(ident, default.get(info["kind"], "expr"))

    def deps(self, node: str) -> set[str]:
        """Direct dependencies (variables and ``@stateful`` ids) of a variable."""
        if self.modes[node] != "expr":
            return set()
        return {d for p in self.vars[node]["pieces"] for d in p["deps"]}

    def stateful_deps(self, sid: str, roles: tuple[str, ...] | None = None) -> set[str]:
        parts = self.st[sid]["parts"]
        return {d for r in (roles or parts) if r in parts for d in parts[r]["deps"]}

    def needed(self, roots: list[str]) -> tuple[set[str], set[str], set[str]]:
        """Return the variables, statefuls and lookups needed to compute ``roots``."""
        vars_, sts, lookups = set(), set(), set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if node == "time" or node in vars_ or node in sts or node in lookups:
                continue
            if node.startswith("@"):
                sts.add(node)
                stack += self.stateful_deps(node[1:])
            elif self.modes.get(node) == "lookup":
                lookups.add(node)
            else:
                vars_.add(node)
                stack += self.deps(node)
        return vars_, {s[1:] for s in sts}, lookups

    def dynamic(self, ident: str, memo: dict[str, bool]) -> bool:
        """True if the value of variable ``ident`` can change during the run."""
        if ident not in memo:
            memo[ident] = False
            mode = self.modes[ident]
            if mode == "series":
                memo[ident] = True
            elif mode == "expr":
                memo[ident] = any(
                    d == "time" or (d.startswith("@") and self.st[d[1:]]["kind"] != "initial")
                    or (d in self.vars and self.modes[d] != "lookup" and self.dynamic(d, memo))
                    for d in self.deps(ident))
        return memo[ident]

    def order(self, nodes: set[str], edges: dict[str, set[str]]) -> list[str]:
        """Topological order of ``nodes``; a cycle raises ModelFileError."""
        done: list[str] = []
        state: dict[str, int] = {}
        for root in sorted(nodes):
            stack = [(root, iter(sorted(edges[root] & nodes)))]
            if state.get(root):
                continue
            state[root] = 1
            while stack:
                node, it = stack[-1]
                child = next(it, None)
                if child is None:
                    stack.pop()
                    state[node] = 2
                    done.append(node)
                elif state.get(child) == 1:
                    cycle = [n for n, _ in stack] + [child]
                    names = [self._name(n) for n in cycle[cycle.index(child):]]
                    raise ModelFileError(
                        f"{self.spec['source']}: the equations of {' -> '.join(names)} depend "
                        "on each other in a loop without a stock; break the loop with a stock")
                elif not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(sorted(edges[child] & nodes))))
        return done

    def _name(self, node: str) -> str:
        ident = self.st[node[1:]]["var"] if node.startswith("@") else node
        return "'" + self.vars[ident]["name"] + "'"


def _index_code(index: list) -> str:
    parts = [":" if i is None else repr(i) for i in index]
    return ", ".join(parts) if parts else "..."


def _var_lines(g: _Graph, ident: str) -> list[str]:
    info, mode = g.vars[ident], g.modes[ident]
    if mode in ("const", "control"):
        src = f"c_{ident}" if mode == "control" else f"P[{ident!r}]"
        return [f"v_{ident} = {src}"]
    if mode == "series":
        return [f"v_{ident} = S_{ident}[i]"]
    pieces = info["pieces"]
    if len(pieces) == 1 and all(i is None for i in pieces[0]["index"]):
        return [f"v_{ident} = {pieces[0]['code']}"]
    shape = tuple(len(g.spec["subscripts"][d]) for d in info["dims"])
    lines = [f"v_{ident} = np.empty({shape} + (n,))"]
    return lines + [f"v_{ident}[{_index_code(p['index'])}] = {p['code']}" for p in pieces]


def _init_lines(sid: str, st: dict) -> list[str]:
    kind, shape, order = st["kind"], tuple(st["shape"]), st["order"]
    code = {r: p["code"] for r, p in st["parts"].items()}
    s = f"s_{sid}"
    if kind in ("integ", "integ_nn", "initial"):
        return [f"{s} = _f.state({code['init']}, {shape}, n)"]
    if kind == "smooth":
        return [f"{s} = _f.stages({code['init']}, {order}, {shape}, n)"]
    if kind in ("delay", "delayn"):
        lines = [f"D0_{sid} = {code['delay_time']}",
                 f"k_{sid} = _f.delay_order({order}, c_time_step, D0_{sid}, {len(shape)})",
                 f"{s} = _f.stages(({code['init']}) * D0_{sid}, {order}, {shape}, n)"]
        if kind == "delayn":
            lines.append(f"tm_{sid} = _f.stages(D0_{sid}, {order}, {shape}, n)")
        return lines
    if kind == "delay_fixed":
        return [f"k_{sid} = _f.fixed_delay_order(c_time_step, {code['delay_time']})",
                f"{s} = _f.state({code['init']}, {shape}, n)",
                f"b_{sid} = _f.fixed_delay_pipe({s}, k_{sid})"]
    if kind == "trend":
        value = f"({code['input']}) / (1 + ({code['init']}) * ({code['average_time']}))"
    else:  # forecast
        value = f"({code['input']}) / (1 + ({code['init']}))"
    return [f"{s} = _f.state({value}, {shape}, n)"]


def _ddt_line(sid: str, st: dict, as_int: bool) -> str:
    """Derivative of one stateful; ``as_int``: PySD holds its stages (SMOOTH) or delay times
    (DELAY N) in an int array, which truncates what is stored in it."""
    kind, order = st["kind"], st["order"]
    code = {r: p["code"] for r, p in st["parts"].items()}
    s, d = f"s_{sid}", f"d_{sid}"
    if kind in ("integ", "integ_nn"):
        return f"{d} = {code['flow']}"
    if kind == "smooth":
        inp = code["input"]
        if as_int:  # only the first derivative: the update makes the stages floats
            inp = f"(np.trunc({inp}) if i == 0 else {inp})"
        return f"{d} = _f.smooth_ddt({s}, {inp}, {code['smooth_time']}, {order})"
    if kind == "delay":
        return (f"{d} = _f.delay_ddt({s}, {code['input']}, {code['delay_time']}, k_{sid}, "
                f"{order})")
    if kind == "delayn":
        delay = f"np.trunc({code['delay_time']})" if as_int else code["delay_time"]
        return (f"{d} = _f.delayn_ddt({s}, tm_{sid}, {code['input']}, {delay}, "
                f"k_{sid}, {order})")
    return f"{d} = (({code['input']}) - {s}) / ({code['average_time']})"


def generate_source(spec: dict, *, modes: dict[str, str], capture: list[str],
                    accumulate: list[str], with_spec: bool = False) -> str:
    """Return the Python source of a simulator for one variant of ``spec``.

    Parameters
    ----------
    spec
        The output of :func:`sdmodel.engine.compiler.compile.build_spec`.
    modes
        Identifiers whose value is given as an input: ``"const"`` (read once from ``P``) or
        ``"series"`` (read at each step from ``S``). Constants default to ``"const"``.
    capture
        Identifiers saved at the save points (constants are saved once, in ``const_out``).
    accumulate
        Identifiers whose ``value * TIME STEP`` is summed between save points.
    with_spec
        Also embed ``SPEC`` (the default module of a model does).

    Raises
    ------
    ModelFileError
        If equations depend on each other in a loop without a stock.
    """
    g = _Graph(spec, modes)
    vars_, sts, lookups = g.needed(list(capture) + list(accumulate))
    memo: dict[str, bool] = {}
    dyn = {v for v in vars_ if g.dynamic(v, memo)}
    init_edges = {v: {d for d in g.deps(v) if d in vars_ or d[1:] in sts} for v in vars_}
    init_edges |= {"@" + s: {d for d in g.stateful_deps(s, INIT_ROLES[spec["statefuls"][s]["kind"]])
                             if d in vars_ or d[1:] in sts} for s in sts}
    init_order = g.order(vars_ | {"@" + s for s in sts}, init_edges)
    step_order = g.order(dyn, {v: g.deps(v) & dyn for v in dyn})
    st_dyn = sorted(s for s in sts if spec["statefuls"][s]["kind"] != "initial")
    cap_dyn = [c for c in capture if c in dyn]
    cap_const = [c for c in capture if c not in dyn]
    series = sorted(v for v in vars_ if g.modes[v] == "series")

    out = ['"""Generated by sdmodel.engine.compiler.compile from ' + repr(spec["source"])[1:-1]
           + '. Do not edit."""', "import numpy as np", "",
           "from sdmodel.engine.compiler import functions as _f", "",
           f"COMPILER = {spec['compiler']!r}", f"CAPTURE_DYNAMIC = {cap_dyn!r}",
           f"CAPTURE_CONST = {cap_const!r}", f"ACCUMULATE = {list(accumulate)!r}",
           f"SERIES = {series!r}"]
    out += [f"{name} = (np.array({xy[0]!r}), np.array({xy[1]!r}))"
            for name, xy in spec["tables"].items()]
    if with_spec:
        out += ["", "SPEC = " + pprint.pformat(spec, width=100, sort_dicts=False)]
    body = ["c_initial_time = ctl['initial_time']", "c_final_time = ctl['final_time']",
            "c_time_step = ctl['time_step']", "c_saveper = ctl['saveper']",
            "c_half_dt = c_time_step / 2", "t = times[0]"]
    body += [f"L_{x} = L[{x!r}]" for x in sorted(lookups)]
    body += [f"S_{x} = S[{x!r}]" for x in series]
    body += [f"o_{x} = out[{x!r}]" for x in cap_dyn]
    body += [f"a_{x} = np.zeros(np.shape(acc[{x!r}])[1:])" for x in accumulate]
    body += [f"ao_{x} = acc[{x!r}]" for x in accumulate]
    body += ["i = 0"]
    for node in init_order:
        if node.startswith("@"):
            body += _init_lines(node[1:], spec["statefuls"][node[1:]])
        else:
            body += _var_lines(g, node)
    body += [f"const_out[{x!r}] = v_{x}" for x in cap_const]
    loop = ["t = times[i]"]
    for node in step_order:
        loop += _var_lines(g, node)
    loop += ["k = save_pos[i]", "if k >= 0:"]
    saves = [f"o_{x}[k] = v_{x}" for x in cap_dyn]
    saves += [line for x in accumulate for line in (f"ao_{x}[k] = a_{x}", f"a_{x}[...] = 0.0")]
    loop += ["    " + s for s in saves or ["pass"]]
    loop += ["if i == last:", "    break"]
    loop += [f"a_{x} += v_{x} * c_time_step" for x in accumulate]
    for s in st_dyn:
        st = spec["statefuls"][s]
        if st["kind"] == "delay_fixed":  # its input, taken before any state moves on
            loop.append(f"d_{s} = {st['parts']['input']['code']}")
            continue
        int_if = st.get("int_if")
        as_int = int_if is not None and not any(x in modes for x in int_if)  # inputs: floats
        loop.append(_ddt_line(s, st, as_int))
    for s in st_dyn:
        if spec["statefuls"][s]["kind"] == "delay_fixed":
            loop.append(f"s_{s} = _f.fixed_delay_step(b_{s}, k_{s}, i, d_{s})")
        elif spec["statefuls"][s]["kind"] == "integ_nn":
            loop.append(f"np.maximum(s_{s} + d_{s} * c_time_step, 0, out=s_{s})")
        else:
            loop.append(f"s_{s} += d_{s} * c_time_step")
    body += ["last = len(times) - 1", "for i in range(last + 1):"]
    body += ["    " + line for line in loop]
    out += ["", "", "def simulate(P, S, L, ctl, times, save_pos, n, out, acc, const_out):",
            '    """Run the model for a batch of ``n`` parameter sets '
            '(see sdmodel.engine.batch)."""',
            "    with np.errstate(all='ignore'):"]
    out += ["        " + line for line in body]
    return "\n".join(out) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically and sealed with its hash (see
    :func:`sdmodel.engine.translate.write_cache_file`), so readers never see half a file."""
    write_cache_file(path, text)


def cached_module(path: Path) -> ModuleType | None:
    """Import the generated module at ``path`` if it is there and intact, else ``None``.

    A file whose seal does not match its content, or that fails to import (a corrupt or
    truncated file), is removed and reported once, so the caller generates it anew.
    """
    state = cache_file_state(path)
    if state == "missing":
        return None
    if state == "intact":
        try:
            return import_module(path)
        except Exception:  # noqa: BLE001 - any failure means: generate it again
            state = "corrupt"
    if state == "corrupt":
        report_rebuilt(path)
    path.unlink(missing_ok=True)  # corrupt, or written before files were sealed
    return None


def import_module(path: Path) -> ModuleType:
    """Import a generated simulator module from ``path``."""
    name = "sdmodel_batch_" + path.stem.replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.setdefault(name, module)
    return module


def variant_module(spec: dict, *, modes: dict[str, str], capture: list[str],
                   accumulate: list[str]) -> ModuleType:
    """Return (generating and caching if needed) the simulator for one kind of run.

    ``modes`` maps identifiers given as inputs to ``"const"`` or ``"series"``; only ``capture``
    and ``accumulate`` (and what they need) are computed.
    """
    key = repr((spec["compiler"], sorted(modes.items()), capture, accumulate))
    name = f"{spec['sha256']}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    target = cache_dir() / "batch" / f"{name}.py"
    module_name = "sdmodel_batch_" + name.replace("-", "_")
    if module_name in sys.modules:
        return sys.modules[module_name]
    module = cached_module(target)
    if module is None:
        text = generate_source(spec, modes=modes, capture=capture, accumulate=accumulate)
        write_atomic(target, text)
        module = import_module(target)
    return module

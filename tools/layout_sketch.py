"""Lay out the sketch (the diagram views) of a Vensim .mdl from its equations.

Used once to give ``models/asielketen.mdl`` a first sketch: one view per part of the chain (the
``.Group`` headers of the equations decide the view), stocks as boxes, flows as valves with pipes
between their stocks (clouds where a flow crosses the chain's boundary or the view), every other
variable in a grid below, and influence arrows between variables shown in the same view. After
that, Vensim owns the layout: rerunning this replaces any layout made by hand.

Usage: ``python tools/layout_sketch.py models/asielketen.mdl``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sdmodel.engine.model import ChainModel  # noqa: E402

SKETCH_MARK = "\\\\\\---/// Sketch information"
VIEW_HEADER = (
    "\\\\\\---/// Sketch information - do not modify anything except names\n"
    "V300  Do not put anything below this section - it will be ignored\n"
    "*{title}\n"
    "$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0\n"
)
VIEWS: dict[str, tuple[str, ...]] = {
    "1 Instroom en registratie": ("Control", "Inflow", "Registration"),
    "2 IND, rechtspraak en nareis": ("IND", "Courts", "Nareis"),
    "3 Opvang en capaciteit": ("Reception",),
    "4 Huisvesting, vergunningen en integratie": ("Housing", "Permits"),
    "5 Terugkeer en ongedocumenteerden": ("Return", "Undocumented"),
    "6 Beleid en kosten": ("Costs", "Accounting"),
    "7 Bijsturingsregels": ("Rules",),
}


def groups_of(equations: str) -> dict[str, str]:
    """Map each variable name to the ``.Group`` header it is defined under."""
    group, result = "Control", {}
    for block in equations.split("|"):
        header = re.search(r"^\s*\.(\w+)", block, flags=re.M)
        if header and "*****" in block:
            group = header.group(1)
            continue
        match = re.match(r"\s*([^=~{]+?)\s*(=|~)", block)
        if match:
            result[match.group(1).strip()] = group
    return result


def layout(model: ChainModel, groups: dict[str, str]) -> str:
    """Return the sketch text for all views."""
    deps = model._dependencies  # noqa: SLF001 - layout only
    py = dict(zip(model.doc()["name"], model.doc()["py_name"], strict=True))
    real = {v: k for k, v in py.items()}
    rates = model.stock_rates
    sources = {f: s for s, fl in rates.items() for f in fl if _sign(model, s, f) < 0}
    targets = {f: s for s, fl in rates.items() for f in fl if _sign(model, s, f) > 0}
    out = []
    for title, sections in VIEWS.items():
        members = [n for n in model.names() if groups.get(n) in sections]
        stocks = [n for n in members if n in rates]
        flows = [n for n in model.flows if (sources.get(n) in stocks or targets.get(n) in stocks)]
        flows = [f for f in flows if _home_view(f, sources, targets, groups) in sections]
        others = [n for n in members if n not in stocks and n not in flows]
        lines, pos = [VIEW_HEADER.format(title=title)], {}

        def add(record: str, lines: list[str] = lines) -> int:
            ident = len(lines)  # the header is lines[0], so records are numbered from 1
            lines.append(record.format(id=ident) + "\n")
            return ident

        for i, stock in enumerate(stocks):
            x, y = 200 + (i % 4) * 330, 150 + (i // 4) * 230
            pos[stock] = (x, y, add(f"10,{{id}},{stock},{x},{y},60,28,3,3,0,0,0,0,0,0"))
        for j, flow in enumerate(flows):
            src, dst = sources.get(flow), targets.get(flow)
            a = pos.get(src) if src in stocks else None
            b = pos.get(dst) if dst in stocks else None
            ax, ay = a[:2] if a else ((b[0] - 160, b[1] + 60 + 14 * (j % 3)) if b else (0, 0))
            bx, by = b[:2] if b else (ax + 160, ay + 60 + 14 * (j % 3))
            end_a = a[2] if a else add(f"12,{{id}},48,{ax},{ay},10,8,0,3,0,0,-1,0,0,0")
            end_b = b[2] if b else add(f"12,{{id}},48,{bx},{by},10,8,0,3,0,0,-1,0,0,0")
            vx, vy = (ax + bx) // 2, (ay + by) // 2 + (j % 2) * 10
            valve = add(f"11,{{id}},0,{vx},{vy},6,8,34,3,0,0,1,0,0,0")
            name_id = add(f"10,{{id}},{flow},{vx},{vy + 22},55,16,40,3,0,0,-1,0,0,0")
            pos[flow] = (vx, vy + 22, name_id)
            add(f"1,{{id}},{valve},{end_b},4,0,0,22,0,0,0,-1--1--1,,1|({bx},{by})|")
            add(f"1,{{id}},{valve},{end_a},100,0,0,22,0,0,0,-1--1--1,,1|({ax},{ay})|")
        top = 150 + ((len(stocks) + 3) // 4) * 230 + 80
        for k, name in enumerate(others):
            x, y = 130 + (k % 6) * 230, top + (k // 6) * 60
            pos[name] = (x, y, add(f"10,{{id}},{name},{x},{y},70,20,8,3,0,0,0,0,0,0"))
        for name, (_, _, to_id) in list(pos.items()):
            used = deps.get(py[name], {}) or {}
            refs = set(used)
            for key in (k for k in used if k.startswith("_")):  # stateful objects (SMOOTH...)
                refs |= set(deps.get(key, {}).get("step", {}))
                refs |= set(deps.get(key, {}).get("initial", {}))
            for ref in sorted(refs):
                src = real.get(ref)
                if src in pos and src != name and not (name in rates and src in rates[name]):
                    add(f"1,{{id}},{pos[src][2]},{to_id},0,0,0,0,0,64,0,-1--1--1,,1|(0,0)|")
        out.append("".join(lines))
    return "".join(out) + "///---\\\\\\\n"


def _sign(model: ChainModel, stock: str, flow: str) -> int:
    """Return +1 if ``flow`` is added to ``stock`` in its INTEG expression, -1 if subtracted."""
    text = model.path.read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(stock)}\s*=\s*INTEG\s*\((.*?),[^,]*\)\s*$", text, re.M)
    expr = " " + (match.group(1) if match else "")
    return -1 if re.search(rf"-\s*{re.escape(flow)}\b", expr) else 1


def _home_view(flow, sources, targets, groups) -> str | None:
    """A flow is drawn in the view of its source stock, or of its target for inflows."""
    stock = sources.get(flow) or targets.get(flow)
    return groups.get(stock)


def main(path: str) -> None:
    mdl = Path(path)
    text = mdl.read_text(encoding="utf-8")
    equations = text.split(SKETCH_MARK)[0]
    model = ChainModel.from_mdl(mdl)
    mdl.write_text(equations + layout(model, groups_of(equations)), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])

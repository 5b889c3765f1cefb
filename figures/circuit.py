"""Draw the circuit graph: regions at fixed, anatomically sensible places; projections by sign.

:func:`draw_circuit` draws an intact circuit and marks what a lesioned copy of it lost:

* a removed region is greyed with a red cross, and its projections are dashed grey;
* a region with a scaled gain or ablated populations is annotated ("gain ×0.5",
  "−acc_insula"); projections from or to an ablated population are dashed grey;
* a weakened or cut projection is dashed red with its factor ("×0.50", "cut");
* frozen (or slowed) plasticity is written next to the projection's learning rule.

Layout (fixed positions, in arbitrary units): the sensory thalamus bottom left, cortex at
the top with PFC top left; the neural-resonance path (BLA -> CeA -> PAG) on the right;
the prosocial-motivation path (ventral striatum, VTA; dorsal striatum, GPi, motor
thalamus) in the middle and on the left. Regions without a fixed place are laid out by
:func:`networkx.spring_layout` around the fixed ones.

Only matplotlib (and networkx for positions) is used; the figure is drawn on the Agg
canvas and saved as PNG (200 dpi), PDF or SVG according to ``out_path``'s extension.
"""

import math
import pathlib
import textwrap

import networkx as nx
import numpy as np
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Patch
from matplotlib.path import Path

from circuits.graph import declared_inputs
from figures import style
from regions.errors import VicariousError

#: Fixed places of the default regions (x right, y up).
POSITIONS = {
    "thalamus": (0.6, 0.7),
    "pfc": (1.0, 7.6),
    "cortex": (4.6, 7.8),
    "bla": (8.4, 6.1),
    "cea": (9.7, 3.8),
    "pag": (8.6, 1.1),
    "ventral_striatum": (6.7, 5.1),
    "vta": (6.9, 2.9),
    "dorsal_striatum": (4.2, 4.9),
    "gpi": (4.7, 3.1),
    "motor_thalamus": (2.7, 2.6),
}
NAMES = {
    "thalamus": "sensory\nthalamus", "cortex": "cortex", "pfc": "PFC", "bla": "BLA", "cea": "CeA",
    "pag": "PAG", "vta": "VTA", "ventral_striatum": "ventral\nstriatum", "dorsal_striatum": "dorsal\nstriatum",
    "gpi": "GPi", "motor_thalamus": "motor\nthalamus",
}
PATHWAYS = {
    "resonance": (("bla", "cea", "pag"), "#FADBD8", "neural resonance (amygdala, PAG)"),
    "motivation": (("vta", "ventral_striatum", "dorsal_striatum", "gpi", "motor_thalamus"), "#D5EFDF",
                   "prosocial motivation (dopamine, basal ganglia)"),
    "world": (("thalamus", "cortex", "pfc"), "#DCE6F2", "scene and world model (thalamus, cortex, PFC)"),
}
#: Curvature (matplotlib ``arc3`` rad) of single projections that would otherwise cross a region.
CURVATURE = {("thalamus", "pag"): 0.08, ("pfc", "cea"): -0.14}
#: Direction (degrees) in which self-loops of a region point.
LOOP_ANGLE = {"cortex": 90, "pfc": 90, "pag": -40, "motor_thalamus": 160}
#: Direction (degrees) of a region's lesion note (default: below).
NOTE_ANGLE = {"cortex": 180, "pfc": 180, "thalamus": 180}
RULES = {"hebbian": "Hebb", "delta": "δ-rule", "three_factor": "3-factor"}
PORTS = {"da": "DA", "teach": "teach", "reward": "reward", "value": "value"}

EXCITATORY = "#1B7837"
INHIBITORY = "#762A83"
INPUT = "#0072B2"  # a paradigm's declared input
LESIONED = "#D62728"
REMOVED = "#A8A8A8"
FROZEN = "#1F4E9E"
RADIUS = 0.52
FORMATS = ("png", "pdf", "svg")
TEXT = 6.0


def draw_circuit(intact_graph, lesioned_graph=None, out_path="circuit.png", lesions=None, title=None):
    """Draw ``intact_graph``, marking what ``lesioned_graph`` changed; write ``out_path`` (.png, .pdf, .svg).

    ``lesions`` (lesion specs, e.g. ``["amygdala", "cortex-striatum:0.5"]``) go into the
    title; without them the title summarises the differences between the graphs.
    Returns the written path.
    """
    out_path = pathlib.Path(out_path)
    fmt = out_path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise VicariousError(f"circuit figure {str(out_path)!r}: the extension must be one of "
                             f"{', '.join('.' + f for f in FORMATS)}")
    lesioned = intact_graph if lesioned_graph is None else lesioned_graph
    nodes = list(intact_graph.nodes) + [n for n in lesioned.nodes if n not in intact_graph]
    pos = positions(nodes, intact_graph)
    changes = _node_changes(intact_graph, lesioned)
    with style.paper_style():
        fig = style.new_figure(7.2, 6.4)
        ax = fig.add_axes((0.01, 0.14, 0.98, 0.82))
        ax.set_aspect("equal")
        ax.axis("off")
        xs, ys = zip(*pos.values())
        ax.set_xlim(min(xs) - 1.3, max(xs) + 1.3)
        ax.set_ylim(min(ys) - 1.0, max(ys) + 1.25)
        flags = {"plastic": False, "lesioned": False, "removed": False, "frozen": False, "inputs": False}
        _draw_edges(ax, intact_graph, lesioned, pos, flags)
        _draw_inputs(ax, lesioned, pos, flags)
        _draw_nodes(ax, nodes, intact_graph, lesioned, pos, changes, flags)
        _legend(fig, flags)
        text = textwrap.fill(title or _title(intact_graph, lesioned, lesions, changes), 110)
        fig.suptitle(text, fontsize=8, y=0.99, va="top")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = out_path.with_name(f".{out_path.name}.tmp")
        fig.savefig(tmp, dpi=200, format=fmt)
        tmp.replace(out_path)
    return out_path


# -- geometry ---------------------------------------------------------------------------------------------------

def positions(nodes, graph=None):
    """Fixed places for known regions; a spring layout (seeded) around them for the others."""
    pos = {n: np.array(POSITIONS[n], dtype=float) for n in nodes if n in POSITIONS}
    unknown = [n for n in nodes if n not in pos]
    if not unknown:
        return pos
    layout = nx.Graph()
    layout.add_nodes_from(nodes)
    if graph is not None:
        layout.add_edges_from((u, v) for u, v in graph.edges() if u != v and u in layout and v in layout)
    if pos:  # normalise the fixed places to the unit box the spring layout works in
        lo, hi = np.min(list(pos.values()), axis=0), np.max(list(pos.values()), axis=0)
        span = np.where(hi - lo > 0, hi - lo, 1.0)
        fixed = {n: (p - lo) / span for n, p in pos.items()}
        out = nx.spring_layout(layout, pos=fixed, fixed=list(fixed), seed=0, k=0.35)
        return {n: lo + np.asarray(out[n]) * span for n in nodes}
    out = nx.spring_layout(layout, seed=0)
    return {n: (np.asarray(p) + 1.0) * 4.5 for n, p in out.items()}


def _bezier(p0, c, p2, t):
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * c + t ** 2 * p2


def _leave(p0, c, p2, centre, radius, from_start):
    """Parameter t where the curve crosses the circle (centre, radius) near its start or end."""
    lo, hi = (0.0, 1.0)
    def inside(t):
        return np.linalg.norm(_bezier(p0, c, p2, t) - centre) < radius

    for _ in range(40):
        mid = (lo + hi) / 2
        if inside(mid) == from_start:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _clipped(p0, c, p2, r0, r2):
    """The quadratic Bézier p0 -> p2 (control c) cut to start and end on the node circles."""
    t0 = _leave(p0, c, p2, p0, r0, True)
    t1 = _leave(p0, c, p2, p2, r2, False)
    q0, q2 = _bezier(p0, c, p2, t0), _bezier(p0, c, p2, t1)
    q1 = (1 - t0) * (1 - t1) * p0 + ((1 - t0) * t1 + t0 * (1 - t1)) * c + t0 * t1 * p2  # blossom
    return q0, q1, q2


# -- what the lesions changed ---------------------------------------------------------------------------------------

def _node_changes(intact, lesioned):
    """region -> list of annotation strings (empty when unchanged); None for a removed region."""
    out = {}
    for node in intact.nodes:
        if node not in lesioned:
            out[node] = None
            continue
        data, notes = lesioned.nodes[node], []
        for pop, factor in sorted((data.get("gain") or {}).items()):
            if not math.isclose(factor, 1.0):
                notes.append(f"gain ×{factor:.2g}" if pop == "*" else f"{pop} gain ×{factor:.2g}")
        notes += [f"−{pop}" for pop in sorted(data.get("removed") or ())]
        out[node] = notes
    return out


def _dead(graph, source, target, proj):
    """Whether all units on one side of ``proj`` were ablated (the projection is gone)."""
    for node, pops in ((source, proj.source_pops), (target, proj.target_pops)):
        removed = graph.nodes[node].get("removed") or frozenset()
        if removed and (set(pops) <= removed if pops else set(graph.nodes[node]["region"].slices()) <= removed):
            return True
    return False


def _edge_state(intact, lesioned, source, target, key, proj):
    """``(status, projection as lesioned)``: status 'removed', 'scaled' or 'intact'."""
    if source not in lesioned or target not in lesioned or not lesioned.has_edge(source, target, key):
        return "removed", proj
    now = lesioned.edges[source, target, key]["projection"]
    if _dead(lesioned, source, target, now):
        return "removed", now
    if not math.isclose(now.scale, proj.scale):
        return "scaled", now
    return "intact", now


def _title(intact, lesioned, lesions, changes):
    if lesions:
        return "Circuit with lesion" + ("s" if len(lesions) > 1 else "") + ": " + ", ".join(lesions)
    if lesions is None and lesioned.graph.get("lesions"):
        return "Circuit with lesions: " + ", ".join(lesioned.graph["lesions"])
    parts = [f"{n} removed" for n, c in changes.items() if c is None]
    parts += [f"{n} {', '.join(c)}" for n, c in changes.items() if c]
    scaled = frozen = 0
    for s, t, k, d in intact.edges(keys=True, data=True):
        status, now = _edge_state(intact, lesioned, s, t, k, d["projection"])
        scaled += status == "scaled"
        frozen += bool(status != "removed" and now.plasticity and now.learning < d["projection"].learning)
    parts += [f"{scaled} projection(s) weakened or cut"] if scaled else []
    parts += [f"{frozen} rule(s) frozen or slowed"] if frozen else []
    name = intact.graph.get("name")
    return (f"Circuit{f' ({name})' if name else ''}: " + ("; ".join(parts) if parts else "intact"))


# -- drawing -------------------------------------------------------------------------------------------------------

def _edge_groups(graph):
    """Curvature of every projection: parallel and antiparallel projections fan out."""
    pairs = {}
    for s, t, k in graph.edges(keys=True):
        if s != t:
            pairs.setdefault(tuple(sorted((s, t))), []).append((s, t, k))
    rads = {}
    for (a, _), edges in pairs.items():
        edges.sort(key=lambda e: (e[0] != a, e[2]))
        n = len(edges)
        for i, (s, t, k) in enumerate(edges):
            if n == 1:
                rad = CURVATURE.get((s, t), -CURVATURE.get((t, s), 0.0))
            else:
                spread = 0.2 if n == 2 else 0.14
                canon = spread * (i - (n - 1) / 2)
                rad = canon if s == a else -canon
            rads[(s, t, k)] = rad
    return rads


def _edge_label(proj, status, now, parallel):
    """The text beside a projection (rule, port, distinguishing populations, lesion)."""
    parts = []
    if parallel:
        pops = proj.target_pops or proj.source_pops
        parts.append("/".join(p.upper() if p in ("d1", "d2") else p for p in pops))
    if proj.plasticity:
        rule = RULES.get(proj.plasticity, proj.plasticity)
        if status != "removed" and now.learning == 0:
            rule += " frozen"
        elif status != "removed" and now.learning < proj.learning:
            rule += f" (learning ×{now.learning / proj.learning:.2g})"
        parts.append(rule)
    if proj.port != "I":
        parts.append(PORTS.get(proj.port, proj.port))
    if status == "scaled":
        parts.append("cut" if now.scale == 0 else f"×{now.scale / proj.scale:.2f}")
    return " ".join(p for p in parts if p)


def _draw_edges(ax, intact, lesioned, pos, flags):
    rads = _edge_groups(intact)
    centre = np.mean(list(pos.values()), axis=0)
    loops, labels, parallel = {}, [], {}
    for s, t, _ in intact.edges(keys=True):
        parallel[(s, t)] = parallel.get((s, t), 0) + 1
    for s, t, k, data in intact.edges(keys=True, data=True):
        proj = data["projection"]
        status, now = _edge_state(intact, lesioned, s, t, k, proj)
        color = {"removed": REMOVED, "scaled": LESIONED}.get(status) or (EXCITATORY if proj.sign > 0 else INHIBITORY)
        dashed = status in ("removed", "scaled")
        width = 1.5 if proj.plasticity else 0.8
        frozen = status != "removed" and bool(proj.plasticity) and now.learning < proj.learning
        flags["plastic"] |= bool(proj.plasticity)
        flags["lesioned"] |= status == "scaled"
        flags["removed"] |= status == "removed"
        flags["frozen"] |= frozen
        if s == t:
            loops.setdefault(s, []).append((proj, color, dashed, width))
            continue
        p0, p2 = pos[s], pos[t]
        d = p2 - p0
        c = (p0 + p2) / 2 + rads[(s, t, k)] * np.array([d[1], -d[0]])
        curve = _clipped(p0, c, p2, RADIUS + 0.03, RADIUS + 0.06)
        _arrow(ax, curve, proj.sign, color, dashed, width)
        text = _edge_label(proj, status, now, parallel[(s, t)] > 1)
        if text:
            color = LESIONED if status == "scaled" else REMOVED if status == "removed" else \
                FROZEN if frozen else "#333333"
            labels.append((text, curve, color))
    for node, items in loops.items():
        angle = LOOP_ANGLE.get(node)
        if angle is None:
            away = pos[node] - centre
            angle = math.degrees(math.atan2(away[1], away[0])) if np.linalg.norm(away) > 1e-9 else 90.0
        for j, (proj, color, dashed, width) in enumerate(items):
            a = math.radians(angle + (j - (len(items) - 1) / 2) * 62)
            _self_loop(ax, pos[node], a, proj.sign, color, dashed, width)
    _place_labels(ax, labels, pos)


def _place_labels(ax, labels, pos):
    """Write edge labels along their curves, sliding each away from regions and earlier labels."""
    taken = [(p[0] - RADIUS, p[1] - RADIUS, p[0] + RADIUS, p[1] + RADIUS) for p in pos.values()]
    for text, (q0, q1, q2), color in labels:
        w, h = 0.075 * len(text) + 0.08, 0.24
        best, best_overlap = None, None
        for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73):
            x, y = _bezier(q0, q1, q2, t)
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            overlap = sum(_overlap(box, other) for other in taken)
            if best is None or overlap < best_overlap - 1e-9:
                best, best_overlap = box, overlap
            if overlap == 0:
                break
        taken.append(best)
        x, y = (best[0] + best[2]) / 2, (best[1] + best[3]) / 2
        ax.text(x, y, text, fontsize=TEXT - 0.8, ha="center", va="center", color=color, zorder=6,
                bbox=dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none", alpha=0.85))


def _overlap(a, b):
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def _arrow(ax, points, sign, color, dashed, width):
    path = Path(points, [Path.MOVETO, Path.CURVE3, Path.CURVE3])
    if sign > 0:
        arrowstyle, scale = "-|>,head_length=0.55,head_width=0.28", 9
    else:
        arrowstyle, scale = "-[,widthB=0.55,lengthB=0.0", 9
    ax.add_patch(FancyArrowPatch(path=path, arrowstyle=arrowstyle, mutation_scale=scale, color=color,
                                 linewidth=width, linestyle=(0, (3, 2)) if dashed else "-", zorder=3,
                                 shrinkA=0, shrinkB=0, joinstyle="miter", capstyle="butt"))


def _self_loop(ax, centre, angle, sign, color, dashed, width):
    """A small loop leaving and re-entering the region's circle around direction ``angle``."""
    spread = 0.42
    p0 = centre + (RADIUS + 0.02) * np.array([math.cos(angle - spread), math.sin(angle - spread)])
    p2 = centre + (RADIUS + 0.05) * np.array([math.cos(angle + spread), math.sin(angle + spread)])
    c = centre + RADIUS * 2.1 * np.array([math.cos(angle), math.sin(angle)])
    _arrow(ax, [p0, c, p2], sign, color, dashed, width)


def _draw_inputs(ax, graph, pos, flags):
    """The paradigm's declared inputs to non-sensory regions: an open arrow from outside, labelled."""
    for k, (name, spec) in enumerate(sorted(declared_inputs(graph).items())):
        if spec["region"] not in pos:
            continue
        centre = np.array(pos[spec["region"]])
        angle = math.radians(230 + 25 * k)  # from below left, where few projections run
        tip = centre + (RADIUS + 0.03) * np.array([math.cos(angle), math.sin(angle)])
        tail = centre + (RADIUS + 0.55) * np.array([math.cos(angle), math.sin(angle)])
        ax.add_patch(FancyArrowPatch(tail, tip, arrowstyle="-|>,head_length=0.5,head_width=0.25", mutation_scale=9,
                                     color=INPUT, linewidth=0.9, zorder=3, shrinkA=0, shrinkB=0))
        ax.text(tail[0], tail[1] - 0.04, f"{name.replace('_', ' ')}\n({spec['pop']}, set by the paradigm)",
                ha="center", va="top", fontsize=TEXT - 0.5, color=INPUT, zorder=7,
                bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85))
        flags["inputs"] = True


def _draw_nodes(ax, nodes, intact, lesioned, pos, changes, flags):
    fill = {n: color for members, color, _ in PATHWAYS.values() for n in members}
    for node in nodes:
        x, y = pos[node]
        removed = changes.get(node, []) is None
        face = "#F2F2F2" if removed else fill.get(node, "#EEEEEE")
        edge = REMOVED if removed else "#555555"
        ax.add_patch(Circle((x, y), RADIUS, facecolor=face, edgecolor=edge, linewidth=0.8, zorder=4))
        halo = [patheffects.withStroke(linewidth=2.2, foreground=face)]
        ax.text(x, y, NAMES.get(node, node.replace("_", "\n")), ha="center", va="center", fontsize=TEXT,
                color="#777777" if removed else "#111111", zorder=7, linespacing=0.95, fontweight="bold",
                path_effects=halo)
        notes = ["removed"] if removed else changes.get(node) or []
        if removed:
            flags["removed"] = True
            r = RADIUS * 0.62
            for dx in (-1, 1):
                ax.plot([x - r, x + r], [y - dx * r, y + dx * r], color=LESIONED, linewidth=1.6, zorder=6,
                        solid_capstyle="round", alpha=0.85)
        if notes:
            angle = math.radians(NOTE_ANGLE.get(node, -90))
            at = np.array([x, y]) + (RADIUS + 0.1) * np.array([math.cos(angle), math.sin(angle)])
            ha = "center" if abs(math.cos(angle)) < 0.3 else ("left" if math.cos(angle) > 0 else "right")
            va = "center" if abs(math.sin(angle)) < 0.3 else ("bottom" if math.sin(angle) > 0 else "top")
            ax.text(at[0], at[1], "\n".join(notes), ha=ha, va=va, fontsize=TEXT - 0.3, color=LESIONED,
                    zorder=7, bbox=dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none", alpha=0.9))


def _legend(fig, flags):
    handles = [
        Line2D([], [], color=EXCITATORY, marker=">", markersize=4, linewidth=0.9, label="excitatory (arrow)"),
        Line2D([], [], color=INHIBITORY, marker="|", markersize=6, markeredgewidth=1.2, linewidth=0.9,
               label="inhibitory (bar)"),
        Line2D([], [], color="#555555", linewidth=1.6,
               label="plastic (thick; label: Hebb, δ-rule = delta rule, 3-factor = dopamine-gated)"),
        Line2D([], [], color="none", label="label DA / teach / reward / value: modulatory or teaching input"),
    ]
    if flags.get("inputs"):
        handles.append(Line2D([], [], color=INPUT, marker=">", markersize=4, linewidth=0.9,
                              label="declared input: the paradigm drives the region directly (not through the scene)"))
    for _, color, text in PATHWAYS.values():
        handles.append(Patch(facecolor=color, edgecolor="#555555", linewidth=0.6, label=text))
    lesion_handles = [
        Line2D([], [], color=LESIONED, linestyle=(0, (3, 2)), linewidth=0.9,
               label="weakened / cut projection (factor)"),
        Line2D([], [], color=REMOVED, linestyle=(0, (3, 2)), linewidth=0.9, label="projection lost with a region or population"),
        Line2D([], [], color="none", label="“frozen” after a rule (blue): its learning switched off"),
        Line2D([], [], color=LESIONED, marker="x", markersize=5, markeredgewidth=1.4, linestyle="none",
               label="removed region (greyed, red cross)"),
        Line2D([], [], color="none", label="red note beside a region: gain ×F, −population (ablated)"),
    ]
    fig.legend(handles=handles + lesion_handles, loc="lower center", bbox_to_anchor=(0.5, 0.005), ncol=2,
               fontsize=5.8, handlelength=2.2, columnspacing=2.0, frameon=False)

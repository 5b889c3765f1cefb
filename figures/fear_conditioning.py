"""Figure of the ``fear-conditioning`` paradigm: freezing and amygdala-PAG activity by phase.

a. Freezing to the tone (fraction of tone time before any shock) across the protocol:
   habituation, each conditioning session, test;
b. BLA, CeA and PAG-vl rates during the tone across the same blocks.

Results with several lesion labels are coloured by lesion. Every small point is one seed;
lines are the mean ± 95% CI across seeds.
"""

from collections import defaultdict

from figures import style

PARADIGM = "fear-conditioning"
ACTIVITY = (("bla_tone", "BLA", "o"), ("cea_tone", "CeA", "s"), ("pag_vl_tone", "PAG-vl", "^"))


def _blocks(rows):
    """Ordered protocol blocks (phase, session) and their axis labels."""
    order = {"habituation": 0, "conditioning": 1, "test": 2}
    blocks = sorted({(r["phase"], r["session"]) for r in rows}, key=lambda b: (order.get(b[0], 3), b[1]))
    labels = [{"habituation": "hab.", "test": "test"}.get(p, f"C{s + 1}") for p, s in blocks]
    return blocks, labels


def _series(rows, lesion, measure, blocks):
    data = defaultdict(list)
    for r in rows:
        if r["lesion"] == lesion and r["measure"] == measure:
            data[blocks.index((r["phase"], r["session"]))].append(r["value"])
    return data


def figures(rows, traces, out_dir):
    rows = [r for r in rows if r["paradigm"] == PARADIGM]
    blocks, labels = _blocks(rows)
    lesions = sorted({r["lesion"] for r in rows}, key=lambda x: (x != "intact", x))
    colors = style.lesion_colors(lesions)
    ns = []
    with style.paper_style():
        fig = style.new_figure(7.0, 3.2)
        ax_f, ax_a = style.grid(fig, 1, 2, top=0.75, bottom=0.75, wgap=0.9)[0]
        for k, lesion in enumerate(lesions):
            data = _series(rows, lesion, "freezing", blocks)
            if data:
                ns += style.plot_seeds(ax_f, data, color=colors[lesion], label=lesion, offset=0.08 * k,
                                       rng=k)
        ax_f.set(title="freezing to the tone", ylabel="freezing (fraction of tone time)", ylim=(-0.03, 1.03))
        for k, lesion in enumerate(lesions):
            for j, (measure, name, marker) in enumerate(ACTIVITY):
                data = _series(rows, lesion, measure, blocks)
                if data:
                    label = name if len(lesions) == 1 else f"{name} ({lesion})"
                    ns += style.plot_seeds(ax_a, data, color=style.LESION_COLORS[j] if len(lesions) == 1
                                           else colors[lesion], marker=marker, label=label,
                                           offset=0.08 * (j - 1), rng=10 * k + j)
        ax_a.set(title="amygdala and PAG during the tone", ylabel="rate (Hz)")
        for ax in (ax_f, ax_a):
            ax.set_xticks(range(len(blocks)), labels)
            ax.set_xlabel("protocol block (hab. = habituation, C = conditioning session)")
            ax.legend(loc="upper left", frameon=False, fontsize=6)
        style.panel_letters([ax_f, ax_a])
        fig.suptitle(f"Fear conditioning ({', '.join(sorted({r['mode'] for r in rows}))} mode)", y=0.98)
        fig.text(0.5, 0.02, style.caption(ns), ha="center", fontsize=6.5, color="#444444")
        return style.save(fig, out_dir, "fear_conditioning")

"""The ``vicarious`` command line: run paradigms, make figures, list what exists, draw circuits.

Every user mistake (unknown name, bad value, missing units, existing output folder) and a
diverging simulation end in one line ``vicarious: error: ...`` and exit status 2;
Ctrl-C ends with status 130 and leaves no half-written result.
"""

import argparse
import re
import sys
from pathlib import Path

from regions.errors import VicariousError, unknown

PROG = "vicarious"
TOPICS = ("paradigms", "lesions", "regions", "params")

MAIN_HELP = """\
Simulate empathy circuits (rate or spiking Brian2 models of brain regions), lesion them,
and measure behaviour in canned paradigms.

examples:
  vicarious list                                  what paradigms, lesions, regions and parameters exist
  vicarious run cue-conditioning                  3 seeds, rate mode -> results/cue-conditioning-rate
  vicarious run cue-conditioning --lesion amygdala --mode spiking
  vicarious figures results/cue-conditioning-rate redraw figures from a result folder
  vicarious graph --lesion vta --out circuit.png  draw the circuit with the lesion marked

'vicarious COMMAND --help' explains each command."""

RUN_HELP = """\
Run PARADIGM once per seed (one simulated animal each), write a result folder and
print mean ± SD across seeds of every measure at the last session of each phase.

The folder holds results.csv, traces.csv (time series, if any), config.json and
provenance.json. It appears only when the run is complete: a failed or interrupted
run leaves nothing behind, and an existing folder is kept unless --force.

--lesion NAME[:SEVERITY] applies a named lesion (severity in [0, 1], default 1) or a
primitive (remove:REGION[.POP], gain:REGION[.POP]=F, cut:PROJECTION,
weaken:PROJECTION=F, freeze:PROJECTION); repeat to combine. --set KEY=VALUE changes
one parameter: KEY is paradigm.NAME, neuron.NAME, plasticity.NAME or REGION.NAME;
physical values need units (20*ms, 20 ms, 5 Hz). 'vicarious list params' shows all.

examples:
  vicarious run cue-conditioning --seeds 5
  vicarious run cue-conditioning --lesion amygdala:0.5 --mode spiking
  vicarious run cue-conditioning --set cortex.tau=30*ms --set paradigm.sessions=4 --out results/tau30
  vicarious run cue-conditioning --set paradigm.sessions=1 --set paradigm.trials=2 --seeds 1 --no-figures"""

FIGURES_HELP = """\
Make the figures of a result folder written by 'vicarious run' (never re-simulates)
and print their paths.

example:
  vicarious figures results/cue-conditioning-rate"""

LIST_HELP = """\
Show what can be run and changed: paradigms (with their measures), lesions, regions
(populations, sizes, input ports) and parameters with defaults, units and allowed
ranges, named as --set takes them. Without TOPIC, everything.

examples:
  vicarious list
  vicarious list params"""

GRAPH_HELP = """\
Draw the circuit PARADIGM runs on (default cue-conditioning), with the parts removed
or weakened by --lesion marked.

examples:
  vicarious graph --out circuit.png
  vicarious graph cue-conditioning --lesion amygdala --lesion vta:0.5 --out lesioned.pdf"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{PROG}: error: {message}\n")


def build_parser():
    """The argparse parser with its subcommands."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog=PROG, description=MAIN_HELP, formatter_class=fmt)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    run = commands.add_parser("run", help="simulate a paradigm and write a result folder",
                              description=RUN_HELP, formatter_class=fmt)
    run.add_argument("paradigm", metavar="PARADIGM", help="paradigm name (see 'vicarious list paradigms')")
    run.add_argument("--seeds", type=int, default=3, metavar="N", help="number of seeds (animals), default 3")
    run.add_argument("--mode", default="rate", metavar="rate|spiking", help="unit model, default rate")
    _add_lesion(run)
    run.add_argument("--set", action="append", default=None, dest="sets", metavar="KEY=VALUE",
                     help="change a parameter (repeatable), e.g. cortex.tau=30*ms")
    run.add_argument("--out", metavar="DIR", help="result folder, default results/PARADIGM[-LESION]-MODE")
    run.add_argument("--force", action="store_true", help="replace an existing result folder")
    run.add_argument("--codegen", default="numpy", metavar="numpy|cython",
                     help="Brian2 code-generation target, default numpy")
    run.add_argument("--no-figures", action="store_true", help="do not make figures")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary table")
    run.set_defaults(handler=cmd_run)

    figures = commands.add_parser("figures", help="make the figures of a result folder",
                                  description=FIGURES_HELP, formatter_class=fmt)
    figures.add_argument("result_dir", metavar="DIR", help="result folder written by 'vicarious run'")
    figures.set_defaults(handler=cmd_figures)

    listing = commands.add_parser("list", help="show paradigms, lesions, regions and parameters",
                                  description=LIST_HELP, formatter_class=fmt)
    listing.add_argument("topic", nargs="?", choices=TOPICS, metavar="TOPIC",
                         help="one of: " + ", ".join(TOPICS))
    listing.set_defaults(handler=cmd_list)

    graph = commands.add_parser("graph", help="draw the circuit with lesions marked",
                                description=GRAPH_HELP, formatter_class=fmt)
    graph.add_argument("paradigm", nargs="?", default="cue-conditioning", metavar="PARADIGM",
                       help="paradigm whose circuit to draw, default cue-conditioning")
    _add_lesion(graph)
    graph.add_argument("--out", required=True, metavar="FILE", help="image file to write (.png, .pdf, .svg)")
    graph.set_defaults(handler=cmd_graph)
    return parser


def _add_lesion(parser):
    parser.add_argument("--lesion", action="append", default=None, dest="lesions", metavar="NAME[:SEVERITY]",
                        help="apply a lesion (repeatable; see 'vicarious list lesions')")


def main(argv=None):
    """Entry point of the ``vicarious`` console script; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # usage errors (2) and --help (0)
        return exit_.code
    try:
        return args.handler(args) or 0
    except VicariousError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        note = "; no result written" if args.command == "run" else ""
        print(f"\n{PROG}: interrupted{note}", file=sys.stderr)
        return 130


# -- commands -------------------------------------------------------------------------
def cmd_run(args):
    from circuits.config import resolve
    from circuits.results import summary_table
    from circuits.runner import run

    config = resolve(args.paradigm, mode=args.mode, seeds=args.seeds, lesions=args.lesions or (),
                     sets=args.sets or (), codegen=args.codegen)
    out = Path(args.out) if args.out else default_out(config)
    rows = run(config, out, force=args.force, progress=not args.quiet)
    if not args.quiet:
        print(summary_table(rows))
    print(f"result: {out}")
    if args.no_figures:
        return 0
    try:
        _print_figures(out)
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted while making figures; the result in {out} is complete "
              f"(redo them with 'vicarious figures {out}')", file=sys.stderr)
        return 130


def default_out(config):
    """``results/PARADIGM[-LESION]-MODE`` with the lesion label made file-name safe."""
    parts = [config.paradigm]
    if config.lesions:
        parts.append(re.sub(r"[^\w.+-]", "-", config.lesion_label))
    parts.append(config.mode)
    return Path("results") / "-".join(parts)


def cmd_figures(args):
    from circuits.results import check_result_dir

    _print_figures(check_result_dir(args.result_dir))


def _print_figures(result_dir):
    from figures import make_figures

    for path in make_figures(result_dir):
        print(f"figure: {path}")


def cmd_graph(args):
    from circuits.lesions import apply_lesions
    from circuits.paradigms import PARADIGMS

    if args.paradigm not in PARADIGMS:
        raise unknown("paradigm", args.paradigm, PARADIGMS)
    paradigm = PARADIGMS[args.paradigm]
    intact = paradigm.circuit(paradigm.Params())
    lesioned = apply_lesions(intact, args.lesions or ())
    out = Path(args.out)
    if not out.parent.is_dir():
        raise VicariousError(f"cannot write {str(out)!r}: folder {str(out.parent)!r} does not exist")
    from figures.circuit import draw_circuit

    draw_circuit(intact, lesioned, out, lesions=args.lesions or None)
    print(f"circuit: {out}")


def cmd_list(args):
    sections = {"paradigms": list_paradigms, "lesions": list_lesions, "regions": list_regions,
                "params": list_params}
    print("\n\n".join(sections[topic]() for topic in ([args.topic] if args.topic else TOPICS)))


# -- listings -------------------------------------------------------------------------
def list_paradigms():
    from circuits.paradigms import PARADIGMS

    lines = ["PARADIGMS  (vicarious run PARADIGM)"]
    for name, paradigm in PARADIGMS.items():
        lines += [f"  {name}: {paradigm.description}", f"      reference: {paradigm.reference}", "      measures:"]
        lines += [f"        {measure}: {text}" for measure, text in paradigm.measures.items()]
    return "\n".join(lines)


def list_lesions():
    from circuits.lesions import LESIONS

    width = max(map(len, LESIONS))
    lines = ["LESIONS  (--lesion NAME[:SEVERITY], severity in [0, 1], default 1; repeat to combine)"]
    for name, lesion in LESIONS.items():
        lines += [f"  {name.ljust(width)}  {lesion.description}", f"  {'':{width}}  ({lesion.reference})"]
    lines += ["  primitives: remove:REGION[.POP]  gain:REGION[.POP]=F  cut:PROJECTION  weaken:PROJECTION=F  "
              "freeze:PROJECTION"]
    return "\n".join(lines)


def list_regions():
    from regions import REGIONS

    lines = ["REGIONS  (kind: description; populations with sizes; input ports)"]
    for kind, cls in REGIONS.items():
        pops = ", ".join(f"{pop} ({settings.size})" for pop, settings in cls().populations().items())
        lines += [f"  {kind}: {cls.description}", f"      populations: {pops}",
                  f"      ports: {', '.join(cls.ports)}"]
    return "\n".join(lines)


def list_params():
    from circuits.paradigms import PARADIGMS
    from regions import REGIONS
    from regions.neurons import NeuronParams
    from regions.plasticity import PlasticityParams

    groups = [("paradigm", p.Params, f"paradigm {name}") for name, p in PARADIGMS.items()]
    groups += [("neuron", NeuronParams, "unit model, all regions"),
               ("plasticity", PlasticityParams, "learning rules, all projections")]
    groups += [(kind, cls.Params, f"region {kind}") for kind, cls in REGIONS.items()]
    lines = ["PARAMETERS  (--set KEY=VALUE; quantities need units, e.g. --set cortex.tau=30*ms)"]
    for prefix, params, title in groups:
        lines.append(f"  {title}:")
        for row in params.describe():
            unit = f"  unit {row['unit']}" if row["unit"] is not None else ""
            allowed = f"  allowed {row['range']}" if row["range"] else ""
            lines.append(f"    {prefix}.{row['name']} = {_show(row['default'])}{unit}{allowed}  -- {row['doc']}")
    return "\n".join(lines)


def _show(value):
    if isinstance(value, tuple):
        return ", ".join(":".join(map(str, v)) if isinstance(v, tuple) else str(v) for v in value)
    return str(value)

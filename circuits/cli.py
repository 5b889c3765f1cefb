"""The ``vicarious`` command line: run paradigms, make figures, list what exists, draw circuits.

Every user mistake (unknown name, bad value, missing units, existing output folder) and a
diverging simulation end in one line ``vicarious: error: ...`` and exit status 2;
Ctrl-C ends with status 130 and leaves no half-written result.
"""

import argparse
import re
import signal
import sys
import threading
from pathlib import Path

from circuits.cohorts import COHORT
from regions.errors import Terminated, VicariousError, unknown

PROG = "vicarious"
TOPICS = ("paradigms", "lesions", "regions", "params")
#: The paradigms' default numbers of animals (``Paradigm.seeds``), as the help states them.
SEEDS_DEFAULT = "the paradigm's: 3, trapped-cagemate 24"

MAIN_HELP = """\
Simulate empathy circuits (rate or spiking Brian2 models of brain regions), lesion them,
and measure behaviour in canned paradigms.

examples:
  vicarious list                                  what paradigms, lesions, regions and parameters exist
  vicarious run cue-conditioning                  3 seeds, rate mode -> results/cue-conditioning-rate
  vicarious run cue-conditioning --lesion amygdala --mode spiking
  vicarious figures results/cue-conditioning-rate redraw figures from a result folder
  vicarious graph --lesion vta --out circuit.png  draw the circuit with the lesion marked
  vicarious study fear-conditioning --lesions amygdala,vta --seeds 5   lesion study, in parallel
  vicarious reproduce                             every paradigm and documented study -> report.html
  vicarious compare results/fc-rate results/fc-spiking   two studies' effect tables side by side

'vicarious COMMAND --help' explains each command."""

RUN_HELP = """\
Run PARADIGM once per seed (one simulated animal each), write a result folder and
print mean ± SD across seeds of every measure at the last session of each phase.

The folder holds results.csv, traces.csv (time series, if any), config.json,
provenance.json and a marker (.vicarious) recording its files. It appears only when
the run is complete: a failed or interrupted run leaves nothing behind. An existing
result is replaced only with --force, and --force replaces nothing but a result
folder of 'vicarious run' (never a folder of yours, a study, '.', '..' or home).

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

STUDY_HELP = """\
Run PARADIGM under every lesion (and the intact circuit, always included), every point
of a parameter grid and every seed, in parallel; then compare each lesion with intact.

Each run (one lesion, grid point and seed) is a one-seed 'vicarious run', stored the
moment it finishes in DIR/runs/RUN-ID/ (results.csv, config.json, provenance.json). Run
the same command again on the same folder to resume after a crash or Ctrl-C: only the
missing runs are simulated, finished ones are never repeated. Each finished run is checked
against the record of its files first: a damaged one (a file missing, truncated or
altered) is reported, moved to DIR/damaged/ and simulated again. A failed run is reported
(which run, what error) and the others are kept. A folder made for a different study is
refused unless --force (which keeps the runs both studies share and deletes the rest);
a folder that is not a study is never used.

At the end DIR holds study.csv and study.parquet (all runs in one tidy table, one
column per swept parameter), stats.csv (per effect measure, grid point and lesion:
Hedges' g lesion - intact with a 95% bootstrap CI, Mann-Whitney U, Holm-corrected p)
and study.json (spec, versions), and, unless --no-figures, DIR/figures/ (see 'vicarious
figures --help'). Run one lesion at several severities (psychopathy:0.25,psychopathy:0.5,
psychopathy) to get each effect measure plotted against severity.

--lesions A,B,...   named lesions or primitives as for 'vicarious run --lesion';
                    A+B combines two lesions in one run; 'none' is the intact circuit
--set KEY=V1,V2,... sweeps KEY over the values (several swept keys make a grid);
                    --set KEY=V is a fixed override for every run; \\, is a literal comma
--effects P/M,...   effect measures compared (PHASE/MEASURE[/CONDITION]), default the
                    paradigm's own ('vicarious list paradigms')
--workers N         N worker processes on this machine (default: one per core);
                    0 runs everything in this process, one run after another
--scheduler ADDR    use a running Dask cluster (e.g. tcp://10.0.0.5:8786) instead

examples:
  vicarious study fear-conditioning --lesions amygdala,cortex-amygdala:0.5 --seeds 5
  vicarious study cue-conditioning --lesions vta,amygdala --seeds 8 --set plasticity.eta_hebbian=0.5/second,1/second
  vicarious study fear-conditioning --lesions amygdala --seeds 3 --set paradigm.sessions=2 --workers 0
  vicarious study shock-observation --lesions psychopathy:0.25,psychopathy:0.5,psychopathy:0.75,psychopathy
  vicarious study fear-conditioning --lesions bla --seeds 10 --scheduler tcp://127.0.0.1:8786 --out results/bla"""

REPRODUCE_HELP = """\
Run every canned paradigm (in both modes) and the lesion studies the documentation
quotes, store each result the moment it finishes in DIR, and write DIR/report.html:
each experiment's command, its table (every measure at the last session of each
phase: mean, SD, min, max across seeds; a study's statistics) and its figures, all
made from the stored results. DIR/tables/ holds the tables as CSV. The whole run
takes about 3 hours on 2 cores (45 minutes of it the rate/spiking parity studies,
'parity-*': the same lesion study in both modes, side by side in the report).

Run the same command again to resume after a crash or Ctrl-C: finished experiments
are kept (a damaged run is set aside and simulated again), the report is remade.
--quick runs every experiment on a tiny protocol with 2 seeds: under 10 minutes, to see
that everything runs (its numbers mean nothing).

examples:
  vicarious reproduce                         -> results/reproduce
  vicarious reproduce --quick --out /tmp/quick --workers 0
  vicarious reproduce --only shock-observation,shock-observation-controls"""

FIGURES_HELP = """\
Make the figures of a result folder written by 'vicarious run' (never re-simulates)
and print their paths. For a study folder ('vicarious study'): a lesion-effect forest
plot per paradigm, the circuit drawn with each lesion and, for a lesion run at several
severities, each effect measure against severity.

examples:
  vicarious figures results/cue-conditioning-rate
  vicarious figures results/fear-conditioning-study-rate"""

COMPARE_HELP = """\
Put the effect tables (stats.csv) of two or more study folders side by side: the same
lesion study in rate and in spiking mode, say. For each comparison (paradigm, phase,
measure, condition, lesion, grid point) each study's Hedges' g (lesion - intact) with
its 95% bootstrap CI, and a verdict: + or - when the CI lies above or below 0, 0 when
it holds 0. 'agree' says whether every study gave the same verdict. Nothing is
simulated; --out writes the table as CSV (a new file: nothing is overwritten).

examples:
  vicarious study fear-conditioning --lesions amygdala --seeds 5 --out results/fc-rate
  vicarious study fear-conditioning --lesions amygdala --seeds 5 --mode spiking --out results/fc-spiking
  vicarious compare results/fc-rate results/fc-spiking --out fc-parity.csv"""

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
    run.add_argument("--seeds", type=int, default=None, metavar="N",
                     help=f"number of seeds (animals), default {SEEDS_DEFAULT}")
    run.add_argument("--mode", default="rate", metavar="rate|spiking", help="unit model, default rate")
    _add_lesion(run)
    run.add_argument("--set", action="append", default=None, dest="sets", metavar="KEY=VALUE",
                     help="change a parameter (repeatable), e.g. cortex.tau=30*ms")
    run.add_argument("--out", metavar="DIR", help="result folder, default results/PARADIGM[-LESION]-MODE")
    run.add_argument("--force", action="store_true", help="replace an existing result folder")
    _add_codegen(run)
    run.add_argument("--cohort", type=int, default=COHORT, metavar="N",
                     help=f"animals simulated together in one network, default {COHORT}; more seeds run in "
                          "several cohorts (a seed's noise depends on its cohort: see the README)")
    run.add_argument("--no-figures", action="store_true", help="do not make figures")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary table")
    run.set_defaults(handler=cmd_run)

    study = commands.add_parser("study", help="run a paradigm under lesions x parameter grid x seeds, in parallel",
                                description=STUDY_HELP, formatter_class=fmt)
    study.add_argument("paradigm", metavar="PARADIGM", help="paradigm name (see 'vicarious list paradigms')")
    study.add_argument("--lesions", default="", metavar="A,B,...",
                       help="comma-separated lesions compared with intact (see 'vicarious list lesions')")
    study.add_argument("--seeds", type=int, default=None, metavar="N",
                       help=f"seeds (animals) per condition, default {SEEDS_DEFAULT}")
    study.add_argument("--set", action="append", default=None, dest="sets", metavar="KEY=V1[,V2,...]",
                       help="fixed value or swept values of a parameter (repeatable)")
    study.add_argument("--mode", default="rate", metavar="rate|spiking", help="unit model, default rate")
    study.add_argument("--effects", default=None, metavar="PHASE/MEASURE[,...]",
                       help="effect measures for the statistics, default the paradigm's")
    study.add_argument("--workers", type=int, default=None, metavar="N",
                       help="local worker processes, default one per core; 0: in this process")
    study.add_argument("--scheduler", default=None, metavar="ADDRESS", help="address of a running Dask scheduler")
    study.add_argument("--out", metavar="DIR", help="study folder, default results/PARADIGM-study-MODE")
    study.add_argument("--force", action="store_true", help="redefine a folder that holds a different study")
    _add_codegen(study)
    study.add_argument("--cohort", type=int, default=COHORT, metavar="N",
                       help=f"seeds of a lesion and grid point simulated together (one task), default {COHORT}")
    study.add_argument("--no-figures", action="store_true", help="do not make figures")
    study.add_argument("--quiet", action="store_true", help="no progress bar and no summary table")
    study.set_defaults(handler=cmd_study)

    reproduce = commands.add_parser("reproduce", help="rerun every paradigm and documented study; write a report",
                                    description=REPRODUCE_HELP, formatter_class=fmt)
    reproduce.add_argument("--out", metavar="DIR", help="folder, default results/reproduce (--quick: results/reproduce-quick)")
    reproduce.add_argument("--quick", action="store_true", help="tiny protocols, 2 seeds: minutes")
    reproduce.add_argument("--only", metavar="NAME,...", help="only these experiments (names as in the report)")
    reproduce.add_argument("--workers", type=int, default=None, metavar="N",
                           help="worker processes for the studies, default one per core; 0: in this process")
    reproduce.set_defaults(handler=cmd_reproduce)

    figures = commands.add_parser("figures", help="make the figures of a result folder",
                                  description=FIGURES_HELP, formatter_class=fmt)
    figures.add_argument("result_dir", metavar="DIR", help="result folder of 'vicarious run' or 'vicarious study'")
    figures.set_defaults(handler=cmd_figures)

    compare = commands.add_parser("compare", help="put studies' effect tables side by side (rate against spiking)",
                                  description=COMPARE_HELP, formatter_class=fmt)
    compare.add_argument("studies", nargs="+", metavar="DIR", help="study folders of 'vicarious study'")
    compare.add_argument("--out", metavar="FILE", help="write the table as CSV to this new file")
    compare.set_defaults(handler=cmd_compare)

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


def _add_codegen(parser):
    parser.add_argument("--codegen", default=None, metavar="numpy|cython",
                        help="Brian2 code-generation target, default $VICARIOUS_CODEGEN or numpy; both give the same "
                             "numbers, cython 2-3.5x faster once compiled (the first run of a circuit compiles it: "
                             "a minute or more)")


def _terminate(signum, frame):
    raise Terminated


def main(argv=None):
    """Entry point of the ``vicarious`` console script; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # usage errors (2) and --help (0)
        return exit_.code
    previous = signal.signal(signal.SIGTERM, _terminate) if threading.current_thread() is threading.main_thread() \
        else None
    try:
        from circuits.simulation import setup_brian2

        setup_brian2()
        return args.handler(args) or 0
    except VicariousError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        note = {"run": "; no result written",
                "study": "; finished runs are kept: run the same command again to resume",
                "reproduce": "; finished experiments are kept: run the same command again to resume"}.get(args.command, "")
        what = "terminated" if isinstance(err, Terminated) else "interrupted"
        print(f"\n{PROG}: {what}{note}", file=sys.stderr)
        return 143 if isinstance(err, Terminated) else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


# -- commands -------------------------------------------------------------------------
def cmd_run(args):
    from circuits.config import resolve
    from circuits.results import summary_table
    from circuits.runner import run

    config = resolve(args.paradigm, mode=args.mode, seeds=args.seeds, lesions=args.lesions or (),
                     sets=args.sets or (), codegen=args.codegen, cohort=args.cohort)
    out = _out(args) or default_out(config)
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


def _out(args):
    """``--out`` as a path (None when not given); an empty one is refused."""
    if args.out is None:
        return None
    if not args.out.strip():
        raise VicariousError("--out is empty; give a folder (or file) name, e.g. --out results/my-run")
    return Path(args.out)


def default_out(config):
    """``results/PARADIGM[-LESION]-MODE`` with the lesion label made file-name safe."""
    parts = [config.paradigm]
    if config.lesions:
        parts.append(re.sub(r"[^\w.+-]", "-", config.lesion_label))
    parts.append(config.mode)
    return Path("results") / "-".join(parts)


def cmd_study(args):
    from circuits.stats import parse_effect
    from circuits.study import DAMAGED, make_spec, run_study, summary

    if args.scheduler is not None and not args.scheduler.strip():
        raise VicariousError("--scheduler is empty; give a Dask scheduler's address (e.g. tcp://10.0.0.5:8786), "
                             "or leave --scheduler out to run on this machine")
    if args.scheduler and args.workers is not None:
        raise VicariousError("--workers starts a local cluster; with --scheduler the cluster's own workers run "
                             "the study (give one of them)")
    _check_workers(args.workers)
    spec = make_spec(args.paradigm, lesions=args.lesions, seeds=args.seeds, sets=args.sets or (), mode=args.mode,
                     codegen=args.codegen, cohort=args.cohort)
    effects = [parse_effect(e) for e in args.effects.split(",")] if args.effects is not None else None
    out = _out(args) or Path("results") / f"{spec.paradigm}-study-{spec.mode}"
    result = run_study(spec, out, force=args.force, workers=args.workers, scheduler=args.scheduler,
                       effects=effects, progress=not args.quiet)
    if not args.quiet:
        print(summary(result.stats, spec.grid_keys))
    if result.note:
        print(f"{PROG}: {result.note}", file=sys.stderr)
    for run_id, problem in result.damaged:
        print(f"{PROG}: run {run_id} was damaged ({problem}): simulated again; the damaged copy is in "
              f"{out / DAMAGED / run_id}", file=sys.stderr)
    print(f"study: {out} ({result.total} runs: {result.new} new, {result.reused} already done, "
          f"{len(result.failures)} failed)")
    for failure in result.failures:
        print(f"{PROG}: run {failure['run_id']} failed ({failure['lesion']}, seed {failure['seed']}"
              + "".join(f", {k}={v}" for k, v in failure["params"].items()) + f"): {failure['error']}",
              file=sys.stderr)
    if result.failures:
        raise VicariousError(f"{len(result.failures)} of {result.total} runs failed (listed above and in "
                             f"{out / 'study.json'}); the table holds the others. Run the same command "
                             "again to retry the failed runs")
    if not args.no_figures:
        _print_figures(out)
    return 0


def _check_workers(workers):
    from circuits.study import available_cores

    most = 4 * available_cores()
    if workers is not None and not 0 <= workers <= most:
        raise VicariousError(f"--workers {workers}: allowed a whole number in [0, {most}] (0: in this process; "
                             f"at most 4 per core of this machine; a bigger cluster: --scheduler)")


def cmd_reproduce(args):
    from circuits.reproduce import reproduce

    _check_workers(args.workers)
    out = _out(args) or Path("results") / ("reproduce-quick" if args.quick else "reproduce")
    only = [name.strip() for name in args.only.split(",")] if args.only is not None else None
    report = reproduce(out, quick=args.quick, workers=args.workers, only=only,
                       say=lambda line: print(line, file=sys.stderr, flush=True))
    print(f"report: {report}")


def cmd_figures(args):
    from circuits.results import check_result_dir
    from circuits.study import is_study

    if not is_study(args.result_dir):
        check_result_dir(args.result_dir)
    _print_figures(Path(args.result_dir))


def cmd_compare(args):
    from circuits import compare

    labels, rows = compare.compare(args.studies)
    print(compare.text_table(labels, rows))
    if args.out is not None:
        compare.write_csv(_out(args), labels, rows)
        print(f"table: {args.out}")


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
    out = _out(args)
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
        lines += [f"  {name}: {paradigm.description}", f"      reference: {paradigm.reference}",
                  f"      phases: {', '.join(paradigm.phases)}", f"      seeds by default: {paradigm.seeds}",
                  "      measures:"]
        lines += [f"        {measure}: {text}" for measure, text in paradigm.measures.items()]
        if getattr(paradigm, "effects", ()):
            lines.append("      effects ('vicarious study'): " + ", ".join("/".join(e) for e in paradigm.effects))
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

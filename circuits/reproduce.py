"""``vicarious reproduce``: every canned paradigm, its spiking twin, the lesion studies the documentation
quotes and each paradigm's rate/spiking parity study, stored as they finish, and a report made from the
stored results.

The folder holds one result folder per run (``DIR/NAME/``, the files of ``vicarious run``) and one study
folder per study (``DIR/NAME/``, those of ``vicarious study``), ``tables/NAME.csv`` (every measure at the
last session of each phase: mean, SD, min, max and n across seeds; a study's ``stats.csv`` beside it) and
``report.html``, which shows each experiment's command, table and figures. Running the same command again
resumes: a finished, intact run is kept, a damaged one is set aside and simulated again, a study resumes
as ``vicarious study`` does; the tables and the report are always remade from what is stored.

The protocols are those ``docs/paradigms.md`` quotes and the tests check (:data:`PROTOCOLS`); ``quick``
runs every experiment on a tiny protocol with few seeds, to show in minutes that everything runs.
"""

import csv
import dataclasses
import html
import json
import os
import shutil
import statistics
import time
from pathlib import Path

from circuits.config import replaced
from circuits.results import check_out, damage, last_sessions, load_rows, make_folder, mark, set_aside
from circuits.study import DAMAGED  # where damaged or outdated runs are kept aside
from regions.errors import VicariousError, unknown

#: The shortened protocols the documentation quotes for the slower paradigms (the canned defaults of the
#: others); the tests run the same.
PROTOCOLS = {
    "shock-observation": ("paradigm.development_events=120", "paradigm.habituation_steps=20",
                          "paradigm.baseline_steps=20", "paradigm.observed_shocks=6", "paradigm.test_steps=20"),
    "lever-refusal": ("paradigm.development_events=80", "paradigm.trials=30", "paradigm.training_days=3",
                      "paradigm.test_days=1", "paradigm.periods=2", "paradigm.period_trials=6",
                      "paradigm.iti_trials=4", "paradigm.own_shocks=5"),
    "harm-aversion": ("paradigm.development_events=60", "paradigm.trials=24", "paradigm.baseline_sessions=2",
                      "paradigm.harm_sessions=2"),
    "trapped-cagemate": ("paradigm.days=4",),
    "context-modulation": ("paradigm.days=3", "paradigm.test_trials=2", "paradigm.development_events=100",
                           "paradigm.trials=24", "paradigm.baseline_sessions=2", "paradigm.harm_sessions=2"),
}
#: Tiny protocols for ``--quick``: every experiment runs, nothing is claimed from it.
QUICK = {
    "cue-conditioning": ("paradigm.sessions=1", "paradigm.trials=2"),
    "fear-conditioning": ("paradigm.sessions=1", "paradigm.trials=2", "paradigm.habituation_trials=1",
                          "paradigm.test_trials=1"),
    "mirror-emergence": ("paradigm.development_events=10", "paradigm.capacity=none", "paradigm.probe_repeats=2",
                         "paradigm.similarities=0.5,1.0"),
    "shock-observation": ("paradigm.development_events=10", "paradigm.habituation_steps=4",
                          "paradigm.baseline_steps=4", "paradigm.observed_shocks=1", "paradigm.own_shocks=1",
                          "paradigm.test_steps=4"),
    "lever-refusal": ("paradigm.development_events=10", "paradigm.trials=4", "paradigm.training_days=1",
                      "paradigm.test_days=1", "paradigm.periods=1", "paradigm.period_trials=2",
                      "paradigm.iti_trials=1", "paradigm.own_shocks=1"),
    "harm-aversion": ("paradigm.development_events=10", "paradigm.trials=4", "paradigm.baseline_sessions=1",
                      "paradigm.harm_sessions=1", "paradigm.own_shocks=1"),
    "trapped-cagemate": ("paradigm.development_events=10", "paradigm.days=1", "paradigm.trials=4",
                         "paradigm.own_shocks=1"),
    "context-modulation": ("paradigm.development_events=10", "paradigm.days=1", "paradigm.encounters=1",
                           "paradigm.test_trials=1", "paradigm.own_shocks=1", "paradigm.trials=4",
                           "paradigm.baseline_sessions=1", "paradigm.harm_sessions=1"),
}


#: The rate/spiking parity studies: per paradigm, the lesions whose effects are compared between the modes
#: (``vicarious compare``), the seeds per group and the protocol (both modes the same).
PARITY = (
    ("cue-conditioning", "amygdala,vta", 5, ("paradigm.sessions=6",)),
    ("fear-conditioning", "amygdala", 5, ()),
    ("mirror-emergence", "acc-insula", 4, ("paradigm.capacity=none",)),
    ("shock-observation", "amygdala,egocentric-cortex", 5, ()),
    ("lever-refusal", "amygdala", 4, ()),
    ("harm-aversion", "cortex-critic", 4, ()),
)


@dataclasses.dataclass(frozen=True)
class Experiment:
    """One run (``lesions``: a tuple) or one study (``lesions``: the text of ``--lesions``)."""

    name: str
    paradigm: str
    kind: str = "run"
    mode: str = "rate"
    seeds: int = 8
    lesions: object = ()
    sets: tuple = ()
    what: str = ""

    def argv(self):
        """The ``vicarious`` command that makes the same folder."""
        args = [self.kind, self.paradigm, "--seeds", str(self.seeds)]
        args += ["--mode", self.mode] if self.mode != "rate" else []
        if self.kind == "run":
            args += [a for lesion in self.lesions for a in ("--lesion", lesion)]
        elif self.lesions:
            args += ["--lesions", self.lesions]
        return args + [a for item in self.sets for a in ("--set", item)]


def experiments(quick=False):
    """What ``vicarious reproduce`` runs, in order."""
    def sets(paradigm, *more):
        return (QUICK[paradigm] if quick else PROTOCOLS.get(paradigm, ())) + (() if quick else more)

    def n(seeds):
        return 2 if quick else seeds

    psychopathy = "psychopathy:0.25,psychopathy:0.5,psychopathy:0.75,psychopathy"
    return [
        Experiment("cue-conditioning", "cue-conditioning", seeds=n(8), sets=sets("cue-conditioning"),
                   what="light paid with food, tone with a footshock: freezing, pressing and dopamine are learnt"),
        Experiment("fear-conditioning", "fear-conditioning", seeds=n(8), sets=sets("fear-conditioning"),
                   what="a tone paired with the subject's own footshock"),
        Experiment("mirror-emergence", "mirror-emergence", seeds=n(8), sets=sets("mirror-emergence", "paradigm.capacity=none"),
                   what="mirror units from learning a multi-agent world, against shuffled, untrained and egocentric cortices"),
        Experiment("shock-observation", "shock-observation", seeds=n(8),
                   sets=QUICK["shock-observation"] if quick else (),
                   what="observational freezing and hyperalgesia at the canned protocol"),
        Experiment("lever-refusal", "lever-refusal", seeds=n(6), sets=sets("lever-refusal"),
                   what="pressing for food while a light signals a neighbour's shocks (and the light alone below)"),
        Experiment("lever-refusal-light-alone", "lever-refusal", seeds=n(6),
                   sets=sets("lever-refusal") + ("paradigm.other_shocked=0",), what="Church's control: the light alone"),
        Experiment("harm-aversion", "harm-aversion", seeds=n(6), sets=sets("harm-aversion"),
                   what="a lever that also shocks a neighbour loses preference (paired control)"),
        Experiment("trapped-cagemate", "trapped-cagemate", seeds=n(24), sets=QUICK["trapped-cagemate"] if quick else (),
                   what="a free animal and a restrainer holding its distressed cagemate, 12 daily sessions"),
        Experiment("trapped-cagemate-empty", "trapped-cagemate", seeds=n(24),
                   sets=(QUICK["trapped-cagemate"] if quick else ()) + ("paradigm.restrainer=empty",),
                   what="Bartal's control: an empty restrainer"),
        Experiment("context-modulation", "context-modulation", seeds=n(8), sets=sets("context-modulation"),
                   what="in-group, out-group (competing for food), rival and novel others in pain, after group life"),
        Experiment("context-modulation-no-competition", "context-modulation", seeds=n(8),
                   sets=sets("context-modulation") + ("paradigm.competition=0",),
                   what="the control whose groups never differ in what they bring"),
        Experiment("context-modulation-pfc", "context-modulation", kind="study", seeds=n(8), lesions="pfc",
                   sets=sets("context-modulation"), what="no gate without the PFC"),
        Experiment("cue-conditioning-spiking", "cue-conditioning", mode="spiking", seeds=n(5),
                   sets=sets("cue-conditioning", "paradigm.sessions=6"), what="spiking mode"),
        Experiment("fear-conditioning-spiking", "fear-conditioning", mode="spiking", seeds=n(4),
                   sets=sets("fear-conditioning"), what="spiking mode"),
        Experiment("mirror-emergence-spiking", "mirror-emergence", mode="spiking", seeds=n(4),
                   sets=sets("mirror-emergence", "paradigm.capacity=none"), what="spiking mode"),
        Experiment("shock-observation-spiking", "shock-observation", mode="spiking", seeds=n(4),
                   sets=sets("shock-observation"), what="spiking mode, the controls' protocol"),
        Experiment("lever-refusal-spiking", "lever-refusal", mode="spiking", seeds=n(4),
                   sets=QUICK["lever-refusal"] if quick else replaced(PROTOCOLS["lever-refusal"], "paradigm.own_shocks=0",
                                                                       "paradigm.periods=1", "paradigm.period_trials=1",
                                                                       "paradigm.iti_trials=0"),
                   what="spiking mode: lever pressing is learnt (the protocol's training, no test to speak of)"),
        Experiment("harm-aversion-spiking", "harm-aversion", mode="spiking", seeds=n(4), sets=sets("harm-aversion"),
                   what="spiking mode"),
        Experiment("trapped-cagemate-spiking", "trapped-cagemate", mode="spiking", seeds=n(8),
                   sets=sets("trapped-cagemate"), what="spiking mode, the tests' protocol"),
        Experiment("trapped-cagemate-empty-spiking", "trapped-cagemate", mode="spiking", seeds=n(8),
                   sets=sets("trapped-cagemate", "paradigm.restrainer=empty"),
                   what="spiking mode, the tests' protocol: an empty restrainer"),
        Experiment("context-modulation-spiking", "context-modulation", mode="spiking", seeds=n(4),
                   sets=sets("context-modulation"), what="spiking mode, the tests' protocol"),
        Experiment("cue-conditioning-lesions", "cue-conditioning", kind="study", seeds=n(5), lesions="amygdala,vta",
                   sets=sets("cue-conditioning"), what="no freezing without the amygdala, no pressing without dopamine"),
        Experiment("shock-observation-controls", "shock-observation", kind="study", seeds=n(5),
                   lesions="amygdala,psychopathy,egocentric-cortex,oracle-reward", sets=sets("shock-observation"),
                   what="the effect vanishes in every control"),
        Experiment("harm-aversion-controls", "harm-aversion", kind="study", seeds=n(6),
                   lesions="cortex-critic,psychopathy,oracle-reward", sets=sets("harm-aversion"),
                   what="no shift without the critic's cortical input, under psychopathy, or with an oracle"),
        Experiment("trapped-cagemate-lesions", "trapped-cagemate", kind="study", seeds=n(8),
                   lesions="amygdala,acc-insula,cortex-critic,psychopathy,oracle-reward,egocentric-cortex",
                   sets=sets("trapped-cagemate"), what="no rise in opening and no relief under any lesion"),
        Experiment("lever-refusal-amygdala", "lever-refusal", kind="study", seeds=n(6), lesions="amygdala",
                   sets=sets("lever-refusal"), what="no suppression without the amygdala"),
        Experiment("psychopathy-shock-observation", "shock-observation", kind="study", seeds=n(3), lesions=psychopathy,
                   sets=QUICK["shock-observation"] if quick else (), what="empathy against psychopathy severity"),
        Experiment("psychopathy-harm-aversion", "harm-aversion", kind="study", seeds=n(3), lesions=psychopathy,
                   sets=sets("harm-aversion"), what="harm aversion against psychopathy severity"),
    ] + [Experiment(f"parity-{paradigm}-{mode}", paradigm, kind="study", mode=mode, seeds=n(seeds), lesions=lesions,
                    sets=sets(paradigm, *more), what=f"the {mode} half of the rate/spiking parity table")
         for paradigm, lesions, seeds, more in PARITY for mode in ("rate", "spiking")]


def reproduce(out, quick=False, workers=None, only=None, say=print):
    """Run the experiments (``only``: those names) missing from ``out`` (resuming), then write the tables
    and ``report.html`` from every experiment stored there. Returns the report's path."""
    from circuits.config import resolve
    from circuits.runner import run
    from circuits.study import make_spec, run_study

    out = Path(out)
    every = experiments(quick)
    names = [e.name for e in every]
    for name in only or ():
        if name not in names:
            raise unknown("experiment", name, names)
    todo = [e for e in every if only is None or e.name in only]
    check_out(out, "reproduce", force=True)  # a reproduction is resumed; nothing else is ever used as one
    make_folder(out)
    mark(out, "reproduce")
    for i, exp in enumerate(todo, start=1):
        folder = out / exp.name
        label = f"[{i}/{len(todo)}] {exp.name} ({exp.seeds} seeds, {exp.mode})"
        clock = time.perf_counter()
        if exp.kind == "run":
            config = resolve(exp.paradigm, mode=exp.mode, seeds=exp.seeds, lesions=exp.lesions, sets=exp.sets)
            problem = _stale(folder, config) if folder.is_dir() else None
            if folder.is_dir() and problem is None:
                say(f"{label}: already done")
                continue
            if folder.is_dir():
                set_aside(folder, out / DAMAGED / exp.name)
                say(f"{label}: {problem}; set aside in {out / DAMAGED / exp.name} and simulated again")
            run(config, folder, progress=False)
        else:
            spec = make_spec(exp.paradigm, lesions=exp.lesions, seeds=exp.seeds, sets=exp.sets, mode=exp.mode)
            result = run_study(spec, folder, workers=workers, progress=False)
            if result.failures:
                raise VicariousError(f"{exp.name}: {len(result.failures)} runs failed (listed in "
                                     f"{folder / 'study.json'}); run the same command again to retry them")
            if not result.new:
                say(f"{label}: already done")
                continue
        say(f"{label}: done in {time.perf_counter() - clock:.0f} s")
    return write_report(out, every, quick)


def _stale(folder, config):
    """Why the stored run ``folder`` is not ``config``'s result (damaged, or made with another configuration);
    None when it is."""
    problem = damage(folder)
    if problem is None and json.loads((folder / "config.json").read_text()) != \
            json.loads(json.dumps(config.as_dict(), default=str)):
        problem = "made with another configuration"
    return problem


def write_report(out, todo, quick=False):
    """The tables, figures and ``report.html`` of a reproduction folder, from its stored results."""
    from figures import make_figures

    tables = out / "tables"
    tables.mkdir(exist_ok=True)
    sections = []
    for exp in todo:
        folder = out / exp.name
        command = html.escape("vicarious " + " ".join(exp.argv()))
        if not folder.is_dir():
            sections.append(f'<section id="{exp.name}"><h2>{html.escape(exp.name)}</h2><p>not run yet: '
                            f"<code>vicarious reproduce --only {exp.name}</code></p><pre>{command}</pre></section>")
            continue
        paths = make_figures(folder)
        if exp.kind == "run":
            summary = last_sessions(load_rows(folder))
            _write_table(tables / f"{exp.name}.csv", summary)
            body = _html_table(["condition", "phase", "session", "measure", "mean", "SD", "min", "max", "n"],
                               [[s["condition"], s["phase"], s["session"], s["measure"], *_numbers(s)] for s in summary])
        else:
            shutil.copyfile(folder / "stats.csv", tables / f"{exp.name}-stats.csv")
            with open(folder / "stats.csv", newline="") as handle:
                stats = list(csv.DictReader(handle))
            columns = ["phase", "measure", "condition", "lesion", "hedges_g", "g_ci_low", "g_ci_high", "n_lesion",
                       "n_intact", "p_holm"]
            body = _html_table(columns, [[row.get(c, "") for c in columns] for row in stats])
        images = "".join(f'<figure><img src="{html.escape(str(Path(p).relative_to(out)))}" alt="{html.escape(Path(p).stem)}">'
                         f"<figcaption>{html.escape(Path(p).name)}</figcaption></figure>"
                         for p in paths if str(p).endswith(".png"))
        sections.append(f'<section id="{exp.name}"><h2>{html.escape(exp.name)}</h2><p>{html.escape(exp.what)}</p>'
                        f"<pre>{command}</pre>{body}{images}</section>")
    sections.append(_parity_section(out, todo, tables))
    from circuits import __version__

    title = "Vicarious: reproduction" + (" (quick: tiny protocols, nothing to read into the numbers)" if quick else "")
    index = "".join(f'<li><a href="#{e.name}">{html.escape(e.name)}</a></li>' for e in todo)
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{_STYLE}</style>"
            f"</head><body><h1>{html.escape(title)}</h1><p>vicarious {__version__}; every number and figure below is "
            f"made from the result folders beside this file. Tables: the last session of each phase, across seeds."
            f"</p><ul>{index}</ul>{''.join(sections)}</body></html>\n")
    report = out / "report.html"
    tmp = report.with_name(f".report.html.tmp-{os.getpid()}")
    tmp.write_text(page)
    os.replace(tmp, report)
    return report


def _parity_section(out, todo, tables):
    """The rate/spiking parity table (``vicarious compare`` of each parity pair stored) as HTML, and
    ``tables/parity.csv`` with every pair's rows."""
    from circuits.compare import cell, compare, write_csv

    names = {e.name for e in todo}
    rows, labels = [], ("rate", "spiking")
    for paradigm, *_ in PARITY:
        pair = [out / f"parity-{paradigm}-{mode}" for mode in labels]
        if all(p.name in names and (p / "stats.csv").is_file() for p in pair):
            rows += compare(pair)[1]
    head = ("<section id='parity'><h2>Rate against spiking</h2><p>Each paradigm's lesion study in both modes "
            "(experiments <code>parity-*</code>), side by side as <code>vicarious compare</code> gives them: "
            "Hedges' g (lesion − intact) with its 95% CI (the groups' means where g is undefined); + / − when "
            "the CI excludes 0, 0 when it holds it.</p>")
    if not rows:
        return head + "<p>not run yet</p></section>"
    write_csv(tables / "parity.csv", labels, rows, replace=True)
    body = _html_table(["paradigm", "phase", "measure", "condition", "lesion", "rate", "spiking", "agree"],
                       [[r["paradigm"], r["phase"], r["measure"], r["condition"], r["lesion"], cell(r, "rate"),
                         cell(r, "spiking"), r["agree"]] for r in rows])
    return head + body + "</section>"


def _numbers(summary):
    values = summary["values"]
    if not values:
        return ["nan", "", "", "", "0"]
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return [f"{statistics.fmean(values):.4g}", f"{sd:.3g}", f"{min(values):.4g}", f"{max(values):.4g}",
            str(len(values))]


def _write_table(path, summary):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["condition", "phase", "session", "measure", "mean", "sd", "min", "max", "n"])
        writer.writerows([s["condition"], s["phase"], s["session"], s["measure"], *_numbers(s)] for s in summary)


def _html_table(columns, rows):
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
          "table{border-collapse:collapse;font-size:12px;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 6px}"
          "figure{display:inline-block;margin:0.5em}img{max-width:520px}pre{background:#f4f4f4;padding:0.5em}")

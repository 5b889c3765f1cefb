"""The documentation matches the code: every path it names exists, its Python runs, its commands parse and
resolve, and every paradigm and lesion is documented."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from shell import user_env

from circuits.cli import build_parser, main
from circuits.config import resolve
from circuits.lesions import LESIONS
from circuits.paradigms import PARADIGMS
from circuits.study import make_spec

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "benchmarks" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP = {"circuits", "regions", "figures", "tests", "benchmarks", "docs"}
PLACEHOLDER = re.compile(r"\*|(?<![A-Za-z])(NAME|DIR|RUN-ID|PARADIGM|MODE|LESION)(?![a-z])")  # regions/NAME.py


def blocks(path, language):
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(), flags=re.S)


def named_paths(path):
    """Repository paths named in backticks: ``circuits/arena.py``, ``docs/theory.md``, ``LICENSE``."""
    found = set()
    for token in re.findall(r"`([^`\s]+)`", path.read_text()):
        token = token.split("::")[0].rstrip(".,;:")
        if token.split("/")[0] in TOP and "/" in token or token in ("LICENSE", "CHANGELOG.md", "pyproject.toml",
                                                                     "environment.yml"):
            found.add(token)
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_the_docs_name_exists(doc):
    missing = sorted(p for p in named_paths(doc)
                     if not (ROOT / p).exists() and not PLACEHOLDER.search(p) and not p.startswith("benchmarks/output"))
    assert not missing, missing


def test_the_docs_point_nowhere_outside_the_repository():
    for doc in DOCS:
        assert "../shared" not in doc.read_text() and "shared/" not in doc.read_text(), doc
    for path in [*ROOT.glob("circuits/**/*.py"), *ROOT.glob("regions/*.py"), *ROOT.glob("figures/*.py")]:
        assert "shared/" not in path.read_text(), path


def test_the_readmes_python_runs():
    code = "\n".join(blocks(ROOT / "README.md", "python"))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def commands():
    """Every ``vicarious ...`` line of the README's bash blocks (continuation lines joined)."""
    out = []
    for block in blocks(ROOT / "README.md", "bash"):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("#")[0].strip()
            if "vicarious " in line:
                out.append(shlex.split(line[line.index("vicarious "):].split("&&")[0])[1:])
    return out


@pytest.mark.parametrize("argv", commands(), ids=" ".join)
def test_the_readmes_commands_parse_and_resolve(argv, tmp_path, monkeypatch, capsys):
    """What each command would run resolves (names, units, ranges); graph and list run for real."""
    monkeypatch.chdir(tmp_path)
    if "--help" in argv:
        assert main(argv) == 0 and "examples:" in capsys.readouterr().out
        return
    args = build_parser().parse_args(argv)
    if args.command == "run":
        resolve(args.paradigm, mode=args.mode, seeds=args.seeds, lesions=args.lesions or (), sets=args.sets or ())
    elif args.command == "study":
        make_spec(args.paradigm, lesions=args.lesions, seeds=args.seeds, sets=args.sets or (), mode=args.mode)
    elif args.command in ("graph", "list"):
        assert args.handler(args) in (None, 0)


def test_every_paradigm_and_lesion_is_documented():
    paradigms = (ROOT / "docs" / "paradigms.md").read_text()
    lesions = (ROOT / "docs" / "lesions.md").read_text()
    assert all(f"`{name}`" in paradigms for name in PARADIGMS)
    assert all(f"`{name}`" in lesions for name in LESIONS)


def test_the_readmes_first_command_runs_the_built_in_paradigm(tmp_path):
    """The first set-up command's last step, as the README writes it, in a fresh folder: it finishes, prints
    the summary and writes the result folder and figures the README promises."""
    first = blocks(ROOT / "README.md", "bash")[0]
    step = first.split("&&")[-1].split()
    assert step[:2] == ["vicarious", "run"], first
    launcher = [shutil.which("vicarious")] if shutil.which("vicarious") else [sys.executable, "-m", "circuits"]
    proc = subprocess.run(launcher + step[1:], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env=user_env())
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "results" / "cue-conditioning-rate"
    assert (folder / "results.csv").is_file() and (folder / "figures" / "cue_conditioning.png").is_file()
    assert "press_probability" in proc.stdout and "results/cue-conditioning-rate" in proc.stdout

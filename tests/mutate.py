"""`./dev mutate [PATHS]`: mutation testing of the rule modules with mutmut, survivors by file and line.

mutmut (3.x, configured in pyproject's [tool.mutmut]) copies the modules to ./mutants/, makes every
mutant of every function (a comparison swapped, a constant changed, `and` for `or`, an argument
dropped, ...), finds which tests run each function, and runs only those against each mutant. This
wrapper narrows the run to PATHS (files or folders; default: every rule module in [tool.mutmut]
only_mutate), then prints one line per surviving mutant as `file:line: mutant-name: the changed
line`, and a score per module that leaves out the mutants judged equivalent in
tests/mutation_equivalent.toml (each with its reason; docs/testing.md shows them).

    ./dev mutate                          # every rule module (tens of minutes on two cores)
    ./dev mutate domain/money.py          # one module, about a minute
    ./dev mutate --report                 # the table and the survivors of the last runs, no new run
    ./dev mutate --keep domain/money.py   # re-check only mutants without a verdict yet
    ./dev mutate --survivors              # after adding tests: re-check only last time's survivors

Each run re-checks every mutant of the modules it names (the tests may have changed since the
last verdict), unless --keep.

Not part of `./dev test`: it runs the test suite hundreds of times.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import fnmatch
import json
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = ROOT / "tests" / "mutation_equivalent.toml"
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
          36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", 37: "type check"}


def rule_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    modules: list[str] = config["tool"]["mutmut"]["only_mutate"]
    return modules


def equivalents() -> dict[str, str]:
    if not EQUIVALENT_FILE.exists():
        return {}
    table = tomllib.loads(EQUIVALENT_FILE.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in table.get("equivalent", {}).items()}


def select(paths: list[str]) -> list[str]:
    """The rule modules named by PATHS (a file or a folder each); all of them when PATHS is empty."""
    modules = rule_modules()
    if not paths:
        return modules
    chosen: list[str] = []
    for raw in paths:
        rel = Path(raw).resolve().relative_to(ROOT).as_posix() if Path(raw).exists() else raw.rstrip("/")
        hits = [m for m in modules if m == rel or m.startswith(rel + "/") or fnmatch.fnmatch(m, rel)]
        if not hits:
            sys.exit(f"mutate: {raw} is not a rule module; the rule modules are:\n  " + "\n  ".join(modules))
        chosen += [h for h in hits if h not in chosen]
    return chosen


def module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


@dataclass
class Survivor:
    file: str
    line: int
    name: str
    text: str


@dataclass
class Score:
    module: str
    counts: dict[str, int] = field(default_factory=dict)
    equivalent: int = 0
    survivors: list[Survivor] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def killed(self) -> int:
        return self.counts.get("killed", 0) + self.counts.get("timeout", 0) + self.counts.get("type check", 0)

    @property
    def score(self) -> float:
        judged = self.total - self.equivalent
        return 100.0 * self.killed / judged if judged else 100.0


def _def_lines(source: str) -> dict[str, int]:
    """`func` / `Class.method` -> the line of its `def` in the real source."""
    found: dict[str, int] = {}
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = node.lineno
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found[f"{node.name}.{item.name}"] = item.lineno
    return found


def _where(path: str, key: str, spans: dict[str, list[int]], mutated: list[str],
           defs: dict[str, int]) -> tuple[int, str]:
    """The line of the real source that mutant `key` (`x_func__mutmut_3`, `xǁClassǁmethod__mutmut_3`) changes."""
    local = key.rsplit(".", 1)[-1] if "ǁ" not in key else key[key.index("xǁ"):]
    base = local.rsplit("__mutmut_", 1)[0]
    orig = spans.get(f"{base}__mutmut_orig")
    mine = spans.get(local)
    qualified = base.removeprefix("x_") if "ǁ" not in base else ".".join(base.split("ǁ")[1:3])
    if not orig or not mine:
        return defs.get(qualified, 0), ""
    before = mutated[orig[0]:orig[1]]
    after = [t.replace(local, f"{base}__mutmut_orig", 1) for t in mutated[mine[0]:mine[1]]]
    def_at = next((i for i, t in enumerate(before) if t.lstrip().startswith(("def ", "async def "))), 0)
    for tag, i1, _i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag != "equal":
            text = after[j1].strip() if j1 < j2 else f"(deleted) {before[i1].strip()}"
            text = text.replace(f"{base}__mutmut_orig", qualified.rsplit(".", 1)[-1])
            return defs.get(qualified, 0) + i1 - def_at, text
    return defs.get(qualified, 0), ""


def _read_codes(meta: Path) -> dict[str, int | None]:
    """mutmut rewrites the file as it goes; a half-written one is read again a moment later."""
    for _ in range(20):
        try:
            codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            return codes
        except json.JSONDecodeError:
            time.sleep(0.2)
    raise SystemExit(f"mutate: {meta} is not readable JSON")


def scores(modules: list[str]) -> list[Score]:
    equivalent = equivalents()
    out: list[Score] = []
    for path in modules:
        meta = ROOT / "mutants" / f"{path}.meta"
        score = Score(path)
        if not meta.exists():
            out.append(score)
            continue
        codes = _read_codes(meta)
        spans: dict[str, list[int]] = json.loads((ROOT / "mutants" / f"{path}.spans").read_text(encoding="utf-8"))[
            "spans"]
        mutated = (ROOT / "mutants" / path).read_text(encoding="utf-8").splitlines()
        defs = _def_lines((ROOT / path).read_text(encoding="utf-8"))
        for key, code in sorted(codes.items()):
            status = "not checked" if code is None else STATUS.get(code, "suspicious")
            score.counts[status] = score.counts.get(status, 0) + 1
            if key in equivalent:
                score.equivalent += 1
                continue
            if status in ("survived", "no tests", "suspicious", "not checked", "skipped"):
                line, text = _where(path, key, spans, mutated, defs)
                score.survivors.append(Survivor(path, line, f"{key} [{status}]", text))
        out.append(score)
    return out


def forget(modules: list[str], only_survivors: bool = False) -> None:
    """Drop earlier verdicts of these modules (or only of their survivors), so mutmut checks them again."""
    for path in modules:
        meta = ROOT / "mutants" / f"{path}.meta"
        if meta.exists():
            data = json.loads(meta.read_text(encoding="utf-8"))
            codes = data["exit_code_by_key"]
            data["exit_code_by_key"] = {
                key: code if only_survivors and STATUS.get(code) in ("killed", "timeout") else None
                for key, code in codes.items()}
            meta.write_text(json.dumps(data, indent=4), encoding="utf-8")


def markdown(modules: list[str]) -> None:
    """The score table of docs/testing.md."""
    print("| module | mutants | killed | survived | equivalent | not run | score |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for s in scores(modules):
        unchecked = s.counts.get("not checked", 0)
        survived = s.total - s.killed - s.equivalent - unchecked
        score = f"{s.score:.1f} %" if not unchecked else "—"
        print(f"| `{s.module}` | {s.total} | {s.killed} | {survived} | {s.equivalent} | {unchecked} | {score} |")


def report(modules: list[str]) -> int:
    table = scores(modules)
    bad = 0
    for s in table:
        for v in sorted(s.survivors, key=lambda v: v.line):
            print(f"{v.file}:{v.line}: {v.name}: {v.text}")
    print()
    print(f"{'module':40} {'mutants':>8} {'killed':>7} {'survived':>9} {'equivalent':>10} {'score':>7}")
    for s in table:
        survived = s.total - s.killed - s.equivalent
        print(f"{s.module:40} {s.total:8} {s.killed:7} {survived:9} {s.equivalent:10} {s.score:6.1f}%")
        bad += s.score < 90.0 or (s.total and s.equivalent * 10 >= s.total)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="rule modules or folders (default: every rule module)")
    parser.add_argument("--report", action="store_true", help="only print the results of earlier runs")
    parser.add_argument("--markdown", action="store_true", help="print the score table as Markdown, no new run")
    parser.add_argument("--survivors", action="store_true",
                        help="re-check only the mutants that survived last time (after adding tests)")
    parser.add_argument("--keep", action="store_true", help="keep earlier verdicts; check only new mutants")
    parser.add_argument("--jobs", type=int, default=None, help="parallel mutant runs (default: mutmut's)")
    args = parser.parse_args(argv)
    modules = select(args.paths)
    if args.markdown:
        markdown(modules)
        return 0
    if not args.report:
        if not args.keep:
            forget(modules, only_survivors=args.survivors)
        globs = [f"{module_name(m)}.*" for m in modules]
        command = [sys.executable, "-m", "mutmut", "run", *globs]
        if args.jobs:
            command[4:4] = ["--max-children", str(args.jobs)]
        # mutmut's progress line is a spinner; its own list goes to a log, the survivors come below.
        log = ROOT / "mutants" / "last-run.log"
        log.parent.mkdir(exist_ok=True)
        with log.open("w", encoding="utf-8") as out:
            done = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False)
        if done.returncode != 0:
            print(log.read_text(encoding="utf-8")[-4000:])
            print(f"mutate: mutmut failed (exit {done.returncode}); its output is in {log.relative_to(ROOT)}")
            return done.returncode
    return report(modules)


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark harness.

A benchmark module `bench/bench_<name>.py` defines `run(quick: bool) -> list[Result]`. Each
result measures a subject and its baseline in the same run; the harness writes the table to
`bench/results.md` and `bench/results.json` and into the README between the bench markers.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import platform
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    benchmark: str
    subject: str
    subject_value: float
    baseline: str
    baseline_value: float
    unit: str  # "s", "ms", "MB", "%" …
    notes: str = ""
    extra: dict[str, float | str] = field(default_factory=dict)
    # the target for the ratio, where there is one: at most `target_max`, at least `target_min`
    target_max: float | None = None
    target_min: float | None = None

    @property
    def ratio(self) -> float:
        return self.subject_value / self.baseline_value if self.baseline_value else float("inf")

    def target(self) -> str:
        """'≤ 3× met', '≥ 1× not met', or '' for a result with no target."""
        if self.target_max is not None:
            return f"≤ {self.target_max:g}× {'met' if self.ratio <= self.target_max else 'not met'}"
        if self.target_min is not None:
            return f"≥ {self.target_min:g}× {'met' if self.ratio >= self.target_min else 'not met'}"
        return ""


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of `repeat` runs, seconds (the least disturbed by the other core's load)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def discover() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(ROOT / "bench")]) if m.name.startswith("bench_"))


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def to_markdown(results: list[Result], when: str) -> str:
    lines = [f"Measured {when} on {platform.machine()}, {platform.python_implementation()} "
             f"{platform.python_version()}, {_cpu_count()} cores.", "",
             "| benchmark | subject | value | baseline | value | ratio | target | notes |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.benchmark} | {r.subject} | {_fmt(r.subject_value)} {r.unit} | {r.baseline} | "
                     f"{_fmt(r.baseline_value)} {r.unit} | {r.ratio:.2f}× | {r.target()} | {r.notes} |")
    return "\n".join(lines) + "\n"


def _cpu_count() -> int:
    import os
    return os.cpu_count() or 1


def update_readme(table: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)", re.S)
    if pattern.search(text):
        readme.write_text(pattern.sub(lambda m: m.group(1) + table + m.group(2), text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(prog="./dev bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="only these benchmarks (e.g. calculator)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    modules = [m for m in discover() if not args.names or m.removeprefix("bench_") in args.names]
    results: list[Result] = []
    for name in modules:
        print(f"running {name} …", flush=True)
        module = importlib.import_module(f"bench.{name}")
        results += module.run(args.quick)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    table = to_markdown(results, when)
    print(table)
    if not args.no_write and not args.names and not args.quick:
        (ROOT / "bench" / "results.md").write_text(table, encoding="utf-8")
        (ROOT / "bench" / "results.json").write_text(
            json.dumps([asdict(r) | {"ratio": r.ratio, "target": r.target()} for r in results],
                       ensure_ascii=False, indent=2),
            encoding="utf-8")
        update_readme(table)
    return 0

"""The layer rules of docs/architecture.md as code, used by tests/test_architecture.py.

A package may import only packages of a lower layer (and itself). `domain`, `infra`,
`hardware`, `sync` and `ledger` may not import Qt at all. The terminal product's packages never
import the centre's (`ledger`, `exchange`), except the demo modules that start a local ledger.
"""

from __future__ import annotations

import ast
from pathlib import Path

LAYERS: dict[str, int] = {
    "domain": 0,
    "infra": 1, "protocol": 1,
    "hardware": 2, "sync": 2, "ledger": 2, "exchange": 2,
    "support": 3,  # Qt-free field support (bundle, diagnostic state): reads hardware and sync
    "ui": 4,
    "kiosk": 5, "counter_app": 5,
}
QT_FREE = {"domain", "infra", "protocol", "hardware", "sync", "ledger", "exchange", "support"}
# Two products (pyproject.toml extras): the terminal ships without the centre's packages.
TERMINAL = {"hardware", "sync", "support", "ui", "kiosk", "counter_app"}
CENTRE_ONLY = {"ledger", "exchange"}
# Demo programs run a local ledger beside the kiosk/counter: developer checkout and --demo bundle only.
DEMO_MODULES = {"kiosk/demo.py", "kiosk/screenshots.py", "counter_app/demo.py", "counter_app/screenshots.py",
                "counter_app/loan_screenshots.py"}
QT_MODULES = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2"}


def imported_modules(source: str) -> list[tuple[int, str]]:
    """Top-level module names imported by a source file, with line numbers."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name.split(".")[0]) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def violations(root: Path) -> list[str]:
    problems: list[str] = []
    for package, rank in LAYERS.items():
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root)
            for line, module in imported_modules(path.read_text(encoding="utf-8")):
                if module in CENTRE_ONLY and package in TERMINAL and rel.as_posix() not in DEMO_MODULES:
                    problems.append(f"{rel}:{line}: the terminal ({package}) must not import the centre's {module}")
                elif module in QT_MODULES and package in QT_FREE:
                    problems.append(f"{rel}:{line}: {package} must not import Qt ({module})")
                elif module in LAYERS and module != package and LAYERS[module] >= rank:
                    problems.append(f"{rel}:{line}: {package} (layer {rank}) imports {module} "
                                    f"(layer {LAYERS[module]}): only lower layers may be imported")
    return problems

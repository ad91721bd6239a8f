"""Two products from one repository: the terminal pulls no server library, the centre no Qt.

Read from the project's own metadata (pyproject.toml) and, for what those requirements pull in,
from the metadata of the distributions installed in this environment: no network.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Code of each product (protocol/ and exchange/ are added by other streams; absent folders are skipped).
SHARED_TREES = ("domain", "infra", "protocol")
TERMINAL_TREES = (*SHARED_TREES, "sync", "hardware", "support", "ui", "kiosk", "counter_app")
CENTRE_TREES = (*SHARED_TREES, "ledger", "exchange")
# Modules of a product that start the other one for a demo (a local ledger beside the kiosk): they
# run from a developer checkout or a --demo bundle, never from a production terminal.
DEMO_MODULES = ("kiosk/demo.py", "kiosk/screenshots.py", "counter_app/demo.py", "counter_app/screenshots.py")

SERVER_LIBRARIES = {"fastapi", "uvicorn", "starlette", "psycopg", "psycopg-binary", "psycopg2", "psycopg2-binary",
                    "gunicorn", "pydantic", "pydantic-core", "asyncpg", "hypercorn", "httptools", "uvloop"}
QT_LIBRARIES = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6", "pyqt5", "pyqt6",
                "opencv-python", "opencv-python-headless"}
FIRST_PARTY = {"domain", "infra", "protocol", "sync", "hardware", "ui", "kiosk", "counter_app", "ledger",
               "exchange", "support", "resources", "installer", "bench", "tests"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*extras: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        reqs += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return reqs


def _applies(req: Requirement, extra: str = "") -> bool:
    return req.marker is None or req.marker.evaluate({"extra": extra})


def closure(reqs: list[Requirement]) -> set[str]:
    """Every distribution the requirements pull in on this platform, from installed metadata."""
    seen: set[str] = set()
    todo = [(r, "") for r in reqs]
    while todo:
        req, extra = todo.pop()
        if not _applies(req, extra):
            continue
        name = canonical(req.name)
        key = name + "[" + ",".join(sorted(req.extras)) + "]"
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue  # not installed here (a Windows-only dependency): its own name is still counted
        for text in dist.requires or []:
            sub = Requirement(text)
            for want in ("", *req.extras):
                if sub.marker is None or sub.marker.evaluate({"extra": want}):
                    todo.append((sub, want))
                    break
    return {k.split("[")[0] for k in seen}


def third_party_imports(trees: tuple[str, ...], root: Path = ROOT, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """{top-level module: first file importing it} for the trees, counting import_module("x") too."""
    found: dict[str, str] = {}
    for tree in trees:
        for path in sorted((root / tree).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel in skip or "/migrations/" in rel:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                      and node.func.attr == "import_module" and node.args
                      and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    names = [node.args[0].value]
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in FIRST_PARTY and top != "__future__":
                        found.setdefault(top, rel)
    return found


# Modules the code imports by name that no installed distribution provides everywhere.
OPTIONAL_MODULES = {"evdev": "keyboard-wedge scanner through evdev (Linux, optional)",
                    "keyring": "the OS keyring for the cache key (the `keyring` extra; a 0600 file without it)",
                    "msvcrt": "Windows", "win32print": "Windows (pywin32)", "winreg": "Windows"}


def undeclared(trees: tuple[str, ...], extras: tuple[str, ...], skip: tuple[str, ...] = ()) -> dict[str, str]:
    providers = metadata.packages_distributions()
    names = {canonical(r.name) for r in declared(*extras)}
    missing: dict[str, str] = {}
    for module, where in third_party_imports(trees, skip=skip).items():
        if module in OPTIONAL_MODULES:
            continue
        dists = {canonical(d) for d in providers.get(module, [])}
        if not dists & names:
            missing[module] = f"{where} (provided by {sorted(dists) or 'nothing installed'})"
    return missing


def test_the_project_declares_the_two_products() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"terminal", "centre"} <= set(extras)
    assert "PySide6-Essentials" in " ".join(extras["terminal"]) and "fastapi" in " ".join(extras["centre"])


def test_the_terminal_pulls_no_server_library() -> None:
    pulled = closure(declared("terminal"))
    assert "pyside6-essentials" in pulled and "python-escpos" in pulled  # the walk sees the installed tree
    assert pulled & SERVER_LIBRARIES == set()


def test_the_centre_pulls_no_qt() -> None:
    pulled = closure(declared("centre"))
    assert {"fastapi", "uvicorn", "psycopg", "sqlalchemy"} <= pulled
    assert pulled & QT_LIBRARIES == set()


def test_the_installed_distribution_carries_the_same_extras() -> None:
    dist = metadata.distribution(PYPROJECT["project"]["name"])
    assert {"terminal", "centre"} <= set(dist.metadata.get_all("Provides-Extra") or [])
    for extra, forbidden in (("terminal", SERVER_LIBRARIES), ("centre", QT_LIBRARIES)):
        reqs = [Requirement(r) for r in dist.requires or []]
        names = {canonical(r.name) for r in reqs if r.marker is None or r.marker.evaluate({"extra": extra})}
        assert names and names & forbidden == set(), extra


@pytest.mark.parametrize(("trees", "extras", "skip"), [
    (TERMINAL_TREES, ("terminal",), DEMO_MODULES),
    (CENTRE_TREES, ("centre",), ()),
], ids=["terminal", "centre"])
def test_every_imported_package_is_declared_by_its_product(trees: tuple[str, ...], extras: tuple[str, ...],
                                                           skip: tuple[str, ...]) -> None:
    assert undeclared(trees, extras, skip) == {}


def test_an_import_that_arrives_only_through_another_package_is_caught(tmp_path: Path) -> None:
    (tmp_path / "hardware").mkdir()
    (tmp_path / "hardware" / "a.py").write_text("import barcode\nimport fastapi\n", encoding="utf-8")
    found = third_party_imports(("hardware",), root=tmp_path)
    assert found == {"barcode": "hardware/a.py", "fastapi": "hardware/a.py"}
    reqs = [Requirement("python-escpos>=3")]  # escpos pulls python-barcode, but that is not a declaration
    assert "python-barcode" in closure(reqs) and "python-barcode" not in {canonical(r.name) for r in reqs}


def test_a_dropped_declaration_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    honest = declared
    monkeypatch.setattr(sys.modules[__name__], "declared",
                        lambda *extras: [r for r in honest(*extras) if r.name != "python-barcode"])
    assert set(undeclared(TERMINAL_TREES, ("terminal",), DEMO_MODULES)) == {"barcode"}

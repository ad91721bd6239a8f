"""What the packaged build holds: the four applications, the data files the code loads, the Qt parts.

The PyInstaller spec (`installer/hpf-terminal.spec`) takes every list from here and the tests in
`tests/installer/` check these same lists against the code, so a new resource folder or a new
dynamic import that the build would miss fails a test instead of a lobby terminal.

Pure Python on purpose: importable without PyInstaller (the tests do not build).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "hpf-terminal.spec"
ENTRY_DIR = INSTALLER / "entry"
RUNTIME_HOOK = INSTALLER / "rthooks" / "pyi_rth_hpf.py"

# The folder under dist/ that holds all four programs and their shared _internal/ directory.
DIST_NAME = "hpf-terminal"

# Program name -> the module whose main() it runs (the same as [project.scripts] in pyproject).
APPS: dict[str, str] = {
    "hpf-kiosk": "kiosk.app",
    "hpf-counter": "counter_app.app",
    "hpf-ledger": "ledger.cli",
    "hpf-diag": "support.diag",  # hardware.diag's device commands plus `bundle`
}
# Programs with windows: on Windows they get no console window (Linux ignores the flag).
GUI_APPS = ("hpf-kiosk", "hpf-counter")

FIRST_PARTY = ("domain", "infra", "hardware", "sync", "ledger", "ui", "kiosk", "counter_app", "resources")

# Folders whose files the code opens at run time (importlib.resources / Path(__file__)), copied to the
# same relative path inside the bundle. Source files are left out except where noted below.
DATA_DIRS: tuple[str, ...] = (
    "resources/policy",     # domain.policy: <city>.toml
    "resources/regions",    # domain.regions: GB/T 2260 division codes
    "resources/keys",       # domain.member_token: public keys of the mobile app's QR tokens
    "resources/i18n",       # ui.i18n, counter_app.i18n: compiled translations (*.qm)
    "resources/printer",    # hardware.printer: profiles.toml and python-escpos capabilities.json
    "resources/styles",     # Qt style sheets
    "resources/icons",
    "resources/demo",       # ledger.reference: demo service outlets
    "resources/fleet",      # ledger.fleet_alerts: the default alert rules
    "sync/migrations",      # sync.store: alembic runs env.py and versions/*.py from disk
    "ledger/migrations",    # ledger.db: the same for the ledger's database
    "kiosk/demo_keys",      # kiosk demo: the demo signing key of member QR tokens
)
# Alembic loads these as source files, so their .py files are data too.
SOURCE_DATA_DIRS = ("sync/migrations", "ledger/migrations")
# Not loaded at run time: translation sources, bytecode caches.
SKIPPED_SUFFIXES = (".ts", ".pyc", ".pyo")

# Third-party modules the code imports by name at run time (PyInstaller cannot see them).
DYNAMIC_IMPORTS = ("zxingcpp", "pyzbar.pyzbar")
# Imported by name only when a terminal is configured for them; bundled when installed at build time.
OPTIONAL_DYNAMIC_IMPORTS = ("evdev",)

# Never used by HPF Terminal: keeps PyInstaller from analysing and collecting them (size, and
# QtMultimedia's pipewire warnings at start).
QT_EXCLUDES = (
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick", "PySide6.QtWebChannel",
    "PySide6.QtWebView", "PySide6.QtWebSockets", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtQuick3D", "PySide6.QtQml", "PySide6.Qt3DCore", "PySide6.Qt3DRender",
    "PySide6.Qt3DInput", "PySide6.Qt3DLogic", "PySide6.Qt3DAnimation", "PySide6.Qt3DExtras",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio", "PySide6.QtBluetooth",
    "PySide6.QtNfc", "PySide6.QtPositioning", "PySide6.QtLocation", "PySide6.QtSensors", "PySide6.QtSql",
    "PySide6.QtDesigner", "PySide6.QtUiTools", "PySide6.QtHelp", "PySide6.QtDataVisualization",
    "PySide6.QtGraphs", "PySide6.QtGraphsWidgets", "PySide6.QtScxml", "PySide6.QtStateMachine",
    "PySide6.QtRemoteObjects", "PySide6.QtHttpServer", "PySide6.QtTest", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "PySide6.QtSerialBus", "PySide6.QtAxContainer", "PySide6.QtCanvasPainter", "PySide6.QtLabsStyleKit",
    "PySide6.QtQmlFeatures", "PySide6.QtQuickTest", "PySide6.QtNetworkAuth",
)
PYTHON_EXCLUDES = ("tkinter", "pytest", "_pytest", "hypothesis", "pytestqt", "mypy", "ruff", "IPython",
                   "matplotlib", "bench", "tests")
EXCLUDES = QT_EXCLUDES + PYTHON_EXCLUDES

# Qt's own translations: only the languages the terminal speaks (Qt ships some 40 per module).
QT_TRANSLATION_LANGUAGES = ("zh_CN",)

# Qt plugins a lobby terminal never loads, which would bring their libraries along: the virtual
# keyboard (needs QtQuick and QML; the kiosk draws its own keypad) and the GTK platform theme
# (needs GTK; there is no desktop under the kiosk compositor). Linux only (see prune_binaries).
DROPPED_QT_PLUGINS = ("platforminputcontexts/libqtvirtualkeyboardplugin", "platformthemes/libqgtk3")

# One entry of PyInstaller's binaries list: (destination, source, type code).
TocEntry = tuple[str, str, str]


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def first_party_modules(root: Path = ROOT) -> list[str]:
    """Every module of the project's packages (drivers and screens are imported by name, so all go in)."""
    found: list[str] = []
    for package in FIRST_PARTY:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if "__pycache__" in rel or any(rel.startswith(d + "/") for d in SOURCE_DATA_DIRS):
                continue  # migration scripts are loaded from disk by alembic, not imported
            found.append(_module_name(path, root))
    return found


def hidden_imports(root: Path = ROOT, installed: Iterable[str] = ()) -> list[str]:
    """First-party modules, dynamic third-party imports, and the optional ones that are installed."""
    optional = [m for m in OPTIONAL_DYNAMIC_IMPORTS if m in set(installed)]
    return [*first_party_modules(root), *DYNAMIC_IMPORTS, *optional]


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, destination folder) pairs for PyInstaller's `datas`, one per file."""
    pairs: list[tuple[str, str]] = []
    for folder in DATA_DIRS:
        keep_source = folder in SOURCE_DATA_DIRS
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or "__pycache__" in rel.parts or path.suffix in SKIPPED_SUFFIXES:
                continue
            if path.suffix == ".py" and not keep_source:
                continue  # the package itself is in the archive; its __init__.py is not data
            pairs.append((str(path), rel.parent.as_posix()))
    return pairs


def entry_script(app: str) -> Path:
    return ENTRY_DIR / f"{app}.py"


def is_unwanted_qt_translation(dest: str) -> bool:
    """True for a Qt translation file of a language the terminal never shows."""
    parts = dest.replace("\\", "/").split("/")
    if "translations" not in parts or not parts[-1].endswith(".qm"):
        return False
    return not any(parts[-1].endswith(f"_{lang}.qm") for lang in QT_TRANSLATION_LANGUAGES)


def scripts_for(app: str, scripts: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The runtime hooks plus this app's own entry script, out of an Analysis of all four."""
    others = set(APPS) - {app}
    return [entry for entry in scripts if entry[0] not in others]


def is_dropped_plugin(dest: str) -> bool:
    path = dest.replace("\\", "/")
    return any(f"/plugins/{plugin}." in path for plugin in DROPPED_QT_PLUGINS)


def prune_binaries(binaries: Iterable[TocEntry], needed: Callable[[str], Iterable[str]]) -> list[TocEntry]:
    """The binaries without the dropped plugins and the libraries that only they needed.

    `needed(source)` names the shared libraries a binary links against (ELF NEEDED entries). A
    binary nobody links against (extension module, plugin, library loaded through ctypes) is a
    root; a library reachable from a dropped plugin but from no other root goes with it.
    """
    entries = list(binaries)
    by_name: dict[str, list[TocEntry]] = {}
    for entry in entries:
        by_name.setdefault(PurePath(entry[0]).name, []).append(entry)

    def links(entry: TocEntry) -> set[str]:
        dest, src, kind = entry
        names = {PurePath(src).name} if kind == "SYMLINK" else set(needed(src))
        return {n for n in names if n in by_name}

    graph = {id(e): links(e) for e in entries}

    def reach(start: Iterable[TocEntry]) -> set[int]:
        stack, seen = list(start), set[int]()
        while stack:
            entry = stack.pop()
            if id(entry) not in seen:
                seen.add(id(entry))
                stack.extend(d for name in graph[id(entry)] for d in by_name[name] if not is_dropped_plugin(d[0]))
        return seen

    linked: set[str] = set().union(*graph.values())
    dropped = [e for e in entries if is_dropped_plugin(e[0])]
    needed_elsewhere = reach(e for e in entries if PurePath(e[0]).name not in linked and not is_dropped_plugin(e[0]))
    only_for_dropped = reach(dropped) - needed_elsewhere
    # Only what the dropped plugins pulled in goes; anything the analysis cannot place stays.
    return [e for e in entries if not is_dropped_plugin(e[0]) and id(e) not in only_for_dropped]


def drop_dangling_symlinks(datas: Iterable[TocEntry], binaries: Iterable[TocEntry]) -> list[TocEntry]:
    """`datas` without symbolic links whose target is no longer collected (after prune_binaries).

    PyInstaller lists such links (lib in a sub-folder, link beside the programs) among the data
    entries, as (link, target relative to the link's folder, "SYMLINK").
    """
    entries = list(datas)
    present = {posixpath.normpath(e[0].replace("\\", "/")) for e in [*entries, *binaries] if e[2] != "SYMLINK"}

    def target(entry: TocEntry) -> str:
        link = entry[0].replace("\\", "/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(link), entry[1].replace("\\", "/")))

    return [e for e in entries if e[2] != "SYMLINK" or target(e) in present]

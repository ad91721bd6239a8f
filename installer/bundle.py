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
LAUNCHER_SCRIPT = ENTRY_DIR / "hpf-terminal.py"

# The folder under dist/ that holds all four programs and their shared _internal/ directory.
DIST_NAME = "hpf-terminal"

# Program name -> the module whose main() it runs (the same as [project.scripts] in pyproject).
# Every program of every bundle; a bundle variant (VARIANTS below) takes a subset.
APPS: dict[str, str] = {
    "hpf-kiosk": "kiosk.__main__",
    "hpf-counter": "counter_app.__main__",
    "hpf-ledger": "ledger.cli",
    "hpf-diag": "support.diag",  # hardware.diag's device commands plus `bundle`
    "hpf-sync": "sync.tool",
}
# Programs of the centre product: never in a terminal bundle (the centre installs from the wheel).
CENTRE_PROGRAMS = ("hpf-ledger", "hpf-exchange")
# Programs with windows: on Windows they get no console window (Linux ignores the flag).
GUI_APPS = ("hpf-kiosk", "hpf-counter")

FIRST_PARTY = ("domain", "infra", "protocol", "hardware", "sync", "support", "ledger", "exchange", "ui", "kiosk",
               "counter_app", "resources")

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
    "exchange/demo_keys",   # exchange simulator (demo only): its demo signing key
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
# Python bindings PyInstaller's hooks pull in along with QtCharts/QtTextToSpeech that no HPF code
# imports (QtOpenGL's binding alone is 9 MB); the C++ libraries they wrap stay where needed.
QT_BINDING_EXCLUDES = ("PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtNetwork", "PySide6.QtDBus",
                       "PySide6.QtConcurrent")
PYTHON_EXCLUDES = ("PIL.AvifImagePlugin", "PIL._avif",  # AVIF images: never read; 5 MB of libavif
                   "tkinter", "pytest", "_pytest", "hypothesis", "pytestqt", "mypy", "ruff", "IPython",
                   "matplotlib", "bench", "tests")
EXCLUDES = QT_EXCLUDES + QT_BINDING_EXCLUDES + PYTHON_EXCLUDES

# Qt's own translations: only the languages the terminal speaks (Qt ships some 40 per module).
QT_TRANSLATION_LANGUAGES = ("zh_CN",)

# Qt plugins a lobby terminal never loads, which would bring their libraries along: the virtual
# keyboard (needs QtQuick and QML; the kiosk draws its own keypad) and the GTK platform theme
# (needs GTK; there is no desktop under the kiosk compositor). Linux only (see prune_binaries).
# QtMultimedia's FFmpeg backend (and Qt's own libav* copies, about 25 MB) serves no HPF program:
# voice prompts go through speech-dispatcher (the speechd engine), which plays its own audio.
DROPPED_QT_PLUGINS = ("platforminputcontexts/libqtvirtualkeyboardplugin", "platformthemes/libqgtk3",
                      "multimedia/libffmpegmediaplugin", "imageformats/libqpdf")  # qpdf: 4.5 MB of libQt6Pdf

# Shared libraries of the operating system that the Debian package declares as dependencies
# (installer/deb.py DEPENDS; installer/linux/install.sh installs the same): the bundle takes them
# from the system, as every Debian package does, instead of carrying copies built for the build
# machine (PulseAudio and its codecs, CUPS and its TLS stack, GLib, X11/xcb, fontconfig, …: about
# 28 MB). Only libraries PyInstaller found in the system's library folders are dropped; copies
# that wheels carry (opencv_python_headless.libs, pillow.libs, PySide6/Qt/lib) always stay.
# The bundle therefore targets the Debian release it was built on (Debian 12).
SYSTEM_LIBRARY_DIRS = ("/lib/", "/usr/lib/", "/lib64/", "/usr/lib64/")
SYSTEM_PROVIDED = (
    "libpulse", "libsndfile", "libvorbis", "libogg", "libFLAC", "libopus", "libmpg123", "libmp3lame", "libasyncns",
    "libcups", "libgnutls", "libkrb5", "libk5crypto", "libgssapi_krb5", "libcom_err", "libkeyutils", "libp11-kit",
    "libunistring", "libnettle", "libhogweed", "libgmp", "libtasn1", "libidn2", "libavahi", "libgio-2.0",
    "libglib-2.0", "libgobject-2.0", "libgmodule-2.0", "libgthread-2.0", "libpcre2", "libmount", "libblkid",
    "libselinux", "libsystemd", "libgcrypt", "libgpg-error", "liblz4", "libcap", "libdbus-1", "libX11", "libxcb",
    "libXau", "libXdmcp", "libxkbcommon", "libfontconfig", "libfreetype", "libexpat", "libbrotli", "libbsd",
    "libmd", "libuuid", "libbz2", "liblzma", "libzstd", "libz.", "libjpeg", "libpng16", "libreadline", "libtinfo",
    "libzbar", "libusb-1.0", "libudev", "libv4l", "libwayland",
)

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


def is_unwanted_qt_translation(dest: str) -> bool:
    """True for a Qt translation file of a language the terminal never shows."""
    parts = dest.replace("\\", "/").split("/")
    if "translations" not in parts or not parts[-1].endswith(".qm"):
        return False
    return not any(parts[-1].endswith(f"_{lang}.qm") for lang in QT_TRANSLATION_LANGUAGES)


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


def is_system_provided(dest: str, src: str) -> bool:
    """A system library the Debian package depends on (see SYSTEM_PROVIDED), not a wheel's own copy."""
    name = PurePath(dest).name
    top_level = "/" not in dest.replace("\\", "/")
    return (top_level and src.replace("\\", "/").startswith(SYSTEM_LIBRARY_DIRS)
            and name.startswith(SYSTEM_PROVIDED))


def drop_system_provided(binaries: Iterable[TocEntry]) -> list[TocEntry]:
    return [e for e in binaries if not is_system_provided(e[0], e[1])]


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


# -- bundle variants: production terminal, common kiosk, demo -------------------------------------

# The centre's libraries and packages: a terminal bundle must not carry them (issue 15).
SERVER_EXCLUDES = ("fastapi", "starlette", "uvicorn", "psycopg", "psycopg_binary", "psycopg_pool", "psycopg2",
                   "pydantic", "pydantic_core", "httptools", "uvloop", "watchfiles", "websockets", "anyio",
                   "sniffio", "h11", "httpx", "httpcore", "email_validator", "annotated_doc", "annotated_types",
                   "typing_inspection", "click", "opentelemetry", "prometheus_client", "ledger", "exchange")
# Modules that start a local ledger or hold demo private keys: the --demo bundle only.
DEMO_MODULES = ("kiosk.demo", "kiosk.screenshots", "kiosk.demo_keys", "counter_app.demo", "counter_app.screenshots")
DEMO_DATA_DIRS = ("kiosk/demo_keys", "exchange/demo_keys", "ledger/migrations", "resources/demo")
# Camera decoding (OpenCV with its FFmpeg and BLAS copies, numpy): not on the common kiosk.
CAMERA_EXCLUDES = ("cv2", "numpy", "zxingcpp", "pyzbar")
CAMERA_MODULES = ("hardware.scanner.camera_scan", "hardware.scanner.decoders", "hardware.scanner.simulator",
                  "hardware.scanner.synth", "hardware.camera.device", "hardware.camera.output", "hardware.camera.page",
                  "hardware.camera.synth")


class Variant:
    """One bundle: which programs, which code and data, what it must not hold, its size budget."""

    def __init__(self, name: str, programs: tuple[str, ...], *, excludes: tuple[str, ...] = (),
                 excluded_modules: tuple[str, ...] = (), dropped_data: tuple[str, ...] = (),
                 dynamic_imports: tuple[str, ...] = DYNAMIC_IMPORTS, limit_mb: int | None = None,
                 description: str = "") -> None:
        self.name, self.programs, self.limit_mb, self.description = name, programs, limit_mb, description
        self.excludes = excludes
        self.excluded_modules = excluded_modules
        self.dropped_data = dropped_data
        self.dynamic_imports = dynamic_imports

    @property
    def dist_name(self) -> str:
        return DIST_NAME if self.name == "terminal" else f"{DIST_NAME}-{self.name}"

    @property
    def apps(self) -> dict[str, str]:
        return {p: APPS[p] for p in self.programs}

    @property
    def data_dirs(self) -> tuple[str, ...]:
        return tuple(d for d in DATA_DIRS if d not in self.dropped_data)

    def keeps_module(self, module: str) -> bool:
        gone = (*self.excludes, *self.excluded_modules)
        return not any(module == g or module.startswith(g + ".") for g in gone)

    def hidden_imports(self, root: Path = ROOT, installed: Iterable[str] = ()) -> list[str]:
        optional = [m for m in OPTIONAL_DYNAMIC_IMPORTS if m in set(installed)]
        return [m for m in [*first_party_modules(root), *self.dynamic_imports, *optional] if self.keeps_module(m)]

    def data_files(self, root: Path = ROOT) -> list[tuple[str, str]]:
        return [(src, dest) for src, dest in data_files(root)
                if not any(dest == d or dest.startswith(d + "/") for d in self.dropped_data)]

    def all_excludes(self) -> list[str]:
        return [*EXCLUDES, *self.excludes, *self.excluded_modules]


VARIANTS: dict[str, Variant] = {
    "terminal": Variant(
        "terminal", ("hpf-kiosk", "hpf-counter", "hpf-diag", "hpf-sync"),
        excludes=SERVER_EXCLUDES, excluded_modules=DEMO_MODULES, dropped_data=DEMO_DATA_DIRS, limit_mb=400,
        description="production terminal: kiosk, counter, diag; no server libraries, no demo keys"),
    "kiosk": Variant(
        "kiosk", ("hpf-kiosk", "hpf-diag", "hpf-sync"),
        excludes=SERVER_EXCLUDES + CAMERA_EXCLUDES + ("counter_app",),
        excluded_modules=DEMO_MODULES + CAMERA_MODULES, dropped_data=DEMO_DATA_DIRS, dynamic_imports=(),
        limit_mb=250, description="common kiosk: hardware scan engine (serial/wedge), no OpenCV, no counter"),
    "demo": Variant(
        "demo", ("hpf-kiosk", "hpf-counter", "hpf-ledger", "hpf-diag", "hpf-sync"),
        description="demo: all programs with the local ledger and the demo keys (never on a lobby terminal)"),
}
# The one executable of a bundle; each program is a link to it (a multi-call launcher, so the
# Python archive is stored once however many programs there are).
LAUNCHER = "hpf-terminal"


def variant(name: str | None) -> Variant:
    try:
        return VARIANTS[name or "terminal"]
    except KeyError:
        raise ValueError(f"unknown bundle {name!r}; one of {', '.join(VARIANTS)}") from None

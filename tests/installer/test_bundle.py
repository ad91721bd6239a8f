"""The build's lists (installer/bundle.py) checked against the code, without running PyInstaller."""

from __future__ import annotations

import ast
import json
import os
import runpy
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from installer import bundle

ROOT = bundle.ROOT


# -- what the code loads from disk ------------------------------------------------------------------


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_file_dunder_path(node: ast.AST) -> bool:
    """`Path(__file__)`, possibly followed by `.resolve()` / `.absolute()`."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve",
                                                                                                    "absolute"):
        node = node.func.value
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Path"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Name) and node.args[0].id == "__file__")


def loaded_folders(root: Path) -> dict[str, str]:
    """Folders the project's code opens files in: {folder relative to root: where it is referenced}.

    Recognised: `resources.files("a.b")` / `files(__name__)` and, next to a module,
    `Path(__file__).with_name("x")` and `Path(__file__).parent / "x"`.
    """
    found: dict[str, str] = {}
    for package in bundle.FIRST_PARTY:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            here = path.parent.relative_to(root)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                folder: Path | None = None
                if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)) and node.args:
                    name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                    arg = node.args[0]
                    if name == "files" and _string(arg):
                        folder = Path(*str(_string(arg)).split("."))
                    elif name == "files" and isinstance(arg, ast.Name) and arg.id == "__name__":
                        folder = here  # a package's own folder (for a module: the package it is in)
                    elif (name == "with_name" and isinstance(node.func, ast.Attribute)
                          and _is_file_dunder_path(node.func.value) and _string(arg)):
                        folder = here / str(_string(arg))
                elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and _string(node.right)
                      and isinstance(node.left, ast.Attribute) and node.left.attr == "parent"
                      and _is_file_dunder_path(node.left.value)):
                    folder = here / str(_string(node.right))
                if folder is not None:
                    found.setdefault(folder.as_posix(), f"{rel}:{getattr(node, 'lineno', 0)}")
    return found


def _covered(folder: str) -> bool:
    return any(folder == d or folder.startswith(d + "/") for d in bundle.DATA_DIRS)


def test_every_folder_the_code_loads_files_from_is_bundled() -> None:
    found = loaded_folders(ROOT)
    # the scanner must keep seeing the loads we know of, or this test would pass blind
    assert {"resources/policy", "resources/printer", "resources/i18n", "sync/migrations",
            "kiosk/demo_keys"} <= set(found)
    missing = {folder: where for folder, where in found.items() if not _covered(folder)}
    assert missing == {}, "add these folders to DATA_DIRS in installer/bundle.py"


def test_a_new_resource_folder_without_a_spec_entry_is_caught(tmp_path: Path) -> None:
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "fonts.py").write_text(
        "from importlib import resources\nfrom pathlib import Path\n"
        "FONT = resources.files('resources.fonts') / 'a.ttf'\n"
        "SOUNDS = Path(__file__).resolve().parent / 'sounds'\n", encoding="utf-8")
    found = loaded_folders(tmp_path)
    assert found == {"resources/fonts": "ui/fonts.py:3", "ui/sounds": "ui/fonts.py:4"}
    assert not _covered("resources/fonts") and not _covered("ui/sounds")


def test_every_data_folder_exists_and_each_loaded_file_is_listed() -> None:
    pairs = bundle.data_files(ROOT)
    listed = {Path(src).relative_to(ROOT).as_posix() for src, _dest in pairs}
    for folder in bundle.DATA_DIRS:
        assert (ROOT / folder).is_dir(), folder
    for must in ("resources/policy/taiyuan.toml", "resources/printer/capabilities.json",
                 "resources/printer/profiles.toml", "resources/i18n/hpf_zh_CN.qm", "resources/regions/gb2260.csv",
                 "sync/migrations/env.py", "sync/migrations/versions/0001_initial.py", "ledger/migrations/env.py",
                 "kiosk/demo_keys/member_token_demo.pem", "resources/demo/outlets.toml"):
        assert must in listed, must
    # each file lands in the folder it came from, so importlib.resources finds it in the bundle
    assert all(Path(src).parent.relative_to(ROOT).as_posix() == dest for src, dest in pairs)
    assert not any(p.endswith((".ts", ".pyc")) or "__pycache__" in p for p in listed)
    assert "resources/policy/__init__.py" not in listed  # code is in the archive, not data


class _Target:
    """Stands in for a PyInstaller build target: records what the spec passes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args: tuple[Any, ...] = args
        self.kwargs: dict[str, Any] = kwargs


class _Analysis(_Target):
    def __init__(self, scripts: list[str], **kwargs: Any) -> None:
        super().__init__(scripts, **kwargs)
        self.scripts = [("pyi_rth_hpf", "hook", "PYSOURCE"), *[(Path(p).stem, p, "PYSOURCE") for p in scripts]]
        self.pure: list[object] = []
        gtk = "PySide6/Qt/plugins/platformthemes/libqgtk3.so"
        self.binaries = [(gtk, "/s/gtk3", "BINARY"), ("libgtk-3.so.0", "/s/gtk", "BINARY"),
                         ("PySide6/QtGui.abi3.so", "/s/qtgui", "EXTENSION")]
        self.datas = [("PySide6/Qt/translations/qtbase_de.qm", "/s/de", "DATA"),
                      ("PySide6/Qt/translations/qtbase_zh_CN.qm", "/s/zh", "DATA"),
                      ("libgtk-3.so", "libgtk-3.so.0", "SYMLINK"), *[(d, s, "DATA") for s, d in kwargs["datas"]]]


def _run_spec(monkeypatch: pytest.MonkeyPatch, variant: str) -> tuple[_Analysis, dict[str, list[_Target]]]:
    import types

    fake = types.ModuleType("PyInstaller.depend.bindepend")
    fake.get_imports = lambda src: {("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0")} if src == "/s/gtk3" else set()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "PyInstaller", types.ModuleType("PyInstaller"))
    monkeypatch.setitem(sys.modules, "PyInstaller.depend", types.ModuleType("PyInstaller.depend"))
    monkeypatch.setitem(sys.modules, "PyInstaller.depend.bindepend", fake)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the spec puts the project root on it
    monkeypatch.setenv("HPF_BUNDLE", variant)
    built: dict[str, list[_Target]] = {"EXE": [], "COLLECT": []}

    def target(kind: str) -> type[_Target]:
        class Recorded(_Target):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                built.setdefault(kind, []).append(self)
        return Recorded

    spec_globals: dict[str, object] = {"SPECPATH": str(bundle.INSTALLER), "Analysis": _Analysis,
                                       "PYZ": target("PYZ"), "EXE": target("EXE"), "COLLECT": target("COLLECT")}
    exec(compile(bundle.SPEC.read_text(encoding="utf-8"), str(bundle.SPEC), "exec"), spec_globals)
    a = spec_globals["a"]
    assert isinstance(a, _Analysis)
    return a, built


@pytest.mark.parametrize("name", list(bundle.VARIANTS))
def test_the_spec_builds_one_launcher_per_bundle_from_the_variant_lists(monkeypatch: pytest.MonkeyPatch,
                                                                        name: str) -> None:
    variant = bundle.VARIANTS[name]
    a, built = _run_spec(monkeypatch, name)
    assert a.args[0] == [str(bundle.LAUNCHER_SCRIPT)]
    assert a.kwargs["datas"] == variant.data_files(ROOT)
    hidden = set(a.kwargs["hiddenimports"])
    assert {m for m in bundle.first_party_modules(ROOT) if variant.keeps_module(m)} <= hidden
    assert not [m for m in hidden if not variant.keeps_module(m)]
    assert a.kwargs["runtime_hooks"] == [str(bundle.RUNTIME_HOOK)]
    assert set(bundle.QT_EXCLUDES) | set(variant.excludes) <= set(a.kwargs["excludes"])
    (exe,) = built["EXE"]  # one executable holds the archive once; programs are links to it
    assert exe.kwargs["name"] == bundle.LAUNCHER and exe.kwargs["exclude_binaries"] is True
    (collect,) = built["COLLECT"]
    assert collect.kwargs["name"] == variant.dist_name and collect.args[0] is exe
    if sys.platform.startswith("linux"):  # the GTK theme plugin, the library only it needed and its link are gone
        assert [d for d, _s, _k in a.binaries] == ["PySide6/QtGui.abi3.so"]
        assert "libgtk-3.so" not in [d for d, _s, _k in a.datas]
    assert "PySide6/Qt/translations/qtbase_de.qm" not in [d for d, _s, _k in a.datas]
    assert "PySide6/Qt/translations/qtbase_zh_CN.qm" in [d for d, _s, _k in a.datas]


def test_the_production_bundles_carry_no_server_code_no_demo_and_the_kiosk_no_opencv() -> None:
    terminal, kiosk, demo = (bundle.VARIANTS[n] for n in ("terminal", "kiosk", "demo"))
    for variant in (terminal, kiosk):
        hidden = variant.hidden_imports(ROOT)
        assert not [m for m in hidden if m.split(".")[0] in ("ledger", "exchange", "fastapi", "uvicorn")]
        assert "kiosk.demo" not in hidden and "kiosk.demo_keys" not in hidden and "hpf-ledger" not in variant.programs
        dests = {dest for _src, dest in variant.data_files(ROOT)}
        assert not [d for d in dests if d.startswith(("kiosk/demo_keys", "ledger/", "resources/demo"))]
        assert variant.limit_mb is not None
    assert {"cv2", "numpy"} <= set(kiosk.excludes) and "hardware.scanner.decoders" not in kiosk.hidden_imports(ROOT)
    assert "hardware.scanner.wedge_scanner" in kiosk.hidden_imports(ROOT)
    assert terminal.limit_mb == 400 and kiosk.limit_mb == 250
    assert "hpf-ledger" in demo.programs and "kiosk/demo_keys" in {d for _s, d in demo.data_files(ROOT)}


@pytest.mark.parametrize("name", ["terminal", "kiosk"])
def test_every_folder_the_code_of_a_bundle_loads_is_in_that_bundle(name: str) -> None:
    variant = bundle.VARIANTS[name]
    found = loaded_folders(ROOT)
    needed = {folder: where for folder, where in found.items()
              if variant.keeps_module(where.split(":")[0].removesuffix(".py").replace("/", ".")
                                      .removesuffix(".__init__"))}
    missing = [f for f in needed if not any(f == d or f.startswith(d + "/") for d in variant.data_dirs)]
    assert missing == []
    assert "kiosk/demo_keys" in found and "kiosk/demo_keys" not in needed  # only the demo loads the demo keys


def test_the_terminal_bundles_exclude_every_module_only_the_centre_pulls_in() -> None:
    from importlib import metadata

    from tests.test_products import closure, declared

    centre_only = closure(declared("centre")) - closure(declared("terminal"))
    providers = metadata.packages_distributions()
    modules = {m for m, dists in providers.items()
               if {d.lower().replace("_", "-") for d in dists} & centre_only and not m.startswith("_")}
    assert {"fastapi", "uvicorn", "psycopg"} <= modules
    for name in ("terminal", "kiosk"):
        kept = sorted(m for m in modules if bundle.VARIANTS[name].keeps_module(m))
        assert kept == [], f"add to SERVER_EXCLUDES in installer/bundle.py: {kept}"


# -- programs and imports ---------------------------------------------------------------------------


def test_the_programs_are_the_project_scripts_and_the_launcher_knows_each(launcher: object) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    terminal_side = {name: target.split(":")[0] for name, target in scripts.items()
                     if name not in bundle.CENTRE_PROGRAMS or name in bundle.APPS}
    assert terminal_side == bundle.APPS == launcher.PROGRAMS  # type: ignore[attr-defined]
    assert launcher.LAUNCHER == bundle.LAUNCHER  # type: ignore[attr-defined]
    tree = ast.parse(bundle.LAUNCHER_SCRIPT.read_text(encoding="utf-8"))
    assert [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)] == [
        "launch_by_name"]
    for variant in bundle.VARIANTS.values():
        assert set(variant.programs) <= set(bundle.APPS)


def test_the_launcher_runs_the_program_it_was_started_as(launcher: object, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    for argv, word in ((["/opt/hpf-terminal/hpf-diag", "--help"], "emulate-idcard"),
                       (["C:\\hpf\\hpf-sync.exe", "--help"], "status"),
                       (["/opt/hpf-terminal/hpf-terminal", "hpf-diag", "--help"], "emulate-idcard")):
        monkeypatch.setattr(sys, "argv", list(argv))
        with pytest.raises(SystemExit) as done:
            launcher.launch_by_name()  # type: ignore[attr-defined]
        assert done.value.code == 0 and word in capsys.readouterr().out, argv
    monkeypatch.setattr(sys, "argv", ["/opt/hpf-terminal/hpf-terminal", "ls"])
    with pytest.raises(SystemExit) as done:
        launcher.launch_by_name()  # type: ignore[attr-defined]
    assert done.value.code == 2 and "usage" in capsys.readouterr().err


def test_a_program_the_bundle_leaves_out_says_so(launcher: object, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(launcher.PROGRAMS, "hpf-ledger", "no_such_centre_package.cli")  # type: ignore[attr-defined]
    monkeypatch.setattr(sys, "argv", ["hpf-ledger", "serve"])
    with pytest.raises(SystemExit) as done:
        launcher.launch_by_name()  # type: ignore[attr-defined]
    assert done.value.code == 2
    assert "this build does not include no_such_centre_package.cli" in capsys.readouterr().err


def _dynamic_imports(root: Path) -> set[str]:
    found: set[str] = set()
    for package in bundle.FIRST_PARTY:
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "import_module" and node.args and _string(node.args[0])):
                    found.add(str(_string(node.args[0])))
    return found


def test_every_module_imported_by_name_is_bundled() -> None:
    from hardware.registry import BUILTIN_DRIVER_PACKAGES

    modules = set(bundle.hidden_imports(ROOT, installed=bundle.OPTIONAL_DYNAMIC_IMPORTS))
    wanted = _dynamic_imports(ROOT) | set(BUILTIN_DRIVER_PACKAGES)
    assert "zxingcpp" in wanted  # the scan still sees the decoder's import
    assert wanted - modules == set()


def test_first_party_modules_cover_screens_and_drivers_but_not_migration_scripts() -> None:
    modules = bundle.first_party_modules(ROOT)
    assert {"kiosk.app", "kiosk.screens.home", "hardware.idcard", "hardware.printer.emulator", "ledger.cli",
            "resources.policy"} <= set(modules)
    assert not [m for m in modules if ".migrations" in m]
    assert bundle.hidden_imports(ROOT, installed=()).count("evdev") == 0


def test_the_screens_the_windows_import_by_name_are_bundled() -> None:
    """The kiosk and the counter import a screen's module by its name when it is first built
    (kiosk.lazy_screens, counter_app.screens.registry): no import statement PyInstaller could follow."""
    from counter_app.screens.registry import MENU_REFS
    from kiosk.lazy_screens import SCREENS

    terminal = set(bundle.variant("terminal").hidden_imports(ROOT))
    assert {f"counter_app.screens.{ref.module}" for ref in MENU_REFS} | {ref.module for ref in SCREENS} <= terminal
    assert {ref.module for ref in SCREENS} <= set(bundle.variant("kiosk").hidden_imports(ROOT))
    assert {"counter_app.starting", "kiosk.wiring"} <= terminal  # the start-up's function-level imports


# -- runtime hook and launcher ----------------------------------------------------------------------


def test_runtime_hook_points_python_escpos_at_the_bundled_capabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCPOS_CAPABILITIES_FILE", "placeholder")
    monkeypatch.delenv("ESCPOS_CAPABILITIES_FILE")
    monkeypatch.setattr(sys, "_MEIPASS", str(ROOT), raising=False)
    runpy.run_path(str(bundle.RUNTIME_HOOK))
    path = Path(os.environ["ESCPOS_CAPABILITIES_FILE"])
    assert path == ROOT / "resources" / "printer" / "capabilities.json"
    assert "profiles" in json.loads(path.read_text(encoding="utf-8"))
    # a technician's own file wins
    monkeypatch.setenv("ESCPOS_CAPABILITIES_FILE", "/srv/caps.json")
    runpy.run_path(str(bundle.RUNTIME_HOOK))
    assert os.environ["ESCPOS_CAPABILITIES_FILE"] == "/srv/caps.json"


@pytest.fixture
def launcher(monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.syspath_prepend(str(bundle.ENTRY_DIR))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    import hpf_launch

    return hpf_launch


def test_a_packaged_program_runs_an_allowed_module_for_dash_m(launcher: object, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["hpf-kiosk", "-m", "ledger.cli", "--help"])
    with pytest.raises(SystemExit) as done:
        launcher.launch("kiosk.app")  # type: ignore[attr-defined]
    assert done.value.code == 0
    assert "seed-demo" in capsys.readouterr().out  # ledger.cli's help, not the kiosk's


def test_a_packaged_program_refuses_other_modules(launcher: object, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["hpf-kiosk", "-m", "os"])
    with pytest.raises(SystemExit) as done:
        launcher.launch("kiosk.app")  # type: ignore[attr-defined]
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "cannot run module 'os'" in err and "ledger.cli" in err


def test_every_runnable_module_has_a_main(launcher: object) -> None:
    import importlib

    for name in launcher.RUNNABLE_MODULES:  # type: ignore[attr-defined]
        assert callable(importlib.import_module(name).main), name


# -- trimming Qt ------------------------------------------------------------------------------------


def test_only_the_terminal_languages_of_qt_translations_stay() -> None:
    assert bundle.is_unwanted_qt_translation("PySide6/Qt/translations/qtbase_de.qm")
    assert not bundle.is_unwanted_qt_translation("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert not bundle.is_unwanted_qt_translation("resources/i18n/hpf_zh_CN.qm")
    assert not bundle.is_unwanted_qt_translation("PySide6/Qt/translations/catalogs.json")


def test_pruning_drops_a_plugin_and_what_only_it_needed() -> None:
    gtk = "PySide6/Qt/plugins/platformthemes/libqgtk3.so"
    binaries = [(gtk, "/s/gtk3", "BINARY"), ("libgtk-3.so.0", "/s/gtk", "BINARY"),
                ("libglib-2.0.so.0", "/s/glib", "BINARY"), ("PySide6/Qt/lib/libQt6Gui.so.6", "/s/gui", "BINARY"),
                ("PySide6/QtGui.abi3.so", "/s/qtgui", "EXTENSION"), ("libusb-1.0.so.0", "/s/usb", "BINARY"),
                ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/xcb", "BINARY")]
    needs = {"/s/gtk3": ["libgtk-3.so.0", "libQt6Gui.so.6", "libglib-2.0.so.0", "libc.so.6"],
             "/s/gtk": ["libglib-2.0.so.0"], "/s/qtgui": ["libQt6Gui.so.6"], "/s/gui": ["libglib-2.0.so.0"],
             "/s/xcb": ["libQt6Gui.so.6"]}
    kept = [dest for dest, _src, _kind in bundle.prune_binaries(binaries, lambda src: needs.get(src, []))]
    # libusb is loaded through ctypes (nobody links it): a root, kept; glib is still needed by QtGui
    assert kept == ["libglib-2.0.so.0", "PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/QtGui.abi3.so",
                    "libusb-1.0.so.0", "PySide6/Qt/plugins/platforms/libqxcb.so"]


def test_links_to_pruned_libraries_are_dropped_too() -> None:
    datas = [("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),
             ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
             ("PySide6/Qt/lib/libfoo.so", "libfoo.so.1", "SYMLINK"),
             ("resources/policy/taiyuan.toml", "/src/taiyuan.toml", "DATA")]
    binaries = [("PySide6/Qt/lib/libQt6Gui.so.6", "/s/gui", "BINARY"), ("PySide6/Qt/lib/libfoo.so.1", "/s/f", "BINARY")]
    kept = [dest for dest, _src, _kind in bundle.drop_dangling_symlinks(datas, binaries)]
    assert kept == ["libQt6Gui.so.6", "PySide6/Qt/lib/libfoo.so", "resources/policy/taiyuan.toml"]


def test_system_libraries_the_package_depends_on_are_left_to_the_system() -> None:
    binaries = [("libpulse.so.0", "/usr/lib/x86_64-linux-gnu/libpulse.so.0", "BINARY"),
                ("libcups.so.2", "/lib/x86_64-linux-gnu/libcups.so.2", "BINARY"),
                ("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0", "BINARY"),
                ("libssl.so.3", "/usr/lib/x86_64-linux-gnu/libssl.so.3", "BINARY"),
                # a wheel's own copy keeps its place, even with a system-looking name
                ("opencv_python_headless.libs/libpng16-802956e1.so.16.59.0", "/venv/cv2/libpng16.so", "BINARY"),
                ("libpng16-1d1ba958.so.16.58.0", "/venv/site-packages/pillow.libs/libpng16.so", "BINARY")]
    kept = [dest for dest, _src, _kind in bundle.drop_system_provided(binaries)]
    assert kept == ["libpython3.11.so.1.0", "libssl.so.3", "opencv_python_headless.libs/libpng16-802956e1.so.16.59.0",
                    "libpng16-1d1ba958.so.16.58.0"]
    from installer.deb import DEPENDS

    for package in ("libpulse0", "libcups2", "libglib2.0-0", "libzbar0", "libusb-1.0-0"):
        assert package in DEPENDS  # what the bundle leaves out, the package brings in


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("strip") is None, reason="strip (binutils)")
def test_stripping_spares_the_blas_libraries_and_the_launcher(tmp_path: Path) -> None:
    from installer.build import strip_binaries

    unstripped = next((ROOT / ".venv").glob("lib/python3*/site-packages/yaml/_yaml*.so"), None)
    if unstripped is None:
        pytest.skip("no unstripped extension module at hand")
    app = tmp_path / "hpf-terminal"
    (app / "_internal" / "numpy.libs").mkdir(parents=True)
    for dest in ("_internal/_yaml.so", "_internal/numpy.libs/libscipy_openblas64_-x.so", "hpf-terminal"):
        shutil.copyfile(unstripped, app / dest)
    (app / "_internal" / "notes.txt").write_text("not a binary", encoding="utf-8")
    size = unstripped.stat().st_size
    saved = strip_binaries(app)
    assert saved > 0 and (app / "_internal" / "_yaml.so").stat().st_size == size - saved
    assert (app / "_internal" / "numpy.libs" / "libscipy_openblas64_-x.so").stat().st_size == size
    assert (app / "hpf-terminal").stat().st_size == size


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_each_program_becomes_a_link_to_the_one_launcher_and_sizes_group_by_component(tmp_path: Path) -> None:
    from installer.build import component_sizes, folder_size, link_programs

    app = tmp_path / "hpf-terminal-kiosk"
    (app / "_internal" / "PySide6" / "Qt").mkdir(parents=True)
    (app / bundle.LAUNCHER).write_bytes(b"x" * 1000)
    (app / "_internal" / "PySide6" / "Qt" / "libQt6Core.so.6").write_bytes(b"q" * 300)
    (app / "_internal" / "libpython3.11.so.1.0").write_bytes(b"p" * 50)
    link_programs(app, bundle.VARIANTS["kiosk"])
    for program in bundle.VARIANTS["kiosk"].programs:
        assert (app / program).is_symlink() and (app / program).readlink() == Path(bundle.LAUNCHER)
    assert not (app / "hpf-counter").exists()  # not a program of the kiosk bundle
    assert dict(component_sizes(app)) == {"launcher (Python archive)": 1000, "Qt (PySide6)": 300,
                                          "libraries beside Python (libpython, ssl, …)": 50}
    assert folder_size(app) == 1350  # the program links are not counted again

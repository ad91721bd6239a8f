"""`./dev build`: package a terminal bundle with PyInstaller, then smoke-test what was built.

    python -m installer.build                # production terminal bundle dist/hpf-terminal (≤ 400 MB)
    python -m installer.build --kiosk        # common kiosk bundle dist/hpf-terminal-kiosk (≤ 250 MB, no OpenCV)
    python -m installer.build --demo         # demo bundle dist/hpf-terminal-demo (local ledger, demo keys)
    python -m installer.build --smoke-only   # test an existing build
    python -m installer.build --no-smoke     # build only
    python -m installer.build --windows      # on Windows: the same, untested (see installer/README.md)

The smoke tests run the packaged programs the way a terminal does, outside the source tree and
the virtual environment: help and configuration listing, the ledger's database and HTTP API, an
ID card read from the reader emulator over a pseudo-terminal, a test receipt through
python-escpos (the capabilities file the runtime hook points at), a QR code decoded from an image,
the counter's local store migrated by alembic, and the kiosk demo rendered offscreen. It ends with
the build time and the bundle size. Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from installer import bundle

SMOKE_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    detail: str
    seconds: float


class SmokeCheckError(Exception):
    """One smoke check did not see what it expected; the message says what it saw."""


def build(dist: Path, work: Path, variant: bundle.Variant) -> float:
    """Run PyInstaller on the spec for `variant`, then link its programs; returns the wall time in seconds."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work / variant.name), str(bundle.SPEC)],
                   check=True, cwd=bundle.ROOT, env={**os.environ, "HPF_BUNDLE": variant.name})
    if sys.platform.startswith("linux"):
        strip_binaries(dist / variant.dist_name)
    link_programs(dist / variant.dist_name, variant)
    return time.monotonic() - started


# Stripping these breaks them: numpy's OpenBLAS then fails to load ("ELF load command
# address/offset not page-aligned"), so the BLAS family keeps its symbols.
NO_STRIP = ("openblas", "libgfortran", "libquadmath")


def strip_binaries(app_dir: Path) -> int:
    """`strip --strip-unneeded` the shared libraries of a bundle (as dh_strip does), but NO_STRIP;
    wheels ship many unstripped (about 22 MB of symbols). Returns the bytes saved."""
    import shutil

    if shutil.which("strip") is None:
        return 0
    before = folder_size(app_dir)
    elves = []
    for path in sorted(app_dir.rglob("*")):
        if path.is_symlink() or not path.is_file() or any(n in path.name for n in NO_STRIP):
            continue
        with open(path, "rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        if path.parent == app_dir:
            continue  # the launcher carries its archive after the ELF image: never strip it
        elves.append(str(path))
    for start in range(0, len(elves), 100):
        subprocess.run(["strip", "--strip-unneeded", *elves[start:start + 100]], check=True)
    return before - folder_size(app_dir)


def link_programs(app_dir: Path, variant: bundle.Variant) -> None:
    """Each program of the variant is a link to the one launcher (a copy where links are not possible)."""
    suffix = ".exe" if sys.platform == "win32" else ""
    launcher = app_dir / (bundle.LAUNCHER + suffix)
    for program in variant.programs:
        target = app_dir / (program + suffix)
        target.unlink(missing_ok=True)
        if sys.platform == "win32":  # pragma: no cover - untested: a hard link, else a copy
            try:
                os.link(launcher, target)
            except OSError:
                import shutil

                shutil.copy2(launcher, target)
        else:
            target.symlink_to(launcher.name)


def component_sizes(app_dir: Path) -> list[tuple[str, int]]:
    """Bytes per component of the bundle (top folders of _internal, the launcher, the rest), largest first."""
    groups: dict[str, int] = {}
    for path in app_dir.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(app_dir)
        if rel.parts[0] != "_internal":
            key = "launcher (Python archive)"
        elif len(rel.parts) > 2:
            top = rel.parts[1]
            key = {"PySide6": "Qt (PySide6)", "cv2": "OpenCV", "opencv_python_headless.libs": "OpenCV",
                   "numpy": "numpy", "numpy.libs": "numpy"}.get(top, top)
        else:
            key = "libraries beside Python (libpython, ssl, …)"
        groups[key] = groups.get(key, 0) + path.stat().st_size
    return sorted(groups.items(), key=lambda kv: -kv[1])


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


class Smoke:
    """The packaged programs in `app_dir`, run in a clean environment under a scratch HPF_HOME."""

    def __init__(self, app_dir: Path, scratch: Path, variant: bundle.Variant | None = None) -> None:
        self.app_dir = app_dir
        self.scratch = scratch
        self.variant = variant or bundle.VARIANTS["terminal"]
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "ESCPOS_CAPABILITIES_FILE")}
        env.update(HPF_HOME=str(scratch / "home"), QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                      if not p.startswith(str(bundle.ROOT)))
        self.env = env

    def exe(self, app: str) -> str:
        return str(self.app_dir / (app + (".exe" if sys.platform == "win32" else "")))

    def run(self, app: str, *args: str, stdin: str | None = None, timeout: float = SMOKE_TIMEOUT_S,
            expect_code: int = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([self.exe(app), *args], input=stdin, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", env=self.env, cwd=self.scratch,
                              timeout=timeout)
        if proc.returncode != expect_code:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            raise SmokeCheckError(f"{app} {' '.join(args)}: exit {proc.returncode}, expected {expect_code}: "
                               + " | ".join(tail))
        return proc


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeCheckError(message)


def _tail(path: Path, lines: int = 5) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return " | ".join(text.strip().splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def check_contents(s: Smoke) -> str:
    internal = s.app_dir / "_internal"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    suffix = ".dll" if sys.platform == "win32" else ".so"
    prefix = "" if sys.platform == "win32" else "lib"
    wanted = ([f"platforms/{prefix}q{p}{suffix}" for p in ("offscreen", "minimal")]
              + [f"imageformats/{prefix}q{f}{suffix}" for f in ("svg", "jpeg")]
              + [f"texttospeech/{prefix}qtexttospeech_mock{suffix}"])
    if sys.platform.startswith("linux"):
        wanted += ["platforms/libqxcb.so", "platforms/libqwayland.so", "wayland-shell-integration/libxdg-shell.so",
                   "texttospeech/libqtexttospeech_speechd.so"]  # the kiosk's real voice (speech-dispatcher)
    missing = [w for w in wanted if not (plugins / w).is_file()]
    _expect(not missing, f"Qt plugins missing: {missing}")
    data = [dest for _src, dest in s.variant.data_files(bundle.ROOT)]
    _expect(all((internal / d).is_dir() for d in data), "a data folder is missing from the bundle")
    dropped = [d for d in s.variant.dropped_data if (internal / d).exists()]
    _expect(not dropped, f"demo data in a production bundle: {dropped}")
    modules = archived_modules(s.app_dir / (bundle.LAUNCHER + (".exe" if sys.platform == "win32" else "")))
    banned = [m for m in modules if not s.variant.keeps_module(m)]
    _expect(modules and not banned, f"excluded modules in the archive: {banned[:5]}")
    folders = [p.name for p in internal.iterdir() if not s.variant.keeps_module(p.name.split(".")[0])]
    _expect(not folders, f"excluded packages in _internal: {folders[:5]}")
    keys = [p.name for p in internal.rglob("*.pem") if "demo" in p.name or "private" in p.read_text(
        encoding="utf-8", errors="replace").lower()]
    _expect(s.variant.name == "demo" or not keys, f"private keys in the bundle: {keys[:3]}")
    unwanted = [p.name for p in internal.rglob("*") if "WebEngine" in p.name or "Quick3D" in p.name
                or "qtvirtualkeyboard" in p.name]
    _expect(not unwanted, f"excluded Qt parts were bundled: {unwanted[:3]}")
    dangling = [str(p) for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    _expect(not dangling, f"dangling links: {dangling[:3]}")
    caps = internal / "resources" / "printer" / "capabilities.json"
    _expect(caps.is_file(), "the printer capabilities file the runtime hook names is missing")
    return (f"{len(wanted)} Qt plugins, {len(set(data))} data folders, {len(modules)} archived modules and none "
            f"excluded ({', '.join(s.variant.excludes[:4]) or 'nothing'}…), no private keys, no dangling links")


def archived_modules(launcher: Path) -> list[str]:
    """The Python modules in the launcher's archive (PyInstaller's own reader)."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(launcher))
    names: list[str] = []
    for name in archive.toc:
        if name.endswith("PYZ.pyz") or name == "PYZ-00.pyz" or name.startswith("PYZ"):
            names += list(archive.open_embedded_archive(name).toc)
    return names


HELP_WORDS = {"hpf-diag": "emulate-idcard", "hpf-ledger": "seed-demo", "hpf-counter": "--add-staff",
              "hpf-kiosk": "--windowed", "hpf-sync": "status"}


def check_help(s: Smoke) -> str:
    for app in s.variant.programs:
        out = s.run(app, "--help").stdout
        _expect(HELP_WORDS[app] in out, f"{app} --help does not mention {HELP_WORDS[app]}")
    absent = [p for p in bundle.APPS if p not in s.variant.programs and Path(s.exe(p)).exists()]
    _expect(not absent, f"programs outside this bundle: {absent}")
    return f"{', '.join(s.variant.programs)} answer --help"


def check_help_config(s: Smoke) -> str:
    from infra.config import describe_schema

    out = s.run("hpf-kiosk", "--help-config").stdout
    missing = [key for key, _default, _help in describe_schema() if f"{key} = " not in out]
    _expect(not missing, f"--help-config lacks {missing[:3]}")
    return f"{len(describe_schema())} configuration keys listed"


def check_ledger_db(s: Smoke) -> str:
    db = f"sqlite:///{s.scratch / 'ledger.db'}"
    s.run("hpf-ledger", "init-db", "--db", db)
    out = s.run("hpf-ledger", "seed-demo", "--db", db, "--members", "20").stdout
    _expect("seeded 20 members" in out, f"seed-demo said {out.strip()!r}")
    return out.splitlines()[0]


def check_ledger_http(s: Smoke) -> str:
    import requests

    db = f"sqlite:///{s.scratch / 'ledger.db'}"
    port = _free_port()
    log = s.scratch / "ledger-serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([s.exe("hpf-ledger"), "serve", "--db", db, "--port", str(port), "--log-level",
                                 "INFO"], env=s.env, cwd=s.scratch, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SmokeCheckError(f"hpf-ledger serve exited {proc.returncode}: {_tail(log)}")
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
            except requests.RequestException:
                time.sleep(0.2)
                continue
            _expect(answer.ok, f"/v1/health answered {answer.status_code}")
            break
        else:
            raise SmokeCheckError("hpf-ledger serve did not answer within 60 s")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
    # uvicorn shuts down gracefully, then re-raises the signal it caught: -SIGTERM is a clean exit
    _expect(code in (0, -signal.SIGTERM) and "Application shutdown complete" in _tail(log, 20),
            f"hpf-ledger serve exited {code} on SIGTERM: {_tail(log)}")
    return f"/v1/health answered {answer.status_code}; graceful shutdown on SIGTERM"


def _centre_ledger(s: Smoke, name: str = "centre") -> tuple[object, str]:
    """A ledger from the centre's package (this checkout's ledger/, not the bundle), seeded."""
    from ledger.db import make_engine
    from ledger.seed import seed_demo
    from ledger.testing import LedgerProcess

    db = f"sqlite:///{s.scratch / (name + '.db')}"
    engine = make_engine(db)
    seed_demo(engine, 10)
    engine.dispose()
    return LedgerProcess(db, log_path=s.scratch / f"{name}.log").start(), db


def _terminal_config(s: Smoke, url: str, name: str) -> Path:
    """A production configuration (demo = false): the centre's own QR trust key, no terminal key yet."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    qr_keys = s.scratch / "member_token_keys.toml"
    qr_keys.write_text(f'[keys]\nsmoke-centre = "{base64.b64encode(public).decode()}"\n', encoding="utf-8")
    config = s.scratch / f"{name}.toml"
    config.write_text(f'demo = false\n[ledger]\nurl = "{url}"\n'
                      f'[store]\npath = "{(s.scratch / (name + ".db")).as_posix()}"\n[logging]\nfile = false\n'
                      f'[kiosk]\nfullscreen = false\nmember_token_keys = "{qr_keys.as_posix()}"\n'
                      '[devices.scanner]\nkind = "keyboard"\n', encoding="utf-8")
    return config


def _enrol(s: Smoke, db: str, url: str, config: Path, terminal_id: str = "TY-K-SMOKE", role: str = "kiosk") -> None:
    """The way a centre sets up a terminal: a one-time code at the ledger, `hpf-diag enrol` and
    `hpf-diag set-pin` from the bundle on the terminal (its key stays in the terminal's data folder)."""
    from ledger.db import make_engine, session_factory
    from ledger.terminals import add

    engine = make_engine(db)
    try:
        issued = add(session_factory(engine), terminal_id, role, "总部服务大厅")
    finally:
        engine.dispose()
    s.run("hpf-diag", "--config", str(config), "enrol", "--ledger", url, "--code", issued.code)
    s.run("hpf-diag", "--config", str(config), "set-pin", stdin="135790\n")
    text = config.read_text(encoding="utf-8")
    _expect(terminal_id in text and "$argon2id$" in text, "enrol/set-pin did not write the configuration")


def check_talks_to_centre(s: Smoke) -> str:
    """The packaged kiosk starts against a centre ledger and sends its heartbeat; hpf-sync delivers a queue."""
    from sqlalchemy import create_engine, text

    from sync.runtime import SyncRuntime

    ledger, db = _centre_ledger(s)
    try:
        config = _terminal_config(s, ledger.url, "terminal")  # type: ignore[attr-defined]
        _enrol(s, db, ledger.url, config)  # type: ignore[attr-defined]
        from infra.config import load_config

        os.environ["HPF_HOME"] = s.env["HPF_HOME"]  # the queue's key where the packaged hpf-sync finds it
        try:
            runtime = SyncRuntime.from_config(load_config(config))
            for score in (5, 4, 3):
                runtime.enqueue("rating", {"score": score, "service_item": "smoke", "channel": "kiosk"})
            runtime.stop()
        finally:
            os.environ.pop("HPF_HOME", None)
        waiting = s.run("hpf-sync", "status", "--config", str(config), expect_code=3).stdout
        _expect("3 transaction(s)" in waiting, f"hpf-sync status said {waiting.strip()!r}")
        sent = s.run("hpf-sync", "send", "--config", str(config), "--timeout", "60").stdout
        _expect("everything is at the centre" in sent, f"hpf-sync send said {sent.strip()!r}")
        log = s.scratch / "kiosk.log"
        with open(log, "wb") as out:
            kiosk = subprocess.Popen([s.exe("hpf-kiosk"), "--config", str(config), "--windowed"], env=s.env,
                                     cwd=s.scratch, stdout=out, stderr=subprocess.STDOUT)
        engine = create_engine(db)
        try:
            deadline = time.monotonic() + 90
            beats = 0
            while time.monotonic() < deadline and not beats:
                _expect(kiosk.poll() is None, f"hpf-kiosk exited {kiosk.returncode}: {_tail(log)}")
                with engine.connect() as conn:
                    beats = conn.execute(text("SELECT COUNT(*) FROM heartbeats")).scalar_one()
                time.sleep(0.5)
            _expect(beats > 0, f"no heartbeat from the packaged kiosk in 90 s: {_tail(log)}")
            while time.monotonic() < deadline and "kiosk started" not in _tail(log, 50):
                _expect(kiosk.poll() is None, f"hpf-kiosk exited {kiosk.returncode}: {_tail(log)}")
                time.sleep(0.2)  # its SIGTERM handler is installed with the window
            with engine.connect() as conn:
                ratings = conn.execute(text("SELECT COUNT(*) FROM transactions WHERE kind = 'rating'")).scalar_one()
            _expect(ratings == 3, f"the centre holds {ratings} of the 3 queued ratings")
        finally:
            engine.dispose()
            kiosk.send_signal(signal.SIGTERM)
            code = kiosk.wait(30)
        _expect(code == 0, f"hpf-kiosk exited {code} on SIGTERM: {_tail(log)}")
    finally:
        ledger.stop()  # type: ignore[attr-defined]
    return "hpf-sync delivered 3 queued items and hpf-kiosk sent its heartbeat to a ledger of the centre package"


def check_id_card(s: Smoke) -> str:
    log = s.scratch / "emulator.log"
    with open(log, "wb") as err:
        emulator = subprocess.Popen([s.exe("hpf-diag"), "emulate-idcard", "--present", "--seconds", "60", "--json"],
                                    env=s.env, cwd=s.scratch, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=err, text=True)
    try:
        assert emulator.stdout is not None
        header = ""
        while not header.rstrip().endswith("}"):  # the --json answer is one indented object
            line = emulator.stdout.readline()
            if not line:
                raise SmokeCheckError(f"the emulator printed no port: {_tail(log)}")
            header += line
        port = json.loads(header)["port"]
        data = json.loads(s.run("hpf-diag", "read-id", "--port", port, "--json").stdout)
        _expect(len(data.get("id_number", "")) == 18 and "*" in data["id_number"],
                f"read-id gave {data.get('id_number')!r}, expected a masked 18-character number")
    finally:
        emulator.terminate()
        emulator.wait(10)
    return f"read {data['name']} {data['id_number']} over {port}"


def check_receipt(s: Smoke) -> str:
    out_file = s.scratch / "receipt.bin"
    s.run("hpf-diag", "print-test", "--printer", out_file.as_uri())
    size = out_file.stat().st_size if out_file.exists() else 0
    _expect(size > 200, f"the test receipt is {size} bytes")
    return f"test receipt: {size} bytes of ESC/POS"


def check_scan(s: Smoke) -> str:
    import qrcode

    text = "HPF-SMOKE-住房公积金-0001"
    image = s.scratch / "code.png"
    qrcode.make(text).save(str(image))
    out = s.run("hpf-diag", "scan", "--image", str(image), "--json").stdout
    found = [c["text"] for c in json.loads(out)]
    _expect(found == [text], f"scan found {found!r}")
    return "QR code decoded"


def check_counter_store(s: Smoke) -> str:
    ledger, db = _centre_ledger(s, "counter-centre")
    try:
        config = s.scratch / "counter.toml"
        config.write_text(f'[terminal]\nrole = "counter"\n[ledger]\nurl = "{ledger.url}"\n'  # type: ignore[attr-defined]
                          f'[store]\npath = "{(s.scratch / "counter.db").as_posix()}"\n[logging]\nfile = false\n',
                          encoding="utf-8")
        _enrol(s, db, ledger.url, config, "TY-C-SMOKE", "counter")  # type: ignore[attr-defined]
        out = s.run("hpf-counter", "--config", str(config), "--add-staff", "T001", "技术员", "technician",
                    stdin="Smoke-test-passw0rd\n").stdout
    finally:
        ledger.stop()  # type: ignore[attr-defined]
    _expect("staff T001 added" in out, f"--add-staff said {out.strip()!r}")
    return "counter enrolled with a one-time code, local store migrated by alembic, staff account added (argon2)"


def check_kiosk_demo(s: Smoke) -> str:
    from PIL import Image

    shot = s.scratch / "kiosk.png"
    s.run("hpf-kiosk", "-m", "kiosk.demo", "--port", str(_free_port()), "--exit-after", "8", "--grab", str(shot),
          timeout=240)
    _expect(shot.exists(), "the demo saved no screenshot")
    with Image.open(shot) as img:
        colours = img.convert("RGB").getcolors(maxcolors=1 << 16)
        _expect(img.size == (1920, 1080), f"the screenshot is {img.size}")
    _expect(colours is None or len(colours) > 20, "the screenshot is nearly blank")
    return f"demo (local ledger via -m ledger.cli, simulated devices) rendered offscreen to {shot.name}"


def check_kiosk_x11(s: Smoke) -> str:
    """The demo again on a real X server (Xvfb) through the bundled xcb platform plugin."""
    import shutil

    if not sys.platform.startswith("linux") or shutil.which("xvfb-run") is None:
        return "skipped: no xvfb-run on this machine"
    shot = s.scratch / "kiosk-x11.png"
    env = {**s.env, "QT_QPA_PLATFORM": "xcb"}
    env.pop("DISPLAY", None)
    proc = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", s.exe("hpf-kiosk"), "-m", "kiosk.demo",
                           "--port", str(_free_port()), "--exit-after", "6", "--grab", str(shot)],
                          capture_output=True, text=True, env=env, cwd=s.scratch, timeout=240)
    _expect(proc.returncode == 0 and shot.is_file(),
            f"exit {proc.returncode}: {' | '.join(proc.stderr.strip().splitlines()[-3:])}")
    # the app's own log records are fine; anything else on stderr is Qt complaining (missing xcb libraries…)
    noise = [line for line in proc.stderr.splitlines()
             if line.strip() and not re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", line)]
    _expect(not noise, f"unexpected output on X11: {noise[:3]}")
    return "demo rendered on Xvfb through the xcb plugin, no Qt warnings"


CHECKS: tuple[tuple[str, Callable[[Smoke], str]], ...] = (
    ("contents", check_contents),
    ("help", check_help),
    ("help-config", check_help_config),
    ("ledger database", check_ledger_db),
    ("ledger http", check_ledger_http),
    ("centre ledger", check_talks_to_centre),
    ("id card", check_id_card),
    ("receipt", check_receipt),
    ("scan", check_scan),
    ("counter store", check_counter_store),
    ("kiosk demo", check_kiosk_demo),
    ("kiosk on X11", check_kiosk_x11),
)
# Which checks fit which bundle: the packaged ledger and the demo only exist in the demo bundle;
# code scanning from images needs OpenCV (not in the kiosk bundle); the counter is not in it either.
CHECKS_OF: dict[str, tuple[str, ...]] = {
    "terminal": ("contents", "help", "help-config", "centre ledger", "id card", "receipt", "scan", "counter store"),
    "kiosk": ("contents", "help", "help-config", "centre ledger", "id card", "receipt"),
    "demo": ("contents", "help", "help-config", "ledger database", "ledger http", "id card", "receipt", "scan",
             "counter store", "kiosk demo", "kiosk on X11"),
}


def smoke(app_dir: Path, variant: bundle.Variant | None = None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    variant = variant or bundle.VARIANTS["terminal"]
    with tempfile.TemporaryDirectory(prefix="hpf-smoke-") as tmp:
        s = Smoke(app_dir, Path(tmp), variant)
        for name, check in CHECKS:
            if name not in CHECKS_OF[variant.name]:
                continue
            started = time.monotonic()
            try:
                detail, ok = check(s), True
            except (SmokeCheckError, subprocess.SubprocessError, OSError, ValueError, KeyError) as exc:
                detail, ok = f"{type(exc).__name__}: {exc}", False
            outcomes.append(Outcome(name, ok, detail, time.monotonic() - started))
            print(f"  {'ok  ' if ok else 'FAIL'} {name:<16} {outcomes[-1].seconds:5.1f} s  {detail}", flush=True)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--kiosk", action="store_const", const="kiosk", dest="variant",
                       help="the common kiosk bundle (no OpenCV, no counter; ≤ 250 MB)")
    which.add_argument("--demo", action="store_const", const="demo", dest="variant",
                       help="the demo bundle (local ledger, demo keys): never for a lobby terminal")
    parser.add_argument("--windows", action="store_true",
                        help="build on Windows (untested: no Windows runner; see installer/README.md)")
    parser.add_argument("--deb", action="store_true", help="then package the bundle as a .deb (installer/deb.py)")
    parser.add_argument("--smoke-only", action="store_true", help="test the existing build, do not build")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    parser.add_argument("--dist", type=Path, default=bundle.ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=bundle.ROOT / "build" / "pyinstaller",
                        help="PyInstaller's work folder (default: build/pyinstaller/)")
    args = parser.parse_args(argv)
    if args.windows != (sys.platform == "win32"):
        print("--windows builds on Windows only (PyInstaller does not cross-compile); without it, on Linux",
              file=sys.stderr)
        return 2
    variant = bundle.variant(args.variant)
    app_dir = args.dist / variant.dist_name
    build_s: float | None = None
    if not args.smoke_only:
        print(f"building {app_dir} ({variant.description}) with PyInstaller ...", flush=True)
        try:
            build_s = build(args.dist, args.work, variant)
        except subprocess.CalledProcessError as exc:
            print(f"build failed: PyInstaller exited {exc.returncode}", file=sys.stderr)
            return 1
    missing = [app for app in variant.programs if not Path(Smoke(app_dir, app_dir).exe(app)).exists()]
    if missing:
        print(f"no packaged {', '.join(missing)} in {app_dir}", file=sys.stderr)
        return 1
    failed: list[Outcome] = []
    if not args.no_smoke:
        print("smoke tests of the packaged programs:", flush=True)
        failed = [o for o in smoke(app_dir, variant) if not o.ok]
    size_mb = folder_size(app_dir) / 1e6
    print("size by component:")
    for name, size in component_sizes(app_dir)[:12]:
        print(f"  {size / 1e6:7.1f} MB  {name}")
    over = variant.limit_mb is not None and size_mb > variant.limit_mb
    built = f"built in {build_s:.0f} s, " if build_s is not None else ""
    budget = f" (budget {variant.limit_mb} MB{', EXCEEDED' if over else ''})" if variant.limit_mb else ""
    print(f"{app_dir}: {built}{size_mb:.0f} MB{budget}; "
          + (f"{len(failed)} smoke check(s) FAILED" if failed else "smoke tests passed" if not args.no_smoke
             else "smoke tests skipped"))
    if args.deb and not failed and not over:
        from installer.deb import build_deb

        package = build_deb(app_dir, args.dist)
        print(f"{package}: {package.stat().st_size / 1e6:.0f} MB")
    return 1 if failed or over else 0


if __name__ == "__main__":
    raise SystemExit(main())

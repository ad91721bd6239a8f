"""The kiosk application: cold start and memory over many sessions.

Cold start: a fresh interpreter (subprocess, offscreen Qt) builds the kiosk window with every
screen, shows it and returns from the first turn of the event loop — the moment a touch would be
handled. Baseline: a bare PySide6 window started the same way. Best of a few runs each; ratio.

Memory: one process builds the kiosk, then runs simulated sessions — identify (the sample member's
snapshot), open the account, deposits, loan and the retirement withdrawal decision, wipe — and
reads its resident set size after 10 sessions and after 1,000. The growth in percent shows
whether sessions leave anything behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from bench.harness import Result

RUNS = 3

_BARE = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("home")); w.resize(1920, 1080); w.show()
QTimer.singleShot(0, lambda: (print(time.perf_counter() - t0), app.quit()))
app.exec()
"""

_KIOSK = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from infra.config import Config
from kiosk.app import build_kiosk, ensure_app
app = ensure_app()
w = build_kiosk(Config()); w.resize(1920, 1080); w.show()
QTimer.singleShot(0, lambda: (print(time.perf_counter() - t0), w.shutdown(), app.quit()))
app.exec()
"""

# The same, as the kiosk starts in service: the simulated card reader and scanner (the default
# [devices]) started and their input loops listening before the first event-loop turn counts.
_KIOSK_DEVICES = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from infra.config import Config
from kiosk.app import build_kiosk, ensure_app
from kiosk.services import Services
from kiosk.wiring import attach_devices, start_input_loops
app = ensure_app()
config = Config()
services = Services(config)
attach_devices(services, config)
w = build_kiosk(config, services); w.resize(1920, 1080); w.show()
start_input_loops(services)
assert services.id_reader is not None and services.scanner is not None
assert all(loop._thread.is_alive() for loop in services.extras["loops"])
QTimer.singleShot(0, lambda: (print(time.perf_counter() - t0), w.shutdown(), services.close(), app.quit()))
app.exec()
"""

_SESSIONS = """
import json, sys, time
from PySide6.QtWidgets import QApplication
from domain.evidence import Department, RetirementFact, SharedData
from domain.withdrawals import WithdrawalType
from infra.config import Config
from kiosk.app import build_kiosk, ensure_app
from kiosk.sample import sample_snapshot
from kiosk.services import Services

class Shared:
    def facts_for(self, snapshot):
        return SharedData(retirement=RetirementFact(True, None, Department.HRSS))

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

app = ensure_app()
services = Services(Config()); services.extras["shared_data"] = Shared()
w = build_kiosk(Config(), services); w.resize(1920, 1080); w.show()

def session():
    w.ctx.session.begin("140100009999", "card", id_number="140105199003071234", name="张晓明")
    w.ctx.session.snapshot = sample_snapshot()
    for name in ("account", "deposits", "loan"):
        w.go(name)
    w.go("withdraw_decision", wtype=WithdrawalType.RETIREMENT)
    while w.ctx.ops.busy:
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()
    w.wipe_session("finish")
    app.processEvents()

small, large = int(sys.argv[1]), int(sys.argv[2])
for _ in range(small):
    session()
after_small = rss_mb()
for _ in range(large - small):
    session()
after_large = rss_mb()
print(json.dumps({"small": after_small, "large": after_large}))
w.shutdown(); w.ctx.ops.shutdown(); w.deleteLater(); app.processEvents()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_LOGGING_RULES": "qt.qpa.*=false"}


def _run(code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=_env(),
                         check=True, timeout=1800)
    return out.stdout.strip().splitlines()[-1]


def _cold(code: str) -> float:
    """Best wall time from the interpreter's start to the first event-loop turn (process launch included)."""
    best = float("inf")
    for _ in range(RUNS):
        t0 = time.perf_counter()
        _run(code)
        best = min(best, time.perf_counter() - t0)
    return best


def run(quick: bool) -> list[Result]:
    kiosk_s, devices_s, bare_s = _cold(_KIOSK), _cold(_KIOSK_DEVICES), _cold(_BARE)
    small, large = (10, 100) if quick else (10, 1000)
    mem = json.loads(_run(_SESSIONS, str(small), str(large)))
    growth = (mem["large"] - mem["small"]) / mem["small"] * 100
    return [
        Result("kiosk", "cold start to interactive home", kiosk_s, "bare PySide6 window", bare_s, "s",
               f"subprocess, offscreen, best of {RUNS}"),
        Result("kiosk", "cold start to interactive home, card reader and scanner listening", devices_s,
               "bare PySide6 window", bare_s, "s", f"subprocess, offscreen, simulated devices, best of {RUNS}"),
        Result("kiosk", f"RSS after {large} sessions", mem["large"], f"RSS after {small} sessions", mem["small"],
               "MB", f"growth {growth:.1f} %", extra={"growth_percent": round(growth, 2)}),
    ]

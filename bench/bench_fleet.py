"""Fleet heartbeats: N simulated terminals, each sending a heartbeat with its device states every 30 s,
to ONE ledger process on loopback over SQLite (issue 12: 1,000 terminals for 5 minutes, no error,
the ledger's CPU under a quarter of one core).

The terminals are threads of this process signing real requests (protocol v1) with a status the
size of a real kiosk's (three devices, outbox, disk, clock, version); the ledger is a separate
process (`hpf-ledger serve`), and its CPU time is read from /proc (user + system) over the run.
Each heartbeat also stores the nonce, the heartbeat row and the terminal's latest status, and
re-evaluates the terminal's alert rules. --quick: 200 terminals for 60 s.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.harness import Result

INTERVAL_S = 30.0
CPU_BUDGET_CORES = 0.25


def _status(i: int) -> dict[str, Any]:
    dev = {"availability": "online", "paper": "not_supported", "cover": "not_supported", "card": "absent",
           "detail": "", "state": "enabled", "last_error": None,
           "health": {"level": "internal", "ok": True, "code": "OK", "at": "2026-12-06T08:00:00+00:00"}}
    printer = {**dev, "paper": "low" if i % 50 == 0 else "ok", "cover": "closed", "card": "not_supported"}
    return {"state": "online", "unsent": i % 3, "for_clerk": 0, "oldest_unsent_age_s": 12.5 if i % 3 else None,
            "last_success": "2026-12-06T08:00:00+00:00", "last_error": None, "sender": True, "clock_offset_s": 0.3,
            "all_sent": i % 3 == 0, "devices": {"id_reader": dev, "scanner": {**dev, "card": "not_supported"},
                                                "printer": printer},
            "disk_free_bytes": 52_000_000_000.0, "disk_free_ratio": 0.61, "app_version": "0.1.0", "role": "kiosk",
            "outlet": f"服务大厅 {i % 10}"}


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def heartbeat_load(terminals: int, duration_s: float) -> dict[str, float]:
    import requests
    from sqlalchemy.orm import Session

    from ledger.db import create_schema, make_engine
    from ledger.terminals import register_key
    from ledger.testing import LedgerProcess
    from sync.signing import TerminalKey, signed_headers

    with tempfile.TemporaryDirectory(prefix="hpf-bench-fleet-") as d:
        url = f"sqlite:///{Path(d) / 'ledger.db'}"
        engine = make_engine(url)
        create_schema(engine)
        keys = [TerminalKey.generate() for _ in range(terminals)]  # each terminal its own Ed25519 key
        with Session(engine) as s, s.begin():
            for i, key in enumerate(keys):
                register_key(s, f"B-{i:04d}", "kiosk", f"服务大厅 {i % 10}", f"B-{i:04d}", key.public_key)
        engine.dispose()
        ledger = LedgerProcess(url, log_path=Path(d) / "ledger.log", heartbeat_batch_s=1.0).start()
        errors: list[str] = []
        latencies: list[float] = []
        lock = threading.Lock()
        local = threading.local()

        def send(i: int) -> None:
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            body = json.dumps({"terminal_id": f"B-{i:04d}", "status": _status(i)}, ensure_ascii=False).encode()
            path = "/v1/terminals/heartbeat"
            headers = {**signed_headers(f"B-{i:04d}", keys[i], "POST", path, body, int(time.time())),
                       "Content-Type": "application/json"}
            t0 = time.perf_counter()
            try:
                r = session.post(ledger.url + path, data=body, headers=headers, timeout=10)
                ok = r.status_code == 200
                why = f"{r.status_code} {r.text[:100]}"
            except requests.RequestException as exc:
                ok, why = False, str(exc)
            with lock:
                latencies.append(time.perf_counter() - t0)
                if not ok:
                    errors.append(why)

        assert ledger.proc is not None
        pid = ledger.proc.pid
        try:
            cpu0, t0 = _cpu_s(pid), time.monotonic()
            start = time.monotonic()
            sent = 0
            with ThreadPoolExecutor(max_workers=16) as pool:
                # terminal i heartbeats at start + i * INTERVAL / N + k * INTERVAL: an even stream
                while True:
                    due = start + sent * INTERVAL_S / terminals
                    if due - start >= duration_s:
                        break
                    wait = due - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                    pool.submit(send, sent % terminals)
                    sent += 1
            cpu1, t1 = _cpu_s(pid), time.monotonic()
        finally:
            ledger.stop()
        return {"sent": sent, "errors": len(errors), "cores": (cpu1 - cpu0) / (t1 - t0), "wall_s": t1 - t0,
                "p50_ms": statistics.median(latencies) * 1000,
                "p99_ms": sorted(latencies)[int(len(latencies) * 0.99) - 1] * 1000,
                "first_error": errors[0] if errors else ""}  # type: ignore[dict-item]


def run(quick: bool) -> list[Result]:
    terminals, duration = (200, 60.0) if quick else (1000, 300.0)
    m = heartbeat_load(terminals, duration)
    notes = (f"{terminals} terminals every {INTERVAL_S:g} s for {duration:g} s: {int(m['sent'])} heartbeats, "
             f"{int(m['errors'])} errors, p50 {m['p50_ms']:.1f} ms, p99 {m['p99_ms']:.1f} ms")
    return [Result("fleet", f"ledger CPU, {terminals} terminals heartbeating", round(m["cores"], 4),
                   "budget (a quarter of one core)", CPU_BUDGET_CORES, "cores", notes,
                   {k: v for k, v in m.items() if isinstance(v, int | float)})]


if __name__ == "__main__":
    import sys

    print(heartbeat_load(int(sys.argv[1]), float(sys.argv[2])))

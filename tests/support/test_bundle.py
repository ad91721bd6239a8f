"""`hpf-diag bundle`: a zip with logs, redacted configuration, devices, versions, outbox statistics
and crash reports, searched for the seeded secret and for any full ID or card number: none."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from domain.identity import check_character
from infra import paths
from support.diag import main
from support.redact import Scrubber, is_secret_key, redact_mapping
from sync.client import Reason
from sync.outbox import Outbox
from sync.store import open_store

SECRET = "Seed-S3cret-7f1c9a2e"  # noqa: S105 - a test value, searched for in the bundle
PIN_HASH = "a" * 64
ID_NUMBER = "11010519491231002" + check_character("11010519491231002")  # valid GB 11643 check digit


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def luhn_complete(body: str) -> str:
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


CARD = luhn_complete("621700123456789012")  # 19 digits


def id_ok(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and check_character(number[:17]) == number[17].upper()


def leaks(text: str) -> list[str]:
    found = [SECRET] if SECRET in text else []
    found += [m for m in re.findall(r"(?=(\d{17}[\dXx]))", text) if id_ok(m)]
    for length in range(16, 20):
        found += [m for m in re.findall(rf"(?=(\d{{{length}}}))", text) if luhn_ok(m)]
    return found


def test_the_seeded_values_are_what_the_search_looks_for() -> None:
    assert id_ok(ID_NUMBER) and luhn_ok(CARD) and len(CARD) == 19
    assert {SECRET, ID_NUMBER, CARD} <= set(leaks(f"x{ID_NUMBER}y {CARD} {SECRET}"))
    assert leaks("1101**********1234 6217***********0122") == []


def test_redaction_rules() -> None:
    found: list[str] = []
    data = redact_mapping({"ledger": {"secret": SECRET, "key_id": "K-1", "url": "http://x"},
                           "kiosk": {"technician_pin_hash": PIN_HASH},
                           "devices": {"printer": {"options": {"password": "hunter22"}}}}, found)
    assert data["ledger"] == {"secret": "[REDACTED]", "key_id": "K-1", "url": "http://x"}
    assert data["kiosk"]["technician_pin_hash"] == "[REDACTED]"
    assert data["devices"]["printer"]["options"]["password"] == "[REDACTED]"
    assert set(found) == {SECRET, PIN_HASH, "hunter22"}
    assert not is_secret_key("key_id") and not is_secret_key("spinner") and is_secret_key("api_key")
    scrub = Scrubber(found)
    cleaned = scrub(f"abc{ID_NUMBER}def {SECRET} x{CARD}")
    assert cleaned.startswith("abc1101*********") and cleaned.endswith("def [REDACTED] x6217***********0122")
    assert leaks(cleaned) == []


def _seed(home: Path) -> Path:
    config = home / "terminal.toml"
    config.write_text(f"""
[terminal]
id = "TY-K-07"
[ledger]
secret = "{SECRET}"
[kiosk]
technician_pin_hash = "{PIN_HASH}"
[store]
path = "{home / 'terminal.db'}"
[devices.printer]
kind = "escpos"
uri = "tcp://192.0.2.10:9100"
options = {{ password = "{SECRET}" }}
""", encoding="utf-8")
    logs = paths.log_dir()
    logs.mkdir(parents=True, exist_ok=True)
    # a log written without the masking filter (an old version, a third-party library) and careless lines
    (logs / "hpf-terminal.log").write_text(
        f"2026-12-06 10:00:00 INFO hpf.kiosk: card read for {ID_NUMBER}\n"
        f"2026-12-06 10:00:01 INFO hpf.sync: signing with {SECRET}\n"
        f"2026-12-06 10:00:02 ERROR hpf.app: uncaught exception: payout to {CARD} failed\n"
        f"Traceback (most recent call last):\n  File \"x.py\", line 1\nValueError: id{ID_NUMBER}card{CARD}\n",
        encoding="utf-8")
    (logs / "fault.log").write_text(f"Fatal Python error: Segmentation fault\n  locals: {CARD} {SECRET}\n",
                                    encoding="utf-8")
    store = open_store(home / "terminal.db")
    outbox = Outbox(store, "TY-K-07")
    outbox.enqueue("withdrawal.apply", {"id_number": ID_NUMBER, "card": CARD}, member_id="M0001")
    outbox.enqueue("queue.ticket", {"n": 1})
    item = outbox.claim(1)[0]
    outbox.park(item, Reason("ledger_500", f"中心系统错误 {ID_NUMBER}", "ledger error"))
    store.close()
    return config


def test_bundle_holds_everything_and_no_secret_or_full_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path / "home"))
    config = _seed(tmp_path)
    out = tmp_path / "usb" / "case-1234.zip"
    assert main(["--config", str(config), "bundle", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        texts = {n: zf.read(n).decode("utf-8") for n in names}
        raw = b"".join(zf.read(n) for n in names)
    assert {"manifest.json", "config.json", "devices.json", "outbox.json", "logs/hpf-terminal.log",
            "crashes/fault.log", "crashes/uncaught.txt"} <= names
    for name, text in texts.items():
        assert leaks(text) == [], name
    assert SECRET.encode() not in raw
    manifest = json.loads(texts["manifest.json"])
    assert set(manifest["versions"]) >= {"app", "python", "qt", "os"}
    assert json.loads(texts["config.json"])["ledger"]["secret"] == "[REDACTED]"
    outbox = json.loads(texts["outbox.json"])
    assert (outbox["pending"], outbox["parked"]) == (1, 1)
    assert outbox["oldest_unsent_age_s"] is not None
    assert outbox["parked_items"][0]["reason_code"] == "ledger_500"
    assert "withdrawal" in outbox["parked_items"][0]["kind"]
    assert "Segmentation fault" in texts["crashes/fault.log"]
    assert "payout to 6217" in texts["crashes/uncaught.txt"]
    assert {d["name"] for d in json.loads(texts["devices.json"])["devices"]} >= {"printer", "id_reader"}


def test_bundle_refuses_a_bad_target_with_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path / "home"))
    config = _seed(tmp_path)
    assert main(["--config", str(config), "bundle", "--out", str(tmp_path / "case.txt")]) == 1
    assert "must name a .zip" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["--config", str(config), "bundle", "--out", str(blocker / "x.zip")]) == 1
    err = capsys.readouterr().err
    assert "cannot write the bundle" in err and "Traceback" not in err

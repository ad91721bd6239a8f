"""`./dev screenshots` (`python -m kiosk.screenshots`): every kiosk screen as PNG, in Chinese and
English, normal and elderly mode, into docs/screenshots/kiosk/<screen>_<language>_<mode>.png
(landscape 1920×1080) and <screen>_<language>_<mode>_portrait.png (portrait 1080×1920).

Runs offscreen with no ledger and no devices: member screens show a fictitious sample member
(`sample_snapshot`), so the pictures never carry anyone's data.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtWidgets import QApplication

from domain.account import AccountSnapshot
from domain.evidence import Department, RetirementFact, SharedData
from domain.withdrawals import WithdrawalType
from infra.config import Config, StoreSection
from kiosk.app import build_kiosk, ensure_app
from kiosk.loan_screenshots import loan_scenes
from kiosk.sample import sample_snapshot
from kiosk.services import Services
from kiosk.state_screenshots import state_scenes
from kiosk.window import KioskWindow
from kiosk.wiring import attach_sync
from sync.runtime import SyncRuntime

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots" / "kiosk"
SIZE = (1920, 1080)
PORTRAIT = (1080, 1920)
_size = [SIZE]  # the orientation being rendered (each scene re-applies it: a wide screen may have widened the window)


class _SampleShared:
    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        return SharedData(retirement=RetirementFact(True, date(2026, 3, 7), Department.HRSS))


def _settle(app: QApplication, window: KioskWindow, seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    window.resize(*_size[0])
    app.processEvents()
    while window.ctx.ops.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(6):  # a changed text re-lays out label → card → screen → frame, one posted event each
        app.processEvents()


def _scenes(window: KioskWindow) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(screen, params, needs the sample member) in the order a visitor meets them."""
    yield "home", {}, False
    yield "identify", {}, False
    yield "calculator", {}, False
    for name in ("account", "deposits", "withdrawal_history", "loan", "withdraw"):
        yield name, {}, True
    yield "withdraw_decision", {"wtype": WithdrawalType.RETIREMENT}, True
    for name in window.screens:
        if getattr(window.screens.classes.get(name), "sample", None) is not None:
            continue  # the state screens: kiosk.state_screenshots, with their sample parameters
        if name not in {"home", "identify", "calculator", "account", "deposits", "withdrawal_history", "loan",
                        "withdraw", "withdraw_decision", "receipt"}:
            yield name, {}, window.screens[name].needs_member


def render_all(out: Path = OUT, languages: Sequence[str] = ("zh_CN", "en"),
               modes: Sequence[str] = ("normal", "elderly"),
               orientations: Sequence[tuple[int, int]] = (SIZE, PORTRAIT)) -> list[Path]:
    app = ensure_app()
    scratch = tempfile.TemporaryDirectory(prefix="hpf-screenshots-")
    # A real local store and outbox, a ledger nobody answers (the pictures show the offline
    # state honestly), no printer: every tile shows what such a terminal can really do.
    config = replace(Config(), store=StoreSection(path=str(Path(scratch.name) / "terminal.db")),
                     ledger=replace(Config().ledger, url="http://127.0.0.1:9"))
    services = Services(config)
    attach_sync(services, SyncRuntime.from_config(config, key_path=Path(scratch.name) / "cache.key"))
    services.extras["shared_data"] = _SampleShared()
    window = build_kiosk(config, services, voice_engine="mock")  # pictures need no sound (nor a speech daemon)
    window.resize(*SIZE)
    window.show()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for size in orientations:
            _size[0] = size
            window.resize(*size)
            # portrait: the same scenes into a scratch folder, then renamed <stem>_portrait.png
            target = out if size == SIZE else Path(scratch.name) / "portrait"
            target.mkdir(exist_ok=True)
            batch: list[Path] = []
            for language in languages:
                window.ctx.languages.set_language(language)
                for mode in modes:
                    window.set_elderly(mode == "elderly")
                    for name, params, member in list(_scenes(window)):
                        window.wipe_session("screenshot", keep_preferences=True)
                        if member:
                            _sample_member(window)
                        window.go(name, **params)
                        _settle(app, window)
                        path = target / f"{name}_{language}_{mode}.png"
                        save(window, path)
                        batch.append(path)
                    batch += _extra_scenes(app, window, target, language, mode)
                    batch += _decision_scenes(app, window, target, language, mode)
                    batch += _transfer_scenes(app, window, target, language, mode)
                    batch += state_scenes(app, window, target, language, mode)  # issue 13 (kiosk/state_screenshots.py)
                    batch += loan_scenes(app, window, target, language, mode, _settle, save, _sample_member)
            batch = list(dict.fromkeys(batch))  # a scene rendered twice (the loan scenes re-take loan_apply) once
            if target != out:
                batch = [p.replace(out / f"{p.stem}_portrait.png") for p in batch]
            written += batch
    finally:
        window.shutdown()
        window.ctx.ops.shutdown()
        window.deleteLater()
        app.processEvents()
        services.close()
        scratch.cleanup()
    return written


def _sample_member(window: KioskWindow, source: str = "ledger") -> None:
    """The fictitious member, identified by card + password: the ledger opened a (sample) session."""
    from protocol.sessions import Opened

    window.ctx.session.begin("140100009999", "card", id_number="140105199003071234", name="张晓明")
    window.ctx.session.snapshot = sample_snapshot(source)
    window.ctx.session.ledger_session = Opened("S-sample", "sample-token", "140100009999", "card+password",
                                               "2026-11-27T06:40:00+00:00", 600)


def save(window: KioskWindow, path: Path) -> None:
    """A 64-colour PNG: flat UI colours survive, and the folder stays a few megabytes."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    window.grab().save(buffer, "PNG")
    image = Image.open(io.BytesIO(buffer.data().data()))
    image.convert("RGB").quantize(colors=64).save(path, optimize=True)


def _extra_scenes(app: QApplication, window: KioskWindow, out: Path, language: str, mode: str) -> list[Path]:
    """States that need more than navigation: the offline copy, the receipt without a printer,
    the idle countdown."""
    from sync.outbox import Receipt

    written = []
    window.wipe_session("screenshot", keep_preferences=True)
    _sample_member(window, "cache")
    window.go("account")
    _settle(app, window)
    written.append(out / f"account-offline_{language}_{mode}.png")
    save(window, written[-1])
    window.go("withdraw_decision", wtype=WithdrawalType.RETIREMENT)
    _settle(app, window)
    decision = window.screens["withdraw_decision"].decision  # type: ignore[attr-defined]
    if decision is not None:
        receipt = Receipt(1, "0f6c1f1e-demo", "withdrawal.apply", "140100009999", "2026-11-27T06:31:00Z",
                          "DEMO-KIOSK-01-20261127-000001")
        window.go("receipt", outbox_receipt=receipt, business=("退休提取", "Withdrawal on retirement"),
                  decision=decision)
        _settle(app, window)
        written.append(out / f"receipt-no-printer_{language}_{mode}.png")
        save(window, written[-1])
    window.idle._start_warning()  # the countdown banner as it looks 15 s before the wipe
    app.processEvents()
    written.append(out / f"idle-warning_{language}_{mode}.png")
    save(window, written[-1])
    window.idle.disarm()
    window.wipe_session("screenshot", keep_preferences=True)
    return written


def _decision_scenes(app: QApplication, window: KioskWindow, out: Path, language: str, mode: str) -> list[Path]:
    """Sending an application at once: the wait for the centre, its final decision on the receipt, and a
    member identified offline by the ID card alone, asked for the QR code."""
    from decimal import Decimal

    from kiosk.applications import CentreDecision
    from kiosk.screens.withdraw_decision import WithdrawDecisionScreen
    from sync.outbox import Receipt

    written = []
    window.wipe_session("screenshot", keep_preferences=True)
    _sample_member(window)
    window.go("withdraw_decision", wtype=WithdrawalType.RETIREMENT)
    _settle(app, window)
    screen = window.screens["withdraw_decision"]
    assert isinstance(screen, WithdrawDecisionScreen)
    decision = screen.decision
    if decision is None:
        return written
    screen.confirm.setVisible(False)  # as _submit does while it waits
    screen.wait.start(window.ctx.config.kiosk.decision_wait_s,
                      screen.tr("Saved. Sent to the centre: waiting for its decision…"))
    screen.wait.bar.setValue(screen.wait.bar.maximum() * 2 // 5)  # two seconds into the wait
    screen.wait._timer.stop()
    app.processEvents()
    written.append(out / f"withdraw-waiting_{language}_{mode}.png")
    save(window, written[-1])
    screen.wait.stop()
    receipt = Receipt(3, "5b2e9a70-demo", "withdrawal.apply", "140100009999", "2026-11-27T06:41:00Z",
                      "DEMO-KIOSK-01-20261127-000003")
    amount = decision.amount if decision.amount > 0 else Decimal("1.00")
    centre = CentreDecision("approved", "已批准（秒批）", "approved instantly", amount, True)
    window.go("receipt", outbox_receipt=receipt, business=("退休提取", "Withdrawal on retirement"),
              decision=decision, centre=centre)
    _settle(app, window)
    written.append(out / f"receipt-final_{language}_{mode}.png")
    save(window, written[-1])
    # offline, by the ID card alone: the cached copy may be read, an application needs the app's QR code
    window.wipe_session("screenshot", keep_preferences=True)
    window.ctx.session.begin("140100009999", "card", id_number="140105199003071234", name="张晓明")
    window.ctx.session.snapshot = sample_snapshot("cache")
    window.go("withdraw_decision", wtype=WithdrawalType.RETIREMENT)
    _settle(app, window)
    written.append(out / f"withdraw-needs-qr_{language}_{mode}.png")
    save(window, written[-1])
    window.wipe_session("screenshot", keep_preferences=True)
    return written


def _transfer_scenes(app: QApplication, window: KioskWindow, out: Path, language: str, mode: str) -> list[Path]:
    """The transfer intake after the province (its centres, the confirmation) and its receipt
    without a printer."""
    from kiosk.screens.transfer import PROVISIONAL, TransferScreen
    from sync.outbox import Receipt

    written = []
    window.wipe_session("screenshot", keep_preferences=True)
    _sample_member(window)
    window.go("transfer")
    screen = window.screens["transfer"]
    assert isinstance(screen, TransferScreen)
    for step, click in (("city", lambda: screen.pick_province("14")),
                        ("confirm", lambda: screen.city_buttons["140700"].click())):
        click()
        _settle(app, window)
        written.append(out / f"transfer-{step}_{language}_{mode}.png")
        save(window, written[-1])
    receipt = Receipt(2, "7d1e0c2a-demo", "transfer.apply", "140100009999", "2026-11-27T06:35:00Z",
                      "DEMO-KIOSK-01-20261127-000002")
    window.go("receipt", outbox_receipt=receipt, business=("异地转移接续", "Cross-city transfer"),
              provisional=PROVISIONAL, time_limit=screen.time_limit())
    _settle(app, window)
    written.append(out / f"transfer-receipt_{language}_{mode}.png")
    save(window, written[-1])
    window.wipe_session("screenshot", keep_preferences=True)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: docs/screenshots/kiosk)")
    args = parser.parse_args(argv)
    paths = render_all(args.out)
    print(f"{len(paths)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

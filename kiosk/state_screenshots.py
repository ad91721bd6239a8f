"""The screenshots of the states between the services (issue 13): `take-card…`, `card-unreadable…`,
`card-expired…`, `member-not-found…`, `password-locked…`, `printing…`, `paper-out-during-print…`,
`queue-ticket…`, `help-called…`, `withdraw-approved…` and the other state screens and result kinds, in
docs/screenshots/kiosk/<name>_<language>_<mode>.png. `kiosk.screenshots` calls `state_scenes` for
every language and mode; `python -m kiosk.state_screenshots` renders only these.

Every picture uses the fictitious sample member and the state screens' own sample parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from kiosk.window import KioskWindow


def state_scenes(app: QApplication, window: KioskWindow, out: Path, language: str, mode: str) -> list[Path]:
    from decimal import Decimal

    from domain.withdrawals import WithdrawalType
    from kiosk.applications import CentreDecision
    from kiosk.screens.states import StateScreen, state_screens
    from kiosk.screenshots import _sample_member, _settle, save
    from sync.outbox import Receipt

    written: list[Path] = []

    def shoot(name: str) -> None:
        _settle(app, window)
        path = out / f"{name}_{language}_{mode}.png"
        save(window, path)
        written.append(path)

    for cls in state_screens():
        window.wipe_session("screenshot", keep_preferences=True)
        if cls.needs_member or cls.name in ("take-card", "paper-out-during-print", "printing"):
            _sample_member(window)
        if cls.name == "withdraw-refused":
            continue  # below, with a real refusal of the rules
        params = dict(cls.sample)
        if cls.name == "help-called":
            window.go("home")
            window.go(cls.name)
            screen = window.screens[cls.name]
            assert isinstance(screen, StateScreen)
            _settle(app, window)
            screen.params = {"state": "called"}  # as the ledger answers online (the pictures run offline)
            screen.retranslate()
            shoot("help-called")
            screen.params = {"state": "offline"}
            screen.retranslate()
            shoot("help-called-offline")
            continue
        window.go(cls.name, **params)
        shoot(cls.name)

    # the one result pattern on the receipt: approved, pending review, offline-queued
    window.wipe_session("screenshot", keep_preferences=True)
    _sample_member(window)
    window.go("withdraw_decision", wtype=WithdrawalType.RETIREMENT)
    _settle(app, window)
    decision = window.screens["withdraw_decision"].decision  # type: ignore[attr-defined]
    if decision is not None:
        amount = decision.amount if decision.amount > 0 else Decimal("1.00")
        for name, centre in (("withdraw-approved", CentreDecision("approved", "已批准（秒批）", "approved instantly",
                                                                  amount, True)),
                             ("withdraw-review", CentreDecision("review", "待人工复核", "a clerk will check it",
                                                                amount, True)),
                             ("withdraw-queued", None)):
            receipt = Receipt(5, f"{name}-demo", "withdrawal.apply", "140100009999", "2026-11-27T06:41:00Z",
                              "DEMO-KIOSK-01-20261127-000005")
            window.go("receipt", outbox_receipt=receipt, business=("退休提取", "Withdrawal on retirement"),
                      decision=decision, centre=centre)
            shoot(name)
    # a refusal with its clause: the rules' own answer for a type the sample member can't use
    window.wipe_session("screenshot", keep_preferences=True)
    _sample_member(window)
    window.go("withdraw_decision", wtype=WithdrawalType.LEAVE_EMPLOYMENT)
    _settle(app, window)
    if window.current != "withdraw_decision":
        shoot(window.current)
    window.wipe_session("screenshot", keep_preferences=True)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Render only the state screens (the full set: `./dev screenshots`)."""
    from kiosk import screenshots
    from ui import voice

    # pictures need no speech: a speech engine that can't reach its daemon here must not stall the run
    voice.PREFERRED_ENGINES = ("mock",)
    original = screenshots._scenes
    screenshots._scenes = lambda window: iter(())  # type: ignore[assignment]
    for helper in ("_extra_scenes", "_decision_scenes", "_transfer_scenes"):
        setattr(screenshots, helper, lambda *a, **k: [])
    try:
        paths = screenshots.render_all(screenshots.OUT)
    finally:
        screenshots._scenes = original
    print(f"{len(paths)} state screenshots in {screenshots.OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The layout walk: every kiosk screen in zh and en, normal and elderly mode, landscape
(1920×1080) and portrait (1080×1920), checked by ui.layoutcheck.

The screens come from the registry (`window.screens`), so a new screen is walked without an
edit here; a screen that needs parameters or a state to show anything gets a scene below. One
window is reused: the walk switches orientation, mode and language on it.

`python -m kiosk.layoutwalk` prints every problem found (the test tests/kiosk/test_layout_walk.py
fails on any).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from infra.config import Config, StoreSection
from kiosk.window import KioskWindow
from ui.layoutcheck import Problem, check_window

ORIENTATIONS: dict[str, tuple[int, int]] = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
LANGUAGES = ("zh_CN", "en")
MODES = ("normal", "elderly")

# Han characters an English screen may show: personal data of the fictitious sample member, and
# names that have no English form. Keep it short: anything else on an English screen is a bug.
EXEMPT = (
    "中文",                    # the language switch names each language in itself
    "张晓明", "**明", "*晓明",   # the sample member's name, masked or not (personal data)
    "太原示例软件科技有限公司",    # the sample member's employer (personal data)
)


def settle(app: QApplication, window: KioskWindow, seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    app.processEvents()
    while window.ctx.ops.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(6):  # a changed text re-lays out label → card → screen → frame, one posted event each
        app.processEvents()


@contextmanager
def shown_offline_window(folder: Path) -> Iterator[KioskWindow]:
    """`offline_window`, shown and settled; shut down, deleted and its services closed afterwards."""
    app = QApplication.instance() or QApplication([])
    window, services = offline_window(folder)
    window.show()
    try:
        settle(app, window)  # type: ignore[arg-type]
        yield window
    finally:
        window.shutdown()
        window.ctx.ops.shutdown()
        window.deleteLater()
        app.processEvents()
        services.close()


def offline_window(folder: Path) -> tuple[KioskWindow, Any]:
    """The kiosk as the screenshots show it: a real local store and outbox, a ledger nobody
    answers, no devices, the sample member's shared facts. Returns (window, services)."""
    from kiosk.app import build_kiosk, ensure_app
    from kiosk.screenshots import _SampleShared
    from kiosk.services import Services
    from kiosk.wiring import attach_sync
    from sync.runtime import SyncRuntime

    ensure_app()
    config = replace(Config(), store=StoreSection(path=str(folder / "terminal.db")),
                     ledger=replace(Config().ledger, url="http://127.0.0.1:9"),
                     kiosk=replace(Config().kiosk, fullscreen=False))
    services = Services(config)
    attach_sync(services, SyncRuntime.from_config(config, key_path=folder / "cache.key"))
    services.extras["shared_data"] = _SampleShared()
    window = build_kiosk(config, services, voice_engine="mock")
    return window, services


Scene = tuple[str, Callable[[KioskWindow], None]]
LOAN_APPLY_STARTED = "loan-apply-started"  # the scene of the loan application after its start
SENIOR_ID = "110101195001011239"  # a valid number (GB 11643 check character) of someone born in 1950


def scenes(window: KioskWindow) -> Iterator[Scene]:
    """(name, show it) for every screen of the registry and the states that need more than `go`."""
    from domain.withdrawals import WithdrawalType
    from kiosk.screenshots import _sample_member

    def plain(name: str) -> Callable[[KioskWindow], None]:
        def show(w: KioskWindow) -> None:
            if w.screens[name].needs_member:
                _sample_member(w)
            w.go(name, **({"wtype": WithdrawalType.RETIREMENT} if name == "withdraw_decision" else {}))
        return show

    for name in window.screens:
        if name == "receipt":
            continue  # needs an application: below
        yield name, plain(name)

    def receipt(w: KioskWindow) -> None:
        from sync.outbox import Receipt
        _sample_member(w)
        w.go("withdraw_decision", wtype=WithdrawalType.RETIREMENT)
        settle(QApplication.instance(), w)  # type: ignore[arg-type]
        decision = w.screens["withdraw_decision"].decision  # type: ignore[attr-defined]
        outbox = Receipt(1, "0f6c1f1e-demo", "withdrawal.apply", "140100009999", "2026-11-27T06:31:00Z",
                         "DEMO-KIOSK-01-20261127-000001")
        w.go("receipt", outbox_receipt=outbox, business=("退休提取", "Withdrawal on retirement"), decision=decision)
    yield "receipt", receipt

    def transfer_step(step: str) -> Callable[[KioskWindow], None]:
        def show(w: KioskWindow) -> None:
            _sample_member(w)
            w.go("transfer")
            screen: Any = w.screens["transfer"]
            screen.pick_province("14")
            if step == "confirm":
                settle(QApplication.instance(), w)  # type: ignore[arg-type]
                screen.city_buttons["140700"].click()
        return show
    yield "transfer-city", transfer_step("city")
    yield "transfer-confirm", transfer_step("confirm")

    def elderly_offer(w: KioskWindow) -> None:  # a card of someone born in 1950 (shown in normal mode only)
        w.go("home")
        w.elderly_offer.card_read(SENIOR_ID)  # type: ignore[attr-defined]
    yield "elderly-offer", elderly_offer

    def loan_apply_started(w: KioskWindow) -> None:
        """After the start: the ledger's one-time notice (married: the spouse's materials too, the longest
        list) and the three actions (完成, queue ticket, print), the contract keypad gone."""
        from types import SimpleNamespace

        from domain.loan_application import loan_notice
        from kiosk.loan_screenshots import SAMPLE_FACTS

        _sample_member(w)
        w.ctx.session.snapshot = replace(w.ctx.session.snapshot, loan=None)  # no loan yet: may apply
        w.go("loan_apply", facts=SAMPLE_FACTS)
        screen: Any = w.screens["loan_apply"]
        policy = screen.policy
        if policy is None:
            return  # no loan rules: the screen says so (walked as such)
        notice = loan_notice(policy, notice_no="N-20261127-0001", married=True, down_payment_on_record=True,
                             supplied_topics={m.topic for m in policy.materials if m.topic})
        screen._started(SimpleNamespace(application_id="LA-20261127-0001", notice=notice,
                                        spouse=SimpleNamespace(required=True)))
    yield LOAN_APPLY_STARTED, loan_apply_started

    def idle_warning(w: KioskWindow) -> None:
        _sample_member(w)
        w.go("account")
        w.idle._start_warning()
    yield "idle-warning", idle_warning


def _later_pages(app: QApplication, window: KioskWindow, mode: str, language: str) -> list[Problem]:
    """Turn every pager on the screen to each of its later pages and check them too."""
    from ui.paging import Pager

    problems: list[Problem] = []
    for pager in [p for p in window.findChildren(Pager) if p.isVisible()]:
        for page in range(1, pager.pages):
            pager.set_page(page)
            settle(app, window, 0)
            problems += [replace(p, where=f"page {page + 1}: {p.where}") for p in check_window(
                window, elderly=mode == "elderly", english=language == "en", exempt=EXEMPT)]
        pager.set_page(0)
    return problems


def walk(window: KioskWindow, *, orientations: Sequence[str] = tuple(ORIENTATIONS),
         modes: Sequence[str] = MODES, languages: Sequence[str] = LANGUAGES,
         on_scene: Callable[[str, str, str, str], None] | None = None,
         only: Collection[str] | None = None,
         ) -> dict[tuple[str, str, str, str], list[Problem]]:
    """Every (scene, language, mode, orientation) with the problems found (empty when none); `only`: just
    these scenes."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    results: dict[tuple[str, str, str, str], list[Problem]] = {}
    for orientation in orientations:
        window.resize(*ORIENTATIONS[orientation])
        for mode in modes:
            window.set_elderly(mode == "elderly")
            for language in languages:
                window.ctx.languages.set_language(language)
                for name, show in [s for s in scenes(window) if only is None or s[0] in only]:
                    window.wipe_session("layout-walk", keep_preferences=True)
                    show(window)
                    window.resize(*ORIENTATIONS[orientation])  # a screen left before may have held it wider
                    settle(app, window)
                    if on_scene is not None:
                        on_scene(name, language, mode, orientation)
                    problems = check_window(window, elderly=mode == "elderly", english=language == "en",
                                            exempt=EXEMPT)
                    problems += _later_pages(app, window, mode, language)
                    want = ORIENTATIONS[orientation]
                    if (window.width(), window.height()) != want:
                        problems.insert(0, Problem("window", "too-big", f"{window.width()}×{window.height()} "
                                                   f"on a {want[0]}×{want[1]} screen"))
                    results[(name, language, mode, orientation)] = problems
                    window.idle.disarm()
    window.wipe_session("layout-walk", keep_preferences=True)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.layoutwalk", description=__doc__)
    parser.add_argument("--orientation", choices=tuple(ORIENTATIONS), action="append")
    parser.add_argument("--mode", choices=MODES, action="append")
    parser.add_argument("--language", choices=LANGUAGES, action="append")
    parser.add_argument("--only", action="append", help="only these problem kinds")
    parser.add_argument("--scene", action="append", help="only these scenes")
    parser.add_argument("--shots", type=Path, help="also save each scene as a PNG into this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hpf-layout-") as folder, shown_offline_window(Path(folder)) as window:
        def shot(name: str, language: str, mode: str, orientation: str) -> None:
            if args.shots is not None:
                from kiosk.screenshots import save
                args.shots.mkdir(parents=True, exist_ok=True)
                save(window, args.shots / f"{name}_{language}_{mode}_{orientation}.png")
        results = walk(window, orientations=args.orientation or tuple(ORIENTATIONS),
                       modes=args.mode or MODES, languages=args.language or LANGUAGES, on_scene=shot,
                       only=args.scene)
    failed = 0
    for (name, language, mode, orientation), problems in results.items():
        problems = [p for p in problems if not args.only or p.kind in args.only]
        if problems:
            failed += 1
            print(f"== {name} {language} {mode} {orientation}")
            for p in problems:
                print(f"   {p}")
    print(f"{len(results)} combinations walked, {failed} with problems")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The layout walk (kiosk.layoutwalk): every kiosk screen of the registry in zh and en, normal and
elderly mode, landscape 1920×1080 and portrait 1080×1920, checked by ui.layoutcheck; and the
pieces of issue 13 that are about layout: the neutral rating, the elderly-mode offer, the demo
controls beside the kiosk.

One offline window serves the whole module (no ledger: the screens show the fictitious sample
member), switching orientation, mode and language, so the walk stays a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from kiosk.demo import place_beside
from kiosk.layoutwalk import LOAN_APPLY_STARTED, ORIENTATIONS, SENIOR_ID, settle, shown_offline_window, walk
from kiosk.window import KioskWindow

# Combinations allowed to fail, by (scene, mode, orientation): none. A screen that can't fit goes here
# only with a reason in its comment; the test also fails when a listed one passes, so the list only shrinks.
KNOWN: set[tuple[str, str, str]] = set()


@pytest.fixture(scope="module")
def window(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskWindow]:
    with shown_offline_window(Path(tmp_path_factory.mktemp("layout"))) as w:
        yield w


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_every_screen_fits_in_both_modes_orientations_and_languages(window: KioskWindow) -> None:
    results = walk(window)
    screens = {name for name, *_ in results}
    assert set(window.screens) - {"receipt"} <= screens  # the registry's screens, every one walked
    assert len(results) == len(screens) * 2 * 2 * len(ORIENTATIONS)
    failing: dict[tuple[str, str, str], list[str]] = {}
    for (name, language, mode, orientation), problems in results.items():
        real = [str(p) for p in problems]  # data labels (provinces, cities, banks …) are translated: none excused
        if real:
            failing.setdefault((name, mode, orientation), []).extend(f"[{language}] {p}" for p in real)
    new = {k: v for k, v in failing.items() if k not in KNOWN}
    assert new == {}, "\n".join(f"{k}: " + "\n    ".join(v) for k, v in new.items())
    assert KNOWN - set(failing) == set(), "fixed: remove from KNOWN"


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_started_loan_application_is_walked(window: KioskWindow) -> None:
    """The loan application after its start (the one-time notice, 完成 / queue ticket / print) is a scene of
    its own: in both orientations and modes and languages it shows the started state and fits."""
    seen: dict[tuple[str, str, str, str], tuple[bool, ...]] = {}

    def state(name: str, language: str, mode: str, orientation: str) -> None:
        screen = window.screens["loan_apply"]
        shown = (window.current == "loan_apply", screen.view is not None,  # type: ignore[attr-defined]
                 *(b.isVisible() for b in (screen.done_button, screen.queue_button,  # type: ignore[attr-defined]
                                            screen.print_button)),  # type: ignore[attr-defined]
                 not screen.apply_button.isVisible(), not screen.keypad.isVisible(),  # type: ignore[attr-defined]
                 screen.bring.text().count("\n") >= 2 and screen.fetched.text() != "")  # type: ignore[attr-defined]
        seen[(name, language, mode, orientation)] = shown

    results = walk(window, on_scene=state, only={LOAN_APPLY_STARTED})
    assert set(results) == set(seen) and len(results) == 2 * 2 * len(ORIENTATIONS)
    assert {k[0] for k in results} == {LOAN_APPLY_STARTED}
    assert all(all(shown) for shown in seen.values()), seen
    failing = {k: [str(p) for p in v] for k, v in results.items() if v}
    assert failing == {}, failing


def test_the_rating_is_neutral(window: KioskWindow) -> None:
    app = QApplication.instance()
    for elderly in (False, True):
        window.set_elderly(elderly)
        window.go("rating")
        settle(app, window)  # type: ignore[arg-type]
        buttons = list(window.screens["rating"].buttons.values())  # type: ignore[attr-defined]
        assert len(buttons) == 5
        first = buttons[0]
        for b in buttons:
            assert b.isVisible() and b.isEnabled()
            assert b.size() == first.size()
            assert b.font() == first.font() and b.font().bold() == first.font().bold()
            assert b.palette() == first.palette()
            assert b.property("role") == first.property("role")
            assert not b.isCheckable() and not b.isChecked() and not b.isDefault() and not b.hasFocus()
            assert b.styleSheet() == ""
        assert first.width() >= 60 and first.height() >= 60
    window.set_elderly(False)
    window.home()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_centres_name_takes_one_line_in_every_mode_and_orientation(window: KioskWindow) -> None:
    """The header's name is one line: the English name's longest form that fits (elderly mode's large type
    in the 1080 px portrait header takes "… Fund Centre"); the whole name where it fits."""
    app = QApplication.instance()
    label = window.centre_label
    shown: dict[tuple[str, str, str], str] = {}
    for orientation, size in ORIENTATIONS.items():
        window.resize(*size)
        for elderly in (False, True):
            window.set_elderly(elderly)
            for language in ("zh_CN", "en"):
                window.ctx.languages.set_language(language)
                window.home()
                settle(app, window)  # type: ignore[arg-type]
                metrics = QFontMetrics(label.font())
                key = (orientation, "elderly" if elderly else "normal", language)
                shown[key] = label.text()
                assert metrics.horizontalAdvance(label.text()) <= label.contentsRect().width(), key
                assert label.height() < 2 * metrics.lineSpacing(), key  # one line, not two
    assert shown[("landscape", "normal", "en")] == "Taiyuan Housing Provident Fund Management Centre"
    assert shown[("portrait", "elderly", "en")] == "Taiyuan Housing Provident Fund Centre"
    assert shown[("portrait", "elderly", "zh_CN")] == "太原市住房公积金管理中心"
    assert label.accessibleName() == "Taiyuan Housing Provident Fund Management Centre"
    window.ctx.languages.set_language("zh_CN")
    window.set_elderly(False)
    window.resize(*ORIENTATIONS["landscape"])


def test_a_sixty_year_old_card_is_offered_elderly_mode_once(window: KioskWindow) -> None:
    offer = window.elderly_offer  # type: ignore[attr-defined]
    app = QApplication.instance()
    window.wipe_session("test")
    assert not offer.card_read("110101199003071230")  # not a valid number and young: nothing
    assert offer.card_read(SENIOR_ID)
    settle(app, window)  # type: ignore[arg-type]
    assert offer.isVisible() and offer.yes.height() >= 60 and offer.no.height() >= 60
    offer.no.click()
    assert not offer.isVisible() and window.theme.name == "normal"
    assert not offer.card_read(SENIOR_ID)  # once per session
    window.wipe_session("test")
    assert offer.card_read(SENIOR_ID)  # a new session asks again
    offer.yes.click()
    assert window.theme.name == "elderly" and not offer.isVisible()
    window.wipe_session("test")
    assert window.theme.name == "normal"


@pytest.mark.parametrize(("screen", "kiosk", "expected"), [
    (QRect(0, 0, 2400, 1080), QRect(0, 0, 1920, 1080), QPoint(1932, 0)),     # room on the right
    (QRect(0, 0, 2400, 1080), QRect(480, 0, 1920, 1080), QPoint(148, 0)),    # room on the left only
    (QRect(0, 0, 1920, 1080), QRect(0, 0, 1920, 1080), QPoint(1600, 140)),   # no room: the last column
])
def test_the_demo_controls_are_placed_beside_the_kiosk(screen: QRect, kiosk: QRect, expected: QPoint) -> None:
    size = QSize(320, 420)
    at = place_beside(kiosk, size, screen)
    assert at == expected
    placed = QRect(at, size)
    assert screen.contains(placed)
    first_tiles = QRect(kiosk.left(), kiosk.top() + 100, kiosk.width() * 3 // 5, 500)  # 退休提取 …
    assert not placed.intersects(first_tiles)

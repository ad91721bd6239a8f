"""The loan screens use the whole width, in both orientations and modes: once an application is started
the contract keypad's card goes and its column with it (it left the left third of a landscape screen, and
half of the action row of a portrait one, blank); "my loan" without a loan shows no empty plan table but the
way to a loan (the loan limit check).

One offline window (no ledger: the fictitious sample member) serves the module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.layoutwalk import ORIENTATIONS, settle, shown_offline_window
from kiosk.loan_screenshots import SAMPLE_FACTS
from kiosk.screens.loan import LoanScreen
from kiosk.screens.loan_apply import LoanApplyScreen
from kiosk.screenshots import _sample_member
from kiosk.window import KioskWindow
from ui.layoutcheck import check_window


@pytest.fixture(scope="module")
def window(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskWindow]:
    with shown_offline_window(Path(tmp_path_factory.mktemp("loan-layout"))) as w:
        yield w


def _rect(widget: QWidget, window: KioskWindow) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _show(window: KioskWindow, orientation: str, elderly: bool, name: str, **params: object) -> None:
    window.resize(*ORIENTATIONS[orientation])
    window.set_elderly(elderly)
    window.wipe_session("test", keep_preferences=True)
    _sample_member(window)
    window.go(name, **params)  # type: ignore[arg-type]
    window.resize(*ORIENTATIONS[orientation])
    settle(QApplication.instance(), window)  # type: ignore[arg-type]


def _start(window: KioskWindow, screen: LoanApplyScreen) -> None:
    """The ledger's answer to a start, as `kiosk.loan_applying.start` returns it (what the screen reads)."""
    assert screen.preview is not None
    screen._started(SimpleNamespace(application_id="LA-20261127-0001", notice=screen.preview,
                                    spouse=SimpleNamespace(required=True)))
    settle(QApplication.instance(), window)  # type: ignore[arg-type]


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_a_started_application_leaves_no_column_blank_in_landscape(window: KioskWindow, elderly: bool) -> None:
    _show(window, "landscape", elderly, "loan_apply", facts=SAMPLE_FACTS)
    screen = window.screens["loan_apply"]
    assert isinstance(screen, LoanApplyScreen)
    materials, keypad_card = screen.bring.parentWidget(), screen.left_card
    assert keypad_card.isVisible()
    before = _rect(materials, window)
    assert _rect(keypad_card, window).right() < before.left()  # before the start: the keypad, then the materials
    _start(window, screen)
    assert not keypad_card.isVisible() and screen.done_button.isVisible()
    after, done = _rect(materials, window), _rect(screen.done_button, window)
    # the materials start where the screen's content starts (the title's left edge), not a third in
    assert abs(after.left() - _rect(screen.title, window).left()) <= 4, (after, before)
    assert after.width() > before.width() * 1.4
    # materials and actions together span the content width: nothing blank on either side
    assert done.left() > after.right() and (done.right() - after.left()) >= 0.9 * window.width()
    assert check_window(window, elderly=elderly, english=False) == []


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_a_started_application_gives_its_actions_the_whole_row_in_portrait(window: KioskWindow, elderly: bool) -> None:
    _show(window, "portrait", elderly, "loan_apply", facts=SAMPLE_FACTS)
    screen = window.screens["loan_apply"]
    assert isinstance(screen, LoanApplyScreen)
    _start(window, screen)
    materials = _rect(screen.bring.parentWidget(), window)
    for b in (screen.done_button, screen.queue_button, screen.print_button):
        r = _rect(b, window)
        assert b.isVisible() and r.top() > materials.bottom()
        assert abs(r.left() - materials.left()) <= 4 and abs(r.right() - materials.right()) <= 4, (b.text(), r)
        assert r.height() >= (68 if elderly else 56)  # large touch targets
    assert check_window(window, elderly=elderly, english=False) == []
    # a new application on the next visit: the keypad is back, beside the actions
    window.go("loan_apply", facts=SAMPLE_FACTS)
    settle(QApplication.instance(), window)  # type: ignore[arg-type]
    assert screen.left_card.isVisible() and screen.apply_button.isVisible()
    assert _rect(screen.left_card, window).right() < _rect(screen.apply_button, window).left()


@pytest.mark.parametrize("orientation", list(ORIENTATIONS))
def test_my_loan_without_a_loan_shows_no_empty_plan(window: KioskWindow, orientation: str) -> None:
    _show(window, orientation, True, "loan")
    screen = window.screens["loan"]
    assert isinstance(screen, LoanScreen)
    assert screen.facts.isVisible() and screen.plan_card.isVisible() and screen.plan.rowCount() > 0
    if orientation == "landscape":  # facts beside the plan, the two across the screen
        facts, plan = _rect(screen.facts, window), _rect(screen.plan_card, window)
        assert facts.right() < plan.left() and plan.right() - facts.left() >= 0.9 * window.width()
    snapshot = window.ctx.session.snapshot
    assert snapshot is not None
    window.ctx.session.snapshot = replace(snapshot, loan=None)
    screen.show_snapshot()
    settle(QApplication.instance(), window)  # type: ignore[arg-type]
    assert screen.none_note.isVisible() and screen.none_note.text() == "您没有住房公积金贷款。"
    assert not screen.plan_card.isVisible() and not screen.facts.isVisible()
    offer = screen.precheck_button  # the way to a loan instead: a large button, not an empty table
    assert offer.isVisible() and offer.text() == "测算可贷额度" and offer.height() >= 68 and offer.width() >= 400
    assert check_window(window, elderly=True, english=False) == []
    offer.click()
    assert window.current == "precheck"

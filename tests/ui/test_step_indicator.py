"""The step indicator restyles a step that moves on: the current step's padding does not stay behind."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.step_indicator import StepIndicator


def test_a_step_that_is_done_loses_the_current_steps_padding(qtbot: QtBot) -> None:
    steps = StepIndicator([("额度预审", "Pre-check"), ("申请", "Apply"), ("柜台", "Counter")])
    qtbot.addWidget(steps)
    steps.set_current(1)
    steps.show()
    qtbot.waitExposed(steps)
    done, current, todo = (steps.findChild(QLabel, f"step-{n}") for n in (1, 2, 3))
    assert current.contentsMargins().left() > 0 and done.contentsMargins().left() == 0
    steps.set_current(2)  # shown, then moved on (the loan application once started)
    qtbot.wait_until(lambda: todo.contentsMargins().left() > 0)
    assert current.contentsMargins().left() == 0 and not current.font().bold()
    assert steps.text() == "✓ 额度预审 › ✓ 申请 › ③ 柜台"

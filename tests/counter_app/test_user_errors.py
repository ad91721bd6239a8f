"""A device error at the counter reaches the clerk as a sentence in the screen's language (domain.errors),
never as the technician's English detail: the printer runs out of paper while the case receipt prints."""

from __future__ import annotations

from typing import Any

from hardware.printer.device import PaperOutError
from sync.errors import LedgerUnavailable
from tests.counter_app.conftest import Counter, RecordingPrinter
from tests.counter_app.test_intake_e2e import start_case


class PaperOutPrinter(RecordingPrinter):
    def print_receipt(self, receipt: Any, *, command_id: str) -> Any:
        raise PaperOutError("the printer is out of paper: 3/22 elements printed (byte 411)",
                            "打印机缺纸，已打印 3/22 项", action_zh="请更换纸卷后重试",
                            action_en="Load paper, then retry")


def test_a_paper_out_shows_the_clerk_chinese_then_english_never_the_technician_text(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=11)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "withdraw_illness", card=False)
    counter.click(screen.decide_btn)  # materials missing: the one-time notice is what prints
    counter.app.ctx.services.printer = PaperOutPrinter()
    counter.click(screen.print_btn)
    counter.qtbot.wait_until(lambda: "缺纸" in screen.banner.text(), timeout=10_000)
    assert screen.banner.text() == "打印机缺纸，已打印 3/22 项。请更换纸卷后重试。"
    counter.app.ctx.languages.set_language("en")  # the message follows a language switch
    counter.qtbot.wait_until(lambda: "paper" in screen.banner.text(), timeout=5_000)
    assert screen.banner.text() == "The printer is out of paper. Load paper, then retry."
    assert "byte" not in screen.banner.text()
    counter.app.ctx.languages.set_language("zh_CN")


def test_a_ledger_error_and_a_typed_bad_id_reach_the_screen_in_its_language(counter: Counter) -> None:
    counter.sign_in("clerk-01")
    screen = counter.screen("intake")
    screen.fail(LedgerUnavailable("connection refused"))
    assert "暂时无法连接中心系统" in screen.banner.text() and "refused" not in screen.banner.text()
    screen.fail(ValueError("贷款期限须为1至360个月 / The term must be 1 to 360 months"))
    assert screen.banner.text() == "贷款期限须为1至360个月"
    screen.fail(RuntimeError("Traceback: KeyError 'x'"))
    assert "Traceback" not in screen.banner.text() and "工作人员" in screen.banner.text()


def test_counter_counts_read_as_english_plurals(counter: Counter) -> None:
    from PySide6.QtCore import QCoreApplication

    languages = counter.app.ctx.languages
    languages.set_language("en")
    assert QCoreApplication.translate("WorklistScreen", "%n open case(s)", "", 1) == "1 open case"
    assert QCoreApplication.translate("WorklistScreen", "%n open case(s)", "", 3) == "3 open cases"
    languages.set_language("zh_CN")
    assert QCoreApplication.translate("WorklistScreen", "%n open case(s)", "", 3) == "待办案件 3 件"

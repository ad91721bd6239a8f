"""One bilingual user-facing error (domain.errors): every layer's error reaches a person in one language."""

from __future__ import annotations

import pytest

from domain.calculator import InvalidLoanInput
from domain.errors import GENERIC, UserFacingError, user_facing
from domain.identity import parse_id_number
from hardware.model import DeviceError
from hardware.printer.device import PaperOutError
from sync.errors import LedgerRejected, LedgerUnavailable


def test_a_paper_out_speaks_to_a_person_not_to_the_technician() -> None:
    exc = PaperOutError("the printer is out of paper: 3/22 elements (byte 411)", "打印机缺纸，已打印 3/22 项",
                        action_zh="请工作人员更换纸卷后重试",
                        action_en="Ask a member of staff to load paper, then retry")
    error = user_facing(exc)
    assert error is exc and isinstance(exc, DeviceError) and error.code == "PAPER_OUT"
    assert error.text(True) == "打印机缺纸，已打印 3/22 项。请工作人员更换纸卷后重试。"
    assert error.text(False) == "The printer is out of paper. Ask a member of staff to load paper, then retry."
    assert "byte" not in error.text(False) and "byte" in exc.message_en  # the detail stays for the technician


def test_ledger_errors_are_user_facing_with_their_own_sentences() -> None:
    offline = user_facing(LedgerUnavailable("connection refused"))
    assert isinstance(offline, UserFacingError) and offline.code == "unavailable"
    assert "暂时无法连接" in offline.text(True) and "refused" not in offline.text(False)
    refused = user_facing(LedgerRejected("409", code="duplicate", zh="重复申请", en="Already applied"))
    assert refused.pair == ("重复申请", "Already applied") and refused.code == "duplicate"


def test_domain_validation_maps_both_shapes() -> None:
    with pytest.raises(ValueError) as bad_id:
        parse_id_number("140107196809196520")
    mapped = user_facing(bad_id.value)  # zh / en attributes
    assert mapped.zh != mapped.en and not mapped.zh.isascii() and mapped.en.isascii()
    # the other shape: a message reading "中文 / English"
    loan = user_facing(InvalidLoanInput("贷款期限须为1至360个月 / The term must be 1 to 360 months"))
    assert loan.pair == ("贷款期限须为1至360个月", "The term must be 1 to 360 months")


def test_anything_else_is_a_generic_sentence_never_a_traceback() -> None:
    error = user_facing(KeyError("payout_card"))
    assert error.pair == GENERIC and error.code == "KeyError" and "payout_card" in error.detail
    assert "payout_card" not in error.text(True) + error.text(False)

"""一次性告知书: one complete list of what is missing, with reasons, alternatives and the rule version."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.catalogue import load_catalogue
from domain.notice import OneTimeNotice, notice_for_checklist, notice_for_decision
from domain.withdrawals import WithdrawalType as T
from tests.domain.withdrawal_builders import MEMBER_ID, NO_HOME, decide_for, shared, snapshot

CAT = load_catalogue("taiyuan")
WHEN = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)


def _notice(kind: T, **kw: Any) -> OneTimeNotice:
    decision = decide_for(kind, **kw)
    return notice_for_decision(
        decision,
        CAT.for_withdrawal(kind),
        CAT,
        member_name="张三",
        member_id_number=MEMBER_ID,
        notice_no="GZ-0001",
        issued_by="KIOSK-07",
        issued_at=WHEN,
    )


def test_notice_lists_every_missing_material_once_with_reasons() -> None:
    n = _notice(T.DEATH, facts=shared())
    assert [m.material for m in n.missing] == ["death_certificate", "inheritance_proof"]
    assert all(m.why and m.why_en and m.clause for m in n.missing)
    assert n.missing[0].alternative.startswith("授权本中心查询公安") and n.missing[1].alternative == ""
    assert not n.complete and n.time_limit == 3


def test_notice_masks_the_member_and_carries_the_rule_version() -> None:
    n = _notice(T.RETIREMENT, facts=shared())
    assert n.member_name == "*三" and n.member_id_number == "1401**********1234"
    text = "\n".join(n.lines())
    assert MEMBER_ID not in text and "张三" not in text
    assert "2026.11-1" in text and "GZ-0001" in text
    assert "2026-11-27 10:30 (北京时间)" in text
    assert "1. 退休证或退休审批表 / retirement certificate" in text


def test_notice_for_a_complete_application_says_so_and_lists_review_points() -> None:
    n = _notice(T.RENT, facts=shared(homes=NO_HOME), snap=snapshot(source="cache"))
    assert n.complete and n.also_checked and "离线" in n.also_checked[0]
    assert "无需补充" in "\n".join(n.lines())
    assert n.also_checked[0] not in "\n".join(n.lines())  # the clerk's review points are not the member's paper


def test_counter_checklist_notice() -> None:
    item = CAT.item("loan_application")
    n = notice_for_checklist(
        item,
        CAT,
        {"id_card", "income_proof"},
        member_name="李四",
        member_id_number=MEMBER_ID,
        notice_no="GZ-0002",
        issued_by="clerk-12",
        issued_at=WHEN,
    )
    assert [m.material for m in n.missing] == ["marriage_certificate", "loan_application"]
    assert "5个工作日内办结" in "\n".join(n.lines())
    with pytest.raises(KeyError, match="unknown material"):
        notice_for_checklist(
            item,
            CAT,
            {"selfie"},
            member_name="李四",
            member_id_number=MEMBER_ID,
            notice_no="x",
            issued_by="y",
            issued_at=WHEN,
        )


def test_naive_issue_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        notice_for_checklist(
            CAT.item("transfer"),
            CAT,
            (),
            member_name="李四",
            member_id_number=MEMBER_ID,
            notice_no="x",
            issued_by="y",
            issued_at=datetime(2026, 1, 1),
        )  # noqa: DTZ001

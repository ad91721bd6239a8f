"""The one-time notice is never empty and its rows are the one list every place shows (issue 13 item 5)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from domain.catalogue import load_catalogue
from domain.decision import Decision, Reason, Verdict
from domain.evidence import Department
from domain.notice import OneTimeNotice, checklist_missing, notice_for_decision, notice_rows

CAT = load_catalogue("taiyuan")
WHEN = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)


def _notice(*reasons: Reason) -> OneTimeNotice:
    decision = Decision.of(reasons, Decimal("0"), "01", "retirement", "test-1")
    item = next(i for i in CAT.items.values() if i.withdrawal_type is not None)
    return notice_for_decision(decision, item, CAT, member_name="张三", member_id_number="140105199003071234",
                               notice_no="N-1", issued_by="K1", issued_at=WHEN)


def test_a_missing_fact_without_a_catalogue_material_is_still_listed_with_its_alternative() -> None:
    notice = _notice(Reason(Verdict.MISSING, "retirement.record", "未查到退休记录", "no retirement record found",
                            "[withdrawals.types.retirement] proof", Department.HRSS))
    rows = notice_rows(notice)
    assert len(rows) == 1 and not notice.complete
    row = rows[0]
    assert row.why == "未查到退休记录" and row.why_en == "no retirement record found"
    assert "人社" in row.alternative and "data sharing" in row.alternative_en
    assert row.text(True).startswith("1. ") and "或：" in row.text(True)
    assert "(or: " in row.text(False)
    paper = "\n".join(notice.lines())
    assert "未查到退休记录" in paper and row.alternative in paper


def test_the_same_material_asked_twice_is_one_row_and_the_checklist_is_reconciled() -> None:
    code = next(iter(CAT.materials))
    ask = Reason(Verdict.MISSING, "a.rule", "需要材料", "material needed", "[x]", None, code)
    notice = _notice(ask, ask)
    assert [r.material for r in notice_rows(notice)] == [code]
    not_needed, extra = checklist_missing(notice, ["other_paper"])
    assert not_needed == {"other_paper"} and extra == [code]

"""The one-time notice is one list everywhere (issue 13 item 5): the rows `domain.notice.notice_rows`
gives are what the member reads on paper (receipt and A4) and what the counter's checklist shows as
missing — never three on the checklist and two on the notice — and a notice is never empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.a4 import notice_html
from counter_app.casework import CaseDesk, LineState, Member
from domain.notice import notice_rows
from tests.counter_app.test_catalogue_cases import CAT, NoFacts, _desk

WITHDRAWALS = sorted(i.code for i in CAT.services() if i.withdrawal_type is not None
                     and i.code not in ("withdraw_death", "withdraw_leave_employment"))  # those two: no notice


@pytest.mark.parametrize("code", WITHDRAWALS[:6])
def test_the_checklist_the_paper_and_the_notice_list_the_same_items(tmp_path: Path, code: str) -> None:
    desk, _staff, runtime = _desk(tmp_path)
    cases = CaseDesk(desk, NoFacts())
    snap = runtime.snap
    intake = cases.start(Member(snap.member.member_id, snap.member.id_number, "张三", snap, card_read=True), code)
    result = cases.decide(intake)
    if result.notice is None:
        pytest.skip(f"{code}: the rules decided without a notice ({result.kind})")
    notice = result.notice
    rows = notice_rows(notice)
    assert rows and not notice.complete  # a notice is never empty
    assert all(r.why and r.why_en for r in rows)
    paper = "\n".join(notice.lines())
    html = notice_html("中心", notice)
    for row in rows:
        assert f"{row.number}. {row.name} / {row.name_en}" in paper and row.why in paper
        assert row.name in html and row.why in html
        if row.alternative:
            assert row.alternative in paper and row.alternative in html
    checklist = cases.checklist(intake, notice)
    assert [line.material for line in checklist if not line.satisfied] == [r.material for r in rows]
    not_required = [line for line in checklist if line.state is LineState.NOT_REQUIRED]
    assert all(line.note()[0] for line in not_required)

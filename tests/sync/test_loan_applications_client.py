"""sync.loan_applications: the headers and bodies it sends, and what it makes of the ledger's answers."""

from __future__ import annotations

from typing import Any

import pytest

from protocol.sessions import SESSION_HEADER
from protocol.staff import STAFF_SESSION_HEADER
from sync.loan_applications import CreateRequest, CreditAuthorisation, LoanApplications

VIEW = {"application_id": "DK1", "member_id": "140100000001", "member_name": "王*", "state": "reviewed",
        "state_zh": "已审查", "channel": "counter", "amount_fen": 100, "term_months": 120, "method": "10",
        "notice": {"notice_no": "GZ1", "missing": [{"material": "income_proof", "name": "收入证明",
                                                    "name_en": "proof of income"}],
                   "supplied": [{"material": "marriage_status", "name": "婚姻状况证明", "name_en": "marital status",
                                 "supplied_by": "民政"}], "time_limit_workdays": 5, "lines": ["一次性告知书"]},
        "clock": {"state": "warning", "day": 3, "limit_days": 5, "warning": True, "late": False, "paused": False,
                  "started_at": "2026-09-29T02:00:00+00:00", "due_on": "2026-10-10", "zh": "审批第3个工作日",
                  "en": "working day 3 of 5"},
        "review": {"eligible": False, "max_amount_fen": 50, "limiting_factor": "balance",
                   "reasons": [{"code": "limit_balance", "zh": "受账户余额限制", "en": "the balance"}],
                   "candidates": [{"factor": "balance", "amount_fen": 50, "zh": "z", "en": "e"}]},
        "spouse": None, "decision": None, "registration": None, "disbursement": None,
        "allowed_actions": ["approve", "refuse"], "events": [{"action": "review", "at": "2026-09-29T03:00:00+00:00"}]}


class FakeLedger:
    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer, self.calls = answer, list[tuple[str, str, Any, dict[str, str], Any]]()

    def _call(self, method: str, path: str, *, body: Any = None, params: Any = None,
              headers: dict[str, str] | None = None) -> Any:
        self.calls.append((method, path, body, dict(headers or {}), params))
        return self.answer

    @staticmethod
    def _json(response: Any) -> dict[str, Any]:
        return dict(response)


def test_staff_writes_carry_the_staff_token_and_an_idempotency_key() -> None:
    ledger = FakeLedger(VIEW)
    apps = LoanApplications(ledger)  # type: ignore[arg-type]
    view = apps.intake("DK1", {"income_proof": "CAM-1"}, CreditAuthorisation("CAM-2", "SIG"), staff_token="T")
    method, path, body, headers, _ = ledger.calls[-1]
    assert (method, path) == ("POST", "/v1/loan-applications/DK1/intake")
    assert headers == {STAFF_SESSION_HEADER: "T"} and len(body["idempotency_key"]) == 32
    assert body["credit_authorisation"] == {"method": "counter_form", "reference": "CAM-2", "signature": "SIG"}
    assert view.clock.warning and view.clock.day == 3 and str(view.clock.due_on) == "2026-10-10"
    assert view.review is not None and view.review.reasons[0].code == "limit_balance"
    assert [m.material for m in view.notice.missing] == ["income_proof"] and view.notice.supplied[0].supplied_by
    assert view.state_zh == "已审查" and view.allowed_actions == ("approve", "refuse")
    apps.create(CreateRequest(amount_fen=1, term_months=120, purchase_contract_no="WQ1"), session_token="S",
                idempotency_key="fixed-key-1")
    _, path, body, headers, _ = ledger.calls[-1]
    assert path == "/v1/loan-applications" and headers == {SESSION_HEADER: "S"}
    assert body["idempotency_key"] == "fixed-key-1"


def test_a_bad_application_id_never_reaches_the_wire() -> None:
    ledger = FakeLedger(VIEW)
    with pytest.raises(ValueError):
        LoanApplications(ledger).get("../cases", staff_token="T")  # type: ignore[arg-type]
    assert ledger.calls == []

"""The counter's side of the housing-fund loan application (no Qt here): a thin adapter over the
loan-core client (`sync.loan_applications.LoanApplications`) with the signed-in staff member's token,
and the work-list rows with the application clock (working day n of 5, registry time excluded,
warnings on day 3 and 4, late after day 5) as the ledger computes it.

The ledger decides everything (notice, review, clock, who may act); this module only carries the
clerk's input to it and the answers back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.loan_applications import CreateRequest, CreditAuthorisation, LoanApplications, LoanClock

ITEM = "loan_application"


class NotSignedIn(Exception):  # noqa: N818 - read by the screen
    zh = "请先以中心账号联网登录（离线登录不能办理贷款业务）。"
    en = "Sign in online with your central account first (an offline sign-in cannot act on loans)."


@dataclass(frozen=True)
class LoanRow:
    application_id: str
    member_name: str
    state: str
    state_zh: str
    amount_fen: int
    clock: LoanClock

    @property
    def flag(self) -> str:
        """late | warning | "" — what the work list colours."""
        return "late" if self.clock.late else "warning" if self.clock.warning else ""


class LoanDesk:
    def __init__(self, desk: Any) -> None:
        self.desk = desk

    @property
    def api(self) -> LoanApplications:
        return LoanApplications(self.desk.runtime.client)

    def token(self) -> str:
        token = getattr(self.desk, "session_token", "")
        if not token:
            raise NotSignedIn()
        return str(token)

    # --- the application ----------------------------------------------------------------------

    def create(
        self,
        *,
        member_id: str,
        amount_fen: int,
        term_months: int,
        contract_no: str,
        method: str = "10",
        bank_part_fen: int = 0,
        bank_name: str = "",
        spouse_id_number: str = "",
    ) -> Any:
        return self.api.create(
            CreateRequest(
                amount_fen=amount_fen,
                term_months=term_months,
                purchase_contract_no=contract_no,
                member_id=member_id,
                method=method,
                bank_part_fen=bank_part_fen,
                bank_name=bank_name,
                spouse_id_number=spouse_id_number,
            ),
            staff_token=self.token(),
        )

    def get(self, application_id: str) -> Any:
        return self.api.get(application_id, staff_token=self.token())

    def intake(self, application_id: str, checklist: dict[str, str], auth_ref: str, signature_ref: str) -> Any:
        return self.api.intake(
            application_id, checklist, CreditAuthorisation(auth_ref, signature_ref), staff_token=self.token()
        )

    def spouse(
        self, application_id: str, *, id_number: str, id_ref: str, consent: bool, auth_ref: str, signature_ref: str
    ) -> Any:
        return self.api.spouse(
            application_id,
            id_number=id_number,
            id_evidence_ref=id_ref,
            consent=consent,
            credit_authorisation=CreditAuthorisation(auth_ref, signature_ref),
            staff_token=self.token(),
        )

    def review(self, application_id: str) -> Any:
        return self.api.review(application_id, staff_token=self.token())

    def decide(self, application_id: str, *, approve: bool, amount_fen: int | None, reasons: list[str]) -> Any:
        return self.api.decide(
            application_id, approve=approve, amount_fen=amount_fen, reasons=reasons, staff_token=self.token()
        )

    def sign(self, application_id: str, party: str, signature_ref: str) -> Any:
        return self.api.sign_contract(
            application_id, party=party, signature_ref=signature_ref, staff_token=self.token()
        )

    def request_registration(self, application_id: str) -> Any:
        return self.api.request_registration(application_id, staff_token=self.token())

    def poll_registration(self, application_id: str) -> Any:
        return self.api.poll_registration(application_id, staff_token=self.token())

    def disburse(self, application_id: str) -> Any:
        return self.api.disburse(application_id, staff_token=self.token())

    # --- early repayment and 冲还贷 -----------------------------------------------------------------

    def quote(self, loan_id: str, amount_fen: int | None, option: str) -> Any:
        return self.api.early_repayment_quote(loan_id, amount_fen=amount_fen, option=option, staff_token=self.token())

    def apply_early(self, loan_id: str, amount_fen: int | None, option: str) -> Any:
        return self.api.apply_early_repayment(loan_id, amount_fen=amount_fen, option=option, staff_token=self.token())

    def sign_offset(self, loan_id: str, mode: str) -> Any:
        return self.api.sign_offset(loan_id, mode=mode, staff_token=self.token())

    # --- the work list ----------------------------------------------------------------------------

    def work_list(self) -> list[LoanRow]:
        return [
            LoanRow(e.application_id, e.member_name, e.state, e.state_zh, e.amount_fen, e.clock)
            for e in self.api.work_list(self.token())
        ]


def loan_alerts(desk: Any) -> tuple[int, int]:
    """(applications on working day 3 or 4, late applications) of the ledger's loan work list; (0, 0) when the
    counter has no online staff session or the ledger does not answer (the work list says nothing then)."""
    if not getattr(desk, "session_token", ""):
        return 0, 0
    try:
        rows = LoanDesk(desk).work_list()
    except Exception:  # offline: the loan clock is the ledger's, nothing to say here
        return 0, 0
    return sum(1 for r in rows if r.flag == "warning"), sum(1 for r in rows if r.flag == "late")


def evidence_path(case_files: Path, reference: str) -> Path | None:
    """The captured page behind an evidence reference this counter made (`<application>/<material>.jpg`)."""
    if not reference or ".." in reference or reference.startswith("/"):
        return None
    path = case_files / reference
    return path if path.suffix == ".jpg" and path.exists() else None


def yuan_to_fen(text: str) -> int | None:
    """ "500000" or "500000.00" (yuan) → fen; None for anything else."""
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    if value <= 0 or value != value.quantize(Decimal("0.01")):
        return None
    return int(value * 100)

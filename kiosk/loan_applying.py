"""The kiosk's side of starting a housing-fund loan application (no Qt here).

The loan pre-check (`kiosk.screens.precheck`) hands over what the member typed and what the rules
estimated; this module gives the screen

- before the start, the one-time notice as `domain.loan_application.loan_notice` words it when the
  exchange answers (what the centre fetches is not asked for; a married applicant's spouse comes too);
- the start itself through the loan-core client (`sync.loan_applications.LoanApplications.create`)
  in the member's ledger session: the ledger fetches the contract, the marriage record and the rest,
  and its answer carries the real notice, which then replaces the preview.

A member identified by an ID card alone or offline by the app's QR token has no ledger session: the
screen says so (the ledger starts an application only for a member it verified itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.loan_application import LoanNotice, LoanPolicy, load_loan_policy, loan_notice

CONTRACT_PREFIX = "WQ"  # 网签合同号: the housing bureau's prefix, then digits (the kiosk keypad types the digits)
TERMS = (120, 240, 360)


@dataclass(frozen=True)
class PrecheckFacts:
    """What the pre-check screen knew when the member touched "apply"."""

    price_yuan: Decimal
    home_order: str          # first | second
    housing: str             # commercial | guaranteed
    max_loan: Decimal | None  # the estimate (None: not eligible yet)


class CannotStart(Exception):  # noqa: N818 - a refusal, read by the screen
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


NO_SESSION = CannotStart("发起贷款申请须经中心联网核验身份：请输入查询密码登录后再试，或取号到柜台办理。",
                         "To start a loan application the centre must verify you online: sign in with your "
                         "query password, or take a ticket for the counter.")
NOT_ELIGIBLE = CannotStart("预审显示暂不符合贷款条件，请咨询柜台。",
                           "The pre-check shows you are not eligible yet: please ask at the counter.")
NO_CONTRACT = CannotStart("请输入网签购房合同号的数字部分。",
                          "Enter the digits of the online purchase contract number.")


def load_policy(city: str) -> LoanPolicy | None:
    try:
        return load_loan_policy(city)
    except Exception:  # a packaging fault: the screen says the service is unavailable
        return None


def preview_notice(policy: LoanPolicy) -> LoanNotice:
    """The notice as it reads when the exchange answers every topic (shown before the start, then replaced by
    the ledger's own notice): what is always brought, and what the centre fetches itself."""
    topics = {m.topic for m in policy.materials if m.topic}
    return loan_notice(policy, notice_no="", married=False, supplied_topics=topics, down_payment_on_record=True)


def start(services: Any, session: Any, facts: PrecheckFacts, contract_digits: str, term_months: int) -> Any:
    """Start the application at the ledger for the member in session (worker thread); the ledger's view."""
    from sync.loan_applications import CreateRequest, LoanApplications

    opened = getattr(session, "ledger_session", None)
    client = getattr(services, "ledger", None)
    if opened is None or client is None:
        raise NO_SESSION
    if facts.max_loan is None or facts.max_loan <= 0:
        raise NOT_ELIGIBLE
    if not contract_digits.isdigit():
        raise NO_CONTRACT
    request = CreateRequest(amount_fen=int(facts.max_loan * 100), term_months=term_months,
                            purchase_contract_no=CONTRACT_PREFIX + contract_digits,
                            precheck_ref=f"PRECHECK-{facts.home_order}-{facts.housing}-{int(facts.price_yuan)}")
    return LoanApplications(client).create(request, session_token=opened.token)


def my_applications(services: Any, session: Any) -> list[Any]:
    """The member's own loan applications as the ledger has them (worker thread); [] without a ledger session."""
    from sync.loan_applications import LoanApplications

    opened = getattr(session, "ledger_session", None)
    client = getattr(services, "ledger", None)
    if opened is None or client is None:
        return []
    return LoanApplications(client).mine(opened.token)


def progress_lines(views: list[Any], chinese: bool) -> list[str]:
    """One line per application still on its way: number, state, the clock as the ledger words it."""
    out = []
    for v in views:
        if v.state in ("disbursed", "refused"):
            continue
        state = v.state_zh or v.state if chinese else v.state.replace("_", " ")
        clock = v.clock.zh if chinese else v.clock.en
        out.append(f"{v.application_id} · {state}" + (f" · {clock}" if clock else ""))
    return out

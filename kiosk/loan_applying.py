"""The kiosk's side of starting a housing-fund loan application (no Qt here).

The loan pre-check (`kiosk.screens.precheck`) hands over what the member typed and what the rules
estimated; this module turns it into

- the one-time notice of materials (一次性告知): what to bring to the counter, what the centre fetches
  through the data-sharing exchange instead (never asked for), and the spouse's part when married;
- the start of the application at the ledger, with the member's proof (a ledger session or the app's
  QR token — an ID card read alone gives none).

The notice is the catalogue's `loan_application` item (`domain.catalogue`), not a list written here:
materials a department shares are fetched, the others are brought. Starting the application goes
through the terminal's loan-application client (`sync.loan_applications`, built by the loan-core
work); on a terminal without it the screen says the counter starts the application.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.catalogue import Catalogue

ITEM = "loan_application"
COMBINED_ITEM = "loan_combined"

# Things the centre asks for that are not catalogue materials but a signature on the day (the credit
# report is only fetched with the borrower's signed authorisation, 人民银行征信).
_SIGNED_AT_COUNTER = (
    ("征信查询授权书（本人及配偶签字）", "credit-report authorisation (you and a spouse sign)",
     "查询人民银行征信报告须经本人书面授权", "the central bank's credit report needs your signed authorisation"),
)


@dataclass(frozen=True)
class NoticeLine:
    name: str
    name_en: str
    why: str = ""
    why_en: str = ""


@dataclass(frozen=True)
class LoanNotice:
    item_name: str
    item_name_en: str
    bring: tuple[NoticeLine, ...]     # paper the member brings to the counter
    fetched: tuple[NoticeLine, ...]   # the centre fetches it through the exchange: not asked for
    signed: tuple[NoticeLine, ...]    # signed at the counter on the day
    time_limit: int                   # working days from the start of approval to disbursement


@dataclass(frozen=True)
class PrecheckFacts:
    """What the pre-check screen knew when the member touched "apply"."""

    price_yuan: Decimal
    home_order: str          # first | second
    housing: str             # commercial | guaranteed
    max_loan: Decimal | None  # the estimate (None: not eligible yet)


@dataclass(frozen=True)
class Started:
    application_no: str
    status: str
    married: bool | None      # what the civil-affairs data said, when the ledger answered it
    zh: str
    en: str


class CannotStart(Exception):  # noqa: N818 - a refusal, read by the screen
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


NO_CLIENT = CannotStart("本机暂不能在线发起贷款申请，请取号到柜台，柜员为您发起申请。",
                        "This terminal cannot start a loan application right now: take a ticket and a clerk "
                        "will start it at the counter.")
NO_PROOF = CannotStart("发起申请须先核验身份：请输入查询密码或出示公积金 App 的身份码。",
                       "To apply we must verify it is you: enter your query password or show the HPF app's "
                       "QR code.")


def loan_notice(catalogue: Catalogue, *, combined: bool = False) -> LoanNotice:
    """The one-time notice of the loan application from the catalogue item's materials."""
    item = catalogue.item(COMBINED_ITEM if combined and COMBINED_ITEM in catalogue.items else ITEM)
    codes = list(item.materials)
    for extra in ("down_payment_invoice",):  # the down payment is part of the purchase file
        if extra in catalogue.materials and extra not in codes:
            codes.append(extra)
    bring: list[NoticeLine] = []
    fetched: list[NoticeLine] = []
    for code in codes:
        m = catalogue.material(code)
        if m.self_service:
            continue  # the ID card is read on the day
        if m.shared_by is not None:
            fetched.append(NoticeLine(m.name, m.name_en, f"{m.shared_by.value}共享", f"{m.shared_by.en} data"))
        else:
            bring.append(NoticeLine(m.name, m.name_en, f"办理“{item.name}”需要此材料", f"required for {item.name_en}"))
    signed = tuple(NoticeLine(*row) for row in _SIGNED_AT_COUNTER)
    return LoanNotice(item.name, item.name_en, tuple(bring), tuple(fetched), signed, item.time_limit)


def client_for(services: Any) -> Any:
    """The terminal's loan-application client, or None when this build has none."""
    client = services.extras.get("loan_applications") if hasattr(services, "extras") else None
    if client is not None:
        return client
    try:
        from sync import loan_applications  # the loan-core work's client
    except ImportError:
        return None
    ledger = getattr(services, "ledger", None)
    make = getattr(loan_applications, "LoanApplications", None)
    return make(ledger) if make is not None and ledger is not None else None


def start(services: Any, session: Any, facts: PrecheckFacts) -> Started:
    """Start the application at the ledger for the identified member (worker thread)."""
    from kiosk.applications import member_proof

    proof = member_proof(session)
    if proof is None:
        raise NO_PROOF
    client = client_for(services)
    if client is None:
        raise NO_CLIENT
    answer = client.start_from_kiosk(member_id=session.member_id, proof=proof, price_fen=int(facts.price_yuan * 100),
                                     home_order=facts.home_order, housing=facts.housing)
    return _started(answer)


def _started(answer: Any) -> Started:
    get = answer.get if isinstance(answer, dict) else (lambda k, d=None: getattr(answer, k, d))
    married = get("married", None)
    number = str(get("application_no", "") or get("application_id", ""))
    return Started(number, str(get("status", "started")), married if isinstance(married, bool) else None,
                   f"申请已登记，编号 {number}", f"Application registered, number {number}")

"""Submitting a member's application: the member's proof, the durable outbox, then the centre's decision.

1. The item carries the member's proof (protocol.sessions): the id of the ledger session opened when
   the member was verified online, or, identified offline, the app's signed QR token. An ID card read
   alone gives no proof: such a member may look at the cached account but is asked for the QR code
   before anything that moves money (`NEEDS_QR`).
2. The application is committed to the outbox (durable before anything else happens), then sent at
   once with the same idempotency key (`SyncRuntime.send_now`), ahead of any backlog, and the kiosk
   waits up to `[kiosk] decision_wait_s` for the centre's answer. An answer is final (秒批 means the
   member leaves with it); no answer in time, or offline, leaves the provisional result with
   "the centre will confirm", and the background sender delivers it later.

No Qt here: the screens run `submit` on the background worker and show its `Submitted`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from protocol.sessions import session_proof, token_proof, with_proof


class NoProofError(Exception):
    """The member was identified by an ID card alone: no application that moves money."""

    code = "needs_qr"
    zh = ("身份证仅用于识别身份，不能授权资金业务。请出示公积金 App 的身份码（扫码），"
          "或联网后输入查询密码，再提交申请。")
    en = ("An ID card read alone identifies you but does not authorize moving money. Please show the QR code "
          "of the HPF app (or, when the centre is online, enter your query password), then submit.")


NEEDS_QR = NoProofError()


def member_proof(session: Any) -> dict[str, str] | None:
    """The proof the member's application carries, or None (a card read alone)."""
    opened = getattr(session, "ledger_session", None)
    if opened is not None:
        return session_proof(opened.session_id)
    token = getattr(session, "member_token", "")
    return token_proof(token) if token else None


@dataclass(frozen=True)
class CentreDecision:
    """The centre's answer to one application, in words for the screen and the receipt."""

    status: str            # approved | review | accepted | rejected
    zh: str
    en: str
    amount: Decimal | None = None
    instant: bool = False

    @property
    def approved(self) -> bool:
        return self.status in ("approved", "accepted")


@dataclass(frozen=True)
class Submitted:
    receipt: Any                       # sync.outbox.Receipt: durably saved
    decision: CentreDecision | None    # the centre's final answer, when it came within the wait

    @property
    def final(self) -> bool:
        return self.decision is not None


def centre_decision(answer: Any) -> CentreDecision | None:
    """Read the outbox item the ledger answered (sync.outbox.Item) as a decision; None if not answered."""
    if answer is None:
        return None
    if answer.state == "rejected" or answer.state == "parked":
        reason = answer.reason
        zh = f"未予受理：{reason.zh}" if reason is not None and reason.zh else "未予受理"
        en = f"not accepted: {reason.en}" if reason is not None and reason.en else "not accepted"
        return CentreDecision("rejected", zh, en)
    if answer.state != "acknowledged":
        return None
    try:
        result = json.loads(answer.result or "{}")
    except ValueError:
        result = {}
    if not isinstance(result, dict):
        result = {}
    status = str(result.get("status") or "accepted")
    fen = result.get("amount_fen")
    amount = (Decimal(fen) / 100).quantize(Decimal("0.01")) if isinstance(fen, int) and fen > 0 else None
    if status == "approved":
        instant = bool(result.get("instant"))
        return CentreDecision("approved", "已批准（秒批）" if instant else "已批准",
                              "approved instantly" if instant else "approved", amount, instant)
    if status == "review":
        return CentreDecision("review", "已受理，转工作人员审核", "received; a clerk will check it", amount)
    return CentreDecision("accepted", "已受理", "received", amount)


def submit(services: Any, session: Any, kind: str, payload: dict[str, Any], *, member_id: str,
           wait_s: float, provisional_decision: dict[str, Any] | None = None) -> Submitted:
    """Save the application with the member's proof, send it at once and wait for the decision (worker thread)."""
    proof = member_proof(session)
    if proof is None:
        raise NEEDS_QR
    outbox = services.outbox
    receipt = outbox.enqueue(kind, with_proof(payload, proof), member_id=member_id,
                             provisional_decision=provisional_decision)
    send_now = getattr(outbox, "send_now", None)
    answer = send_now(receipt.idempotency_key, wait_s) if callable(send_now) else None
    return Submitted(receipt, centre_decision(answer))

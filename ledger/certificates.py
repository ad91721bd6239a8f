"""Certificates anyone can verify (issue 11): registration, the partner API and the public page.

    outbox kind "certificate.issue"   a terminal registers a certificate it printed (ledger.rules)
    POST /v1/certificates/verify      signed (an enrolled terminal or partner): {"code", "facts"?}
                                      -> the verdict, the masked facts, valid_until (JSON)
    GET  /verify/{code}               public, no authentication: an HTML page with the same verdict

The code is an unguessable id plus a check character (domain.certificates); the centre knows every
registered code, so it verifies without any terminal key. A code with a failed check character is
reported as altered without a database look-up; an unknown one as forged or not yet synced.
Rate-limiting the public page belongs to the reverse proxy in front of the ledger (docs/security.md).
"""


import html
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import transactions as tx
from domain.certificates import CodeError, DocType, Verdict, judge, normalise, valid_until
from domain.masking import mask_id_number, mask_name
from domain.money import format_yuan
from domain.policy import load_policy_table, require, section
from domain.transactions import TransactionError
from ledger.errors import bad_request
from ledger.models import Account, Deposit, Member, Withdrawal
from ledger.models_hall import CertificateRow
from ledger.settings import CENTRE_TZ


@cache
def valid_days(city: str) -> int:
    days: int = require(section(load_policy_table(city), "certificates"), "valid_days", int, "certificates")
    return days


def register(session: Session, p: tx.CertificateIssue, *, terminal_id: str, member_id: str | None,
             created_at: datetime, city: str) -> dict[str, Any]:
    """Record a printed certificate (idempotent for the same code and facts); refuse what doesn't fit."""
    existing = session.get(CertificateRow, p.code)
    if existing is not None:
        if existing.facts_sha256 == p.facts_sha256 and existing.terminal_id == terminal_id:
            return {"code": p.code, "valid_until": existing.valid_until.isoformat()}
        raise TransactionError("certificate_exists", "该验证码已登记给另一份证明。",
                               "This code is already registered for another certificate.")
    member_id = member_id or str(p.facts.get("account") or "") or None
    if p.doc_type == DocType.DEPOSIT.value:
        member = session.get(Member, member_id) if member_id else None
        if member is None:
            raise TransactionError("unknown_member", "证明所载职工账号不存在。",
                                   "The certificate names a member account that does not exist.")
        if p.facts.get("name") != mask_name(member.name) or p.facts.get("id_number") != mask_id_number(
                member.id_number):
            raise TransactionError("certificate_identity", "证明所载姓名或证件号码与中心登记不符。",
                                   "The name or ID number on the certificate differs from the centre's record.")
        _check_deposit_money(session, member.member_id, p.facts, created_at)
    issued_on = created_at.astimezone(CENTRE_TZ).date()
    row = CertificateRow(code=p.code, doc_type=p.doc_type, member_id=member_id, terminal_id=terminal_id,
                         facts=dict(p.facts), facts_sha256=p.facts_sha256, issued_at=created_at, issued_on=issued_on,
                         valid_until=valid_until(issued_on, valid_days(city)), revoked=False)
    session.add(row)
    session.flush()
    return {"code": p.code, "valid_until": row.valid_until.isoformat()}


def _check_deposit_money(session: Session, member_id: str, facts: dict[str, str | int], created_at: datetime) -> None:
    """The money a deposit certificate states is the centre's own figure, never the terminal's word: the
    printed balance must be the ledger's, unless the account moved since it was printed (an offline print
    that synced later). The text shown on the verification page must say the same amount."""
    printed = facts.get("balance_fen")
    account = session.scalars(select(Account).where(Account.member_id == member_id)).first()
    if account is None or not isinstance(printed, int) or facts.get("balance") != format_yuan(Decimal(printed) / 100):
        raise TransactionError("certificate_figures", "证明所载余额不完整或前后不一。",
                               "The balance on the certificate is missing or inconsistent.")
    if printed == account.balance_fen:
        return
    day = created_at.astimezone(CENTRE_TZ).date()
    moved = session.scalar(select(Deposit.id).where(Deposit.account_no == account.account_no,
                                                        Deposit.paid_on >= day).limit(1))
    moved = moved or session.scalar(select(Withdrawal.id).where(Withdrawal.member_id == member_id,
                                                                Withdrawal.applied_at >= created_at).limit(1))
    if moved is None:
        raise TransactionError("certificate_figures", "证明所载余额与中心账户余额不符。",
                               "The balance on the certificate differs from the centre's account.")


def verify(session: Session, code: str, presented: dict[str, Any] | None = None) -> Verdict:
    today = datetime.now(CENTRE_TZ).date()
    try:
        canonical = normalise(code)
    except CodeError as exc:
        return Verdict("malformed", exc.zh, exc.en)
    row = session.get(CertificateRow, canonical)
    if row is None:
        return judge(known=False, revoked=False, issued_on=None, until=None, today=today)
    return judge(known=True, revoked=row.revoked, issued_on=row.issued_on, until=row.valid_until, today=today,
                 doc_type=row.doc_type, facts=row.facts, presented=presented)


class VerifyIn(BaseModel):
    code: str
    facts: dict[str, str | int] | None = None  # what the partner read off the paper, to compare


_LABELS = {"name": ("姓名", "Name"), "id_number": ("证件号码", "ID No."), "account": ("个人账号", "Account"),
           "employer": ("单位", "Employer"), "status": ("账户状态", "Status"), "balance": ("账户余额", "Balance"),
           "monthly": ("月缴存额", "Monthly deposit"), "paid_up_to": ("缴至年月", "Paid up to"),
           "issued_at": ("出具时间", "Issued"), "terminal": ("出具终端", "Printed by"),
           "item": ("事项", "Item"), "case_id": ("编号", "No.")}


def page(verdict: Verdict, code: str) -> str:
    """The public verification page: the verdict and the masked facts, Chinese first."""
    e = html.escape
    colour = {"valid": "#1b7f3b", "expired": "#9a6b00"}.get(verdict.status, "#b00020")
    rows = "".join(
        f"<tr><th>{e(_LABELS.get(k, (k, k))[0])}<br><small>{e(_LABELS.get(k, (k, k))[1])}</small></th>"
        f"<td>{e(str(v))}</td></tr>" for k, v in (verdict.facts or {}).items() if not k.endswith("_fen"))
    doc = ""
    if verdict.doc_type:
        kind = DocType(verdict.doc_type)
        doc = f"<p>{e(kind.zh)} / {e(kind.en)}</p>"
    until = (f"<p>有效期至 Valid until: {e(verdict.valid_until.isoformat())}</p>" if verdict.valid_until else "")
    return ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            "<title>证明核验 Certificate check</title><style>"
            "body{font-family:sans-serif;max-width:40em;margin:1em auto;padding:0 1em}"
            "th{text-align:left;padding:4px 12px 4px 0;vertical-align:top}td{padding:4px 0}"
            f".v{{color:{colour};font-size:1.3em;font-weight:bold}}</style></head><body>"
            "<h1>住房公积金证明核验<br><small>Housing provident fund certificate check</small></h1>"
            f"<p>验证码 Code: <code>{e(code[:60])}</code></p>"
            f"<p class='v' id='verdict' data-status='{e(verdict.status)}'>{e(verdict.zh)}<br>{e(verdict.en)}</p>"
            f"{doc}<table>{rows}</table>{until}"
            "<p><small>个人信息已脱敏显示。Personal data is shown masked.</small></p></body></html>")


_STATUS = {"valid": 200, "expired": 200, "revoked": 200, "mismatch": 200, "unknown": 404, "malformed": 400}


def install(app: FastAPI, authenticated: Callable[..., Any]) -> None:
    router = APIRouter()
    caller_dep = Annotated[Any, Depends(authenticated)]

    @router.post("/v1/certificates/verify")
    def verify_api(body: VerifyIn, _caller: caller_dep, request: Request) -> dict[str, Any]:
        """A partner bank's or terminal's check of a certificate code (signed request)."""
        if len(body.code) > 60:
            raise bad_request("验证码过长。", "The code is too long.")
        with request.app.state.sessions() as session:
            return verify(session, body.code, body.facts).to_json()

    @router.get("/verify/{code}", response_class=HTMLResponse, include_in_schema=True)
    def verify_page(code: str, request: Request) -> HTMLResponse:
        """The public page the certificate's QR code opens (no authentication; masked facts only)."""
        code = code[:60]
        with request.app.state.sessions() as session:
            verdict = verify(session, code)
        return HTMLResponse(page(verdict, code), status_code=_STATUS[verdict.status])

    app.include_router(router)

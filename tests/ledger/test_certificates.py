"""Issue 11: certificates registered through the outbox and verified by partners (signed) and anyone (public page)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from domain.certificates import deposit_facts, new_code, registration
from domain.money import format_yuan
from ledger.models_hall import CertificateRow
from ledger.snapshot import build_snapshot
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import clean_members, item

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def _printed(sessions: sessionmaker[Session], n: int = 0) -> tuple[str, str, dict[str, str | int]]:
    member = clean_members(sessions, limit=n + 1)[n]
    with sessions() as session:
        snap = build_snapshot(session, member.member_id)
    code = new_code()
    return member.member_id, code, deposit_facts(snap, terminal_id="DEMO-KIOSK-01", issued_at=NOW)


def _altered(code: str) -> str:
    """The same code with one character changed (the check character then fails)."""
    i = 6  # a character of the id, after "HPFC-"
    ch = "7" if code[i] != "7" else "8"
    return code[:i] + ch + code[i + 1:]


def test_a_registered_certificate_verifies_and_an_altered_code_does_not(
        kiosk: SignedTestClient, counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member_id, code, facts = _printed(sessions)
    [res] = kiosk.batch([item("certificate.issue", registration(code, facts), member_id)])
    assert res["status"] == "accepted", res
    public = kiosk.client  # the public page needs no signature
    page = public.get(f"/verify/{code}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "data-status='valid'" in page.text and "真实有效" in page.text and str(facts["name"]) in page.text
    assert str(facts["balance"]) in page.text
    assert "id_number" not in page.text and str(facts["id_number"]) in page.text  # masked as printed
    # partner bank API (a signed request), with the figures read off the paper
    ok = counter.post("/v1/certificates/verify", {"code": code.lower(), "facts": {"balance": facts["balance"]}})
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "valid" and ok.json()["facts"]["account"] == member_id
    # one changed character: refused before any look-up, on the page and in the API
    bad = public.get(f"/verify/{_altered(code)}")
    assert bad.status_code == 400 and "data-status='malformed'" in bad.text and "校验位不符" in bad.text
    assert counter.post("/v1/certificates/verify", {"code": _altered(code)}).json()["valid"] is False
    # the paper's balance changed: the figures differ from what was registered
    forged = counter.post("/v1/certificates/verify", {"code": code, "facts": {"balance": "¥999,999.00"}}).json()
    assert forged["status"] == "mismatch" and "balance" in forged["en"]


def test_unknown_codes_forged_registrations_and_unsigned_api(kiosk: SignedTestClient,
                                                             sessions: sessionmaker[Session]) -> None:
    member_id, code, facts = _printed(sessions)
    unknown = kiosk.client.get(f"/verify/{new_code()}")  # well-formed, never registered
    assert unknown.status_code == 404 and "data-status='unknown'" in unknown.text and "同步" in unknown.text
    assert kiosk.client.post("/v1/certificates/verify", json={"code": code}).status_code == 401
    # a digest that does not match the facts
    payload = {**registration(code, facts), "facts_sha256": "0" * 64}
    [res] = kiosk.batch([item("certificate.issue", payload, member_id)])
    assert res["status"] == "rejected" and res["reason"]["code"] == "facts_digest"
    # someone else's name on this member's certificate
    other = {**facts, "name": "假*"}
    [res] = kiosk.batch([item("certificate.issue", registration(code, other), member_id)])
    assert res["status"] == "rejected" and res["reason"]["code"] == "certificate_identity"
    # the money is the centre's figure: an inflated balance (figure and text alike), or a text that says
    # another amount than the figure, is refused while the account has not moved since the print
    rich = {**facts, "balance_fen": int(facts["balance_fen"]) + 100_000_00}
    rich["balance"] = format_yuan(Decimal(int(rich["balance_fen"])) / 100)
    [res] = kiosk.batch([item("certificate.issue", registration(new_code(), rich), member_id)])
    assert res["status"] == "rejected" and res["reason"]["code"] == "certificate_figures", res
    assert "余额" in res["reason"]["zh"] and "balance" in res["reason"]["en"]
    dressed = {**facts, "balance": "¥999,999.00"}  # the page shows the text: it must say the same amount
    [res] = kiosk.batch([item("certificate.issue", registration(new_code(), dressed), member_id)])
    assert res["status"] == "rejected" and res["reason"]["code"] == "certificate_figures"
    # a code with a broken check character is refused at the door
    [res] = kiosk.batch([item("certificate.issue", {**registration(code, facts), "code": _altered(code)}, member_id)])
    assert res["status"] == "rejected" and res["reason"]["code"] == "bad_code"
    # the honest one registers; a second registration of the same code with other facts is refused
    assert kiosk.batch([item("certificate.issue", registration(code, facts), member_id)])[0]["status"] == "accepted"
    changed = {**facts, "balance": "¥1.00"}
    [res] = kiosk.batch([item("certificate.issue", registration(code, changed), member_id)])
    assert res["status"] == "rejected" and res["reason"]["code"] == "certificate_exists"
    assert "<script>" not in kiosk.client.get("/verify/<script>alert(1)</script>").text


def test_expired_and_revoked(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member_id, code, facts = _printed(sessions)
    assert kiosk.batch([item("certificate.issue", registration(code, facts), member_id,
                             created_at="2026-01-05T02:00:00+00:00")])[0]["status"] == "accepted"
    page = kiosk.client.get(f"/verify/{code}")
    assert "data-status='expired'" in page.text and "2026-02-04" in page.text  # 30 days ([certificates])
    with sessions.begin() as session:
        session.execute(update(CertificateRow).where(CertificateRow.code == code).values(revoked=True))
    assert kiosk.post("/v1/certificates/verify", {"code": code}).json()["status"] == "revoked"

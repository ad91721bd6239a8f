"""Member sessions: no personal data without one, masked data for the session member only, proofs on items.

The OpenAPI walk calls every path of /openapi.json with a valid kiosk signature and no session,
path parameters filled with real seeded member, loan and case ids, and looks for any seeded
member's full ID number, phone, card number or name in every answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from domain.member_token import issue_token
from ledger import sessions as ms
from ledger.app import create_app
from ledger.models import Case, Loan, Member
from ledger.models_sessions import MemberReadAlert, MemberSession
from ledger.seed import demo_password
from ledger.settings import LedgerSettings
from protocol.sessions import SESSION_HEADER
from tests.ledger.conftest import SignedTestClient, TestClient
from tests.ledger.items import balance, clean_members, item, rent
from tests.ledger.memberproof import member_token, open_session, qr_proof, session_headers, session_proof

OPEN = "/v1/sessions"


def _client(engine: Engine, **settings: Any) -> Iterator[SignedTestClient]:
    app = create_app(engine=engine, settings=LedgerSettings(fraud_screening=False, **settings))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield SignedTestClient(client)


@pytest.fixture
def roomy(engine: Engine) -> Iterator[SignedTestClient]:
    """A kiosk whose read limit does not get in the way of walking every route."""
    yield from _client(engine, member_reads_per_minute=10_000, distinct_members_alert=10_000)


def _people(sessions: sessionmaker[Session]) -> list[Member]:
    with sessions() as session:
        return list(session.scalars(select(Member)).all())


def _leaks(text: str, people: list[Member], *, except_member: str | None = None) -> list[str]:
    found = []
    for m in people:
        if m.member_id == except_member:
            continue
        values = [m.id_number, m.phone, m.cobranded_card, m.name]
        found += [f"{m.member_id}: {v}" for v in values if v and len(v) >= 2 and v in text]
    return found


def _fill(path: str, member: Member, loan_id: str, case_id: str) -> str:
    return (path.replace("{member_id}", member.member_id).replace("{loan_id}", loan_id)
            .replace("{case_id}", case_id).replace("{name}", "policy"))


def _bodies(path: str, member: Member) -> list[Any]:
    """An empty body, and a plausible one with the member's real data (what an attacker would send)."""
    password = demo_password(member.id_number)
    real = {"id_number": member.id_number, "password": password, "terminal_id": "DEMO-KIOSK-01",
            "status": {}, "items": [], "method": "card+password", "token": ""}
    if path.endswith("/lookup"):
        real = {"id_number": member.id_number}
    return [{}, real]


def test_no_route_gives_personal_data_to_a_kiosk_without_a_session(
        roomy: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    people = _people(sessions)
    with sessions() as session:
        loan = session.scalars(select(Loan)).first()
        case = session.scalars(select(Case)).first()
        assert loan is not None and case is not None
        owners = [session.get(Member, loan.member_id), session.get(Member, case.member_id), people[0]]
    roomy.batch([rent(people[0].member_id, 100)])  # so the withdrawal lists are not empty
    doc = roomy.client.get("/openapi.json").json()
    assert len(doc["paths"]) >= 14
    calls = 0
    for path, operations in doc["paths"].items():
        for method in operations:
            for member in owners:
                assert member is not None
                url = _fill(path, member, loan.loan_id, case.case_id)
                query = {"outlet": "总部服务大厅"} if path == "/v1/queue" else {}
                if query:
                    url += "?outlet=%E6%80%BB%E9%83%A8%E6%9C%8D%E5%8A%A1%E5%A4%A7%E5%8E%85"
                bodies = _bodies(path, member) if method in ("post", "put", "patch") else [None]
                for body in bodies:
                    response = roomy.request(method.upper(), url, body)
                    calls += 1
                    assert response.status_code < 500, (method, url, response.text)
                    assert _leaks(response.text, people) == [], (method, url, response.text[:300])
                    if "snapshot" in path or "schedule" in path:
                        assert response.status_code in (401, 403), (method, url)
    assert calls >= 40
    # the detector sees a leak when there is one: a counter reading by member id gets the full record
    counter = SignedTestClient(roomy.client, key_id="DEMO-COUNTER-01")
    full = counter.get(f"/v1/members/{people[0].member_id}/snapshot")
    assert full.status_code == 200 and _leaks(full.text, people)


def test_a_session_gives_masked_data_of_its_member_only(
        roomy: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    people = _people(sessions)
    with sessions() as session:
        loan_a, loan_b = session.scalars(select(Loan).limit(2)).all()
        member = session.get(Member, loan_a.member_id)
    assert member is not None and loan_b.member_id != member.member_id
    opened = roomy.post(OPEN, {"method": "card+password", "id_number": member.id_number,
                               "password": demo_password(member.id_number)}).json()
    assert opened["member_id"] == member.member_id and opened["method"] == "card+password"
    headers = session_headers(opened)
    snap = roomy.get("/v1/session/snapshot", headers=headers)
    assert snap.status_code == 200
    data = snap.json()
    assert data["member"]["member_id"] == member.member_id
    assert data["member"]["id_number"] == member.id_number[:4] + "*" * 10 + member.id_number[-4:]
    assert data["member"]["phone"] == member.phone[:3] + "****" + member.phone[-4:]
    assert data["member"]["name"].endswith(member.name[-1]) and data["member"]["name"] != member.name
    if member.cobranded_card:
        card = data["account"]["bank_account"]
        assert "*" in card and card[-4:] == member.cobranded_card[-4:]
    assert _leaks(snap.text, people) == []
    # the loan plan of the session member, and nobody else's
    plan = roomy.get(f"/v1/session/loans/{loan_a.loan_id}/schedule", headers=headers)
    assert plan.status_code == 200 and plan.json()["periods"]
    other = roomy.get(f"/v1/session/loans/{loan_b.loan_id}/schedule", headers=headers)
    assert other.status_code == 404
    # the by-id routes stay closed to a kiosk, with or without a session
    by_id = roomy.get(f"/v1/members/{loan_b.member_id}/snapshot", headers=headers)
    assert by_id.status_code == 401 and by_id.json()["error"]["code"] == "session_required"
    assert _leaks(by_id.text + other.text, people) == []


def test_every_authenticator_opens_a_session_and_a_wrong_answer_does_not(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    a, b = clean_members(sessions, limit=2)
    assert kiosk.post(OPEN, {"method": "password", "id_number": a.id_number,
                             "password": demo_password(a.id_number)}).status_code == 200
    wrong = kiosk.post(OPEN, {"method": "password", "id_number": a.id_number, "password": "000001"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "bad_password"
    assert kiosk.post(OPEN, {"method": "qr", "token": member_token(a.member_id)}).json()["member_id"] == a.member_id
    both = kiosk.post(OPEN, {"method": "card+qr", "id_number": a.id_number, "token": member_token(a.member_id)})
    assert both.status_code == 200 and both.json()["member_id"] == a.member_id
    mismatch = kiosk.post(OPEN, {"method": "card+qr", "id_number": b.id_number, "token": member_token(a.member_id)})
    assert mismatch.status_code == 401 and mismatch.json()["error"]["code"] == "card_token_mismatch"
    card_alone = kiosk.post(OPEN, {"method": "card", "id_number": a.id_number})
    assert card_alone.status_code == 400 and card_alone.json()["error"]["code"] == "unknown_method"
    assert "card+password" in card_alone.json()["error"]["en"]  # a card alone identifies, it never authorizes
    token = member_token(a.member_id)
    assert kiosk.post(OPEN, {"method": "qr", "token": token}).status_code == 200
    replay = kiosk.post(OPEN, {"method": "qr", "token": token})
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "token_replayed"
    forged = issue_token(Ed25519PrivateKey.generate(), "demo-2026", a.member_id, int(datetime.now(UTC).timestamp()))
    refused = kiosk.post(OPEN, {"method": "qr", "token": forged})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "token_bad_signature"
    with sessions() as session:  # only the hash of the bearer token is stored
        stored = session.scalars(select(MemberSession.token_hash)).all()
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in stored) and len(stored) == 4


@pytest.mark.allow_log_warnings  # a session presented by another terminal is logged as a warning
def test_a_session_is_bound_to_its_terminal_and_to_its_lifetime(
        kiosk: SignedTestClient, counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0]
    opened = open_session(kiosk, member.member_id)
    headers = session_headers(opened)
    assert kiosk.get("/v1/session/snapshot", headers=headers).status_code == 200
    elsewhere = counter.get("/v1/session/snapshot", headers=headers)
    assert elsewhere.status_code == 403 and elsewhere.json()["error"]["code"] == "session_other_terminal"
    assert elsewhere.json()["error"]["zh"] and elsewhere.json()["error"]["en"]
    forged = kiosk.get("/v1/session/snapshot", headers={SESSION_HEADER: opened["token"][:-2] + "xx"})
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "session_unknown"
    # expiry: the same token after its lifetime
    with sessions.begin() as session:
        row = session.get(MemberSession, opened["session_id"])
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    expired = kiosk.get("/v1/session/snapshot", headers=headers)
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "session_expired"
    # ended by the kiosk
    second = open_session(kiosk, member.member_id)
    assert kiosk.request("DELETE", "/v1/session", headers=session_headers(second)).status_code == 200
    ended = kiosk.get("/v1/session/snapshot", headers=session_headers(second))
    assert ended.status_code == 401 and ended.json()["error"]["code"] == "session_expired"


@pytest.mark.allow_log_warnings
def test_other_terminal_is_logged(kiosk: SignedTestClient, counter: SignedTestClient,
                                  sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture) -> None:
    member = clean_members(sessions)[0]
    opened = open_session(kiosk, member.member_id)
    counter.get("/v1/session/snapshot", headers=session_headers(opened))
    assert any("presented by DEMO-COUNTER-01" in r.getMessage() for r in caplog.records)


@pytest.mark.allow_log_warnings
def test_reads_are_rate_limited_per_terminal_with_an_alert_on_many_members(
        engine: Engine, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture) -> None:
    people = clean_members(sessions, limit=4)
    for kiosk in _client(engine, member_reads_per_minute=3):
        m = people[0]
        wrong = {"id_number": m.id_number, "password": "000001"}  # guessing passwords is what the limit slows
        answers = [kiosk.post("/v1/members/verify-password", wrong).status_code for _ in range(3)]
        assert answers == [401, 401, 401]
        limited = kiosk.post(OPEN, {"method": "qr", "token": member_token(m.member_id)})
        assert limited.status_code == 429 and limited.json()["error"]["zh"] and limited.json()["error"]["en"]
        counter = SignedTestClient(kiosk.client, key_id="DEMO-COUNTER-01")  # the limit is per terminal
        assert counter.post("/v1/members/lookup", {"id_number": m.id_number}).status_code == 200
    for kiosk in _client(engine, member_reads_per_minute=1000, distinct_members_alert=3):
        for m in people[:2]:
            open_session(kiosk, m.member_id)
        with sessions() as session:
            assert session.scalars(select(MemberReadAlert)).all() == []
        open_session(kiosk, people[2].member_id)
        open_session(kiosk, people[3].member_id)  # still one alert per window
        with sessions() as session:
            alerts = session.scalars(select(MemberReadAlert)).all()
        assert [(a.terminal_id, a.distinct_members) for a in alerts] == [("DEMO-KIOSK-01", 3)]
        assert any("read 3 distinct members" in r.getMessage() for r in caplog.records)
        assert [a.terminal_id for a in ms.alerts(sessions)] == ["DEMO-KIOSK-01"]


def test_a_withdrawal_without_the_members_proof_moves_no_money(
        kiosk: SignedTestClient, counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    a, b = clean_members(sessions, limit=2)
    before = balance(sessions, a.member_id)
    bare = kiosk.batch([rent(a.member_id, 10_000, proof=False)])[0]
    assert bare["status"] == "rejected" and bare["reason"]["code"] == "member_proof_missing"
    assert "本人" in bare["reason"]["zh"] and "member" in bare["reason"]["en"]
    for kind, payload in (("loan_offset.sign", {"loan_id": "X", "mode": "monthly", "channel": "kiosk"}),
                          ("cobranded_card.sign", {"bank": "建设银行", "card_number": "6217000010002000",
                                                   "channel": "kiosk"}),
                          ("transfer.apply", {"direction": "out", "counterpart_centre": "北京",
                                              "channel": "kiosk"})):
        refused = kiosk.batch([item(kind, payload, a.member_id, proof=False)])[0]
        assert refused["reason"]["code"] == "member_proof_missing", kind
    # a session of member B is no proof for member A
    opened_b = open_session(kiosk, b.member_id)
    wrong = kiosk.batch([item("withdrawal.apply", {**rent(a.member_id, 10_000, proof=False)["payload"],
                                                   "proof": session_proof(opened_b)}, a.member_id)])[0]
    assert wrong["status"] == "rejected" and wrong["reason"]["code"] == "member_proof_invalid"
    assert balance(sessions, a.member_id) == before
    # the member's own session: accepted
    opened_a = open_session(kiosk, a.member_id)
    good = kiosk.batch([item("withdrawal.apply", {**rent(a.member_id, 10_000, proof=False)["payload"],
                                                  "proof": session_proof(opened_a)}, a.member_id)])[0]
    assert good["status"] == "accepted", good
    assert balance(sessions, a.member_id) == before - 10_000
    # the session id from another terminal does not count, nor a session used after it ended
    other_terminal = counter.batch([item("withdrawal.apply", {**rent(a.member_id, 1, proof=False)["payload"],
                                                              "proof": session_proof(opened_a)}, a.member_id)])[0]
    assert other_terminal["status"] == "accepted"  # a counter's proof is its clerk: not checked here
    kiosk.request("DELETE", "/v1/session", headers=session_headers(opened_a))
    late = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    after_end = item("withdrawal.apply", {**rent(a.member_id, 10_000, proof=False)["payload"],
                                          "proof": session_proof(opened_a)}, a.member_id, created_at=late)
    refused = kiosk.batch([after_end])[0]
    assert refused["status"] == "rejected" and refused["reason"]["code"] == "member_proof_invalid"
    assert balance(sessions, a.member_id) == before - 10_000 - 1


def test_an_offline_item_with_the_members_qr_token_is_accepted_and_a_bad_token_is_not(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    a, b = clean_members(sessions, limit=2)
    before = balance(sessions, a.member_id)

    def with_token(token: str, member: Member = a, created_at: str | None = None) -> dict[str, Any]:
        payload = {**rent(member.member_id, 5_000, proof=False)["payload"], "proof": {"member_token": token}}
        return item("withdrawal.apply", payload, member.member_id, created_at=created_at)

    ok_token = member_token(a.member_id)
    first = with_token(ok_token)
    assert kiosk.batch([first])[0]["status"] == "accepted"
    assert kiosk.batch([first])[0]["status"] == "accepted"  # a resend of the same item: the stored answer
    reused = kiosk.batch([with_token(ok_token)])[0]
    assert reused["status"] == "rejected" and "already used" in reused["reason"]["en"]
    forged = issue_token(Ed25519PrivateKey.generate(), "demo-2026", a.member_id, int(datetime.now(UTC).timestamp()))
    old = datetime.now(UTC) - timedelta(hours=2)
    cases = {
        "forged": with_token(forged),
        "expired": with_token(member_token(a.member_id, now=old.timestamp(), lifetime_s=120)),
        "other member's": with_token(member_token(b.member_id)),
        "malformed": with_token("HPF1.bm90.aGVsbG8"),
    }
    for what, wire in cases.items():
        answer = kiosk.batch([wire])[0]
        assert answer["status"] == "rejected" and answer["reason"]["code"] == "member_proof_invalid", what
        assert answer["reason"]["zh"] and answer["reason"]["en"], what
    # a token valid when the item was made offline is accepted later, once
    made_then = with_token(member_token(a.member_id, now=old.timestamp()), created_at=old.isoformat())
    assert kiosk.batch([made_then])[0]["status"] == "accepted"
    assert balance(sessions, a.member_id) == before - 10_000


def test_the_qr_proof_helper_and_a_proof_for_a_non_money_kind_are_harmless(kiosk: SignedTestClient) -> None:
    rating = item("rating", {"score": 5, "service_item": "x", "channel": "kiosk", "proof": qr_proof("1")})
    assert kiosk.batch([rating])[0]["status"] == "accepted"


def test_a_new_authenticator_plugs_in_without_changing_the_rest(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    """A face-to-ID-photo match (人证核验) is one more class: here a stand-in that trusts a fixed match score."""
    member = clean_members(sessions)[0]

    class FaceMatch:
        method = "card+face"

        def authenticate(self, db: sessionmaker[Session], evidence: ms.Evidence, settings: LedgerSettings,
                         now: datetime) -> ms.Verified:
            if evidence.data.get("match") != "0.97":  # the real one compares the live photo with the ID photo
                raise ms.unauthorized("face_mismatch", "人像比对未通过。", "The face does not match the ID photo.")
            with db() as session:
                found = session.scalars(select(Member).where(Member.id_number == evidence.id_number)).one()
            return ms.Verified(found.member_id)

    monkeypatch.setitem(ms.AUTHENTICATORS, "card+face", FaceMatch())
    refused = kiosk.post(OPEN, {"method": "card+face", "id_number": member.id_number, "data": {"match": "0.2"}})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "face_mismatch"
    opened = kiosk.post(OPEN, {"method": "card+face", "id_number": member.id_number, "data": {"match": "0.97"}})
    assert opened.status_code == 200 and opened.json()["method"] == "card+face"
    snap = kiosk.get("/v1/session/snapshot", headers=session_headers(opened.json()))
    assert snap.status_code == 200 and snap.json()["member"]["member_id"] == member.member_id

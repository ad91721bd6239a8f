"""The ledger decides on facts it fetched from the exchange: forged facts, cards, outages, cache and the record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from domain.exchange_contract import Authorisation, LookupRequest, Topic
from exchange.app import create_app as create_exchange_app
from exchange.registry import DemoRegistry
from ledger.exchange.client import ExchangeClient, ExchangeUnavailableError
from ledger.exchange.settings import ExchangeSettings
from ledger.exchange.source import CentreEvidence, LookupContext
from ledger.models import Account, Case, Member, Withdrawal
from ledger.models_exchange import ExchangeLookup
from tests.ledger.conftest import InProcessExchange, SignedTestClient, TestClient
from tests.ledger.items import AUTHORISED, balance, clean_members, exchange_mode, item, tell
from tests.ledger.memberproof import open_session, session_headers

# What the forged request of issue 10 claimed: 人社 confirms retirement.
CLAIMS_RETIRED = {"retirement": {"retired": True, "retired_on": "2020-01-01", "source": "人社"}}
MADE_UP_CARD = "6222020000000000001"


def retirement(member_id: str, /, **extra: Any) -> dict[str, Any]:
    payload = {"withdrawal_type": "retirement", "amount_fen": None, "application_no": "TQ-FORGED",
               "channel": "kiosk", "authorisation": AUTHORISED, **extra}
    return item("withdrawal.apply", payload, member_id)


def _not_retired(sessions: sessionmaker[Session]) -> Member:
    with sessions() as session:
        found = [m for m in clean_members(sessions, limit=40) if not m.retired]
        assert found, "the template has members the ledger records as not retired"
        member = session.get(Member, found[0].member_id)
        assert member is not None and not member.retired
        return member


def _withdrawals(sessions: sessionmaker[Session], member_id: str) -> list[Withdrawal]:
    with sessions() as session:
        return list(session.scalars(select(Withdrawal).where(Withdrawal.member_id == member_id,
                                                             Withdrawal.idempotency_key.is_not(None))).all())


def test_the_forged_retirement_withdrawal_moves_no_money(kiosk: SignedTestClient,
                                                         sessions: sessionmaker[Session]) -> None:
    """Issue 10's attack: a kiosk-signed retirement withdrawal for a member who is not retired, claiming
    "人社 confirms retirement" and a made-up payout card, with a (forgeable) authorisation."""
    member = _not_retired(sessions)
    before = balance(sessions, member.member_id)
    result = kiosk.batch([retirement(member.member_id, shared=CLAIMS_RETIRED, payout_card=MADE_UP_CARD)])[0]
    assert result["status"] == "rejected"
    assert result["reason"]["code"] == "payout_card_not_verified" and result["reason"]["zh"] and result["reason"]["en"]
    # the same forged claim paid to the member's own card: decided on 人社's answer through the exchange
    own = kiosk.batch([retirement(member.member_id, shared=CLAIMS_RETIRED)])[0]
    assert own["status"] == "rejected" and own["reason"]["code"] == "withdrawal_rejected"
    assert "尚未办理退休" in own["reason"]["zh"] and "not retired" in own["reason"]["en"]
    assert balance(sessions, member.member_id) == before
    assert _withdrawals(sessions, member.member_id) == []
    with sessions() as session:
        asked = session.scalars(select(ExchangeLookup).where(ExchangeLookup.member_id == member.member_id)).all()
    assert {a.topic for a in asked} == {Topic.RETIREMENT, Topic.BANK_ACCOUNT}


def test_a_retired_members_application_is_approved_on_the_exchanges_facts(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    """The honest twin: the exchange says retired (whatever the payload says), so the balance is paid (秒批)."""
    member = _not_retired(sessions)
    tell(exchange_app, member.id_number, Topic.RETIREMENT, {"retired": True, "retired_on": "2025-06-30"})
    before = balance(sessions, member.member_id)
    claims_not = {"retirement": {"retired": False, "retired_on": None, "source": "人社"}}
    result = kiosk.batch([retirement(member.member_id, shared=claims_not)])[0]
    assert result["status"] == "accepted" and result["result"]["status"] == "approved", result
    assert result["result"]["instant"] is True and result["result"]["amount_fen"] == before
    assert balance(sessions, member.member_id) == 0


def test_a_fact_about_another_member_is_not_this_members_fact(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    """Variant: the payload carries another (retired) member's facts and id; the ledger asks about its own member."""
    member = _not_retired(sessions)
    with sessions() as session:
        someone = session.scalars(select(Member).where(Member.retired.is_(True))).first()
        assert someone is not None
    foreign = {"retirement": {"retired": True, "retired_on": "2020-01-01", "source": "人社"},
               "marriage": {"married": True, "spouse_id_number": someone.id_number, "spouse_member_id": "",
                            "source": "民政"}}
    before = balance(sessions, member.member_id)
    result = kiosk.batch([retirement(member.member_id, shared=foreign, id_number=someone.id_number,
                                     member_id=someone.member_id)])[0]
    assert result["status"] == "rejected" and result["reason"]["code"] == "withdrawal_rejected"
    assert balance(sessions, member.member_id) == before
    asked = {r["id_number"] for r in exchange_app.state.sim.received}
    assert asked == {member.id_number}, "only the item's member is looked up"


def test_a_card_that_is_not_the_members_is_refused_and_one_the_bank_confirms_is_paid(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    members = clean_members(sessions, limit=2)
    member, other = members[0], members[1]
    before = balance(sessions, member.member_id)
    # another member's real card: the bank says it is not this member's
    refused = kiosk.batch([item("withdrawal.apply", {
        "withdrawal_type": "rent", "amount_fen": 100_000, "application_no": "TQ-CARD", "channel": "kiosk",
        "payout_card": other.cobranded_card, "authorisation": AUTHORISED}, member.member_id)])[0]
    assert refused["status"] == "rejected" and refused["reason"]["code"] == "payout_card_not_verified"
    assert balance(sessions, member.member_id) == before
    # a second card of the member's own, confirmed by the bank through the exchange: paid there
    own_card = "6217000010000000045"
    tell(exchange_app, member.id_number, Topic.BANK_ACCOUNT, {"owner_matches": True, "card_last4": "0045"})
    paid = kiosk.batch([item("withdrawal.apply", {
        "withdrawal_type": "rent", "amount_fen": 100_000, "application_no": "TQ-CARD2", "channel": "kiosk",
        "payout_card": own_card, "authorisation": AUTHORISED}, member.member_id)])[0]
    assert paid["result"]["status"] == "approved", paid
    assert [w.payout_card for w in _withdrawals(sessions, member.member_id)] == [own_card]
    assert balance(sessions, member.member_id) == before - 100_000


def test_attestation_like_fields_from_a_kiosk_move_no_money(kiosk: SignedTestClient,
                                                            sessions: sessionmaker[Session]) -> None:
    """A kiosk payload dressed as a clerk's attestation of paper evidence is still just an application."""
    member = _not_retired(sessions)
    before = balance(sessions, member.member_id)
    attestation = {"clerk": "clerk-01", "supervisor": "supervisor-01", "approved": True,
                   "scan_ref": "SCAN-0001", "figures": {"retired_on": "2020-01-01"}}
    shared = {"retirement": {"retired": True, "retired_on": "2020-01-01", "source": "柜员核验"}}
    result = kiosk.batch([retirement(member.member_id, attestation=attestation, clerk_attestation=attestation,
                                     shared=shared)])[0]
    assert result["status"] == "rejected" and result["reason"]["code"] == "withdrawal_rejected"
    assert balance(sessions, member.member_id) == before and _withdrawals(sessions, member.member_id) == []


@pytest.mark.parametrize("mode", ["outage", "no_consent"])
def test_an_exchange_outage_routes_to_a_clerk_and_nothing_is_decided_on_stale_facts(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI, mode: str) -> None:
    member = clean_members(sessions)[0]
    before = balance(sessions, member.member_id)
    # the exchange said "retired" eight days ago: older than the retirement topic's limit (a week)
    with sessions.begin() as session:
        session.add(ExchangeLookup(
            at=datetime.now(UTC) - timedelta(days=8), member_id=member.member_id, topic=Topic.RETIREMENT,
            subject="", purpose="withdrawal.retirement", case_ref="old", operator="DEMO-KIOSK-01",
            operator_kind="terminal", authorisation=AUTHORISED, outcome="ok", request_id="r-old",
            facts={"retired": True, "retired_on": "2020-01-01"}, source="人社",
            as_of=datetime.now(UTC) - timedelta(days=8), signature="", detail=""))
    exchange_mode(exchange_app, "outage")
    payload_auth = {} if mode == "outage" else {"authorisation": None}
    result = kiosk.batch([retirement(member.member_id, **payload_auth)])[0]
    if mode == "no_consent":  # no authorisation: nothing may be asked, so materials are missing (not approved)
        assert result["status"] == "rejected" and result["reason"]["code"] == "missing_materials"
        assert balance(sessions, member.member_id) == before
        return
    assert result["status"] == "accepted" and result["result"]["status"] == "review", result
    reasons = {r["rule"]: r for r in result["result"]["reasons"]}
    assert "exchange.unavailable" in reasons
    assert "交换平台" in reasons["exchange.unavailable"]["zh"] and "exchange" in reasons["exchange.unavailable"]["en"]
    assert balance(sessions, member.member_id) == before, "the stale 'retired' fact paid nothing"
    case_id = result["result"]["case_id"]
    with sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.status == "submitted" and "交换平台" in case.summary
        rows = session.scalars(select(ExchangeLookup).where(ExchangeLookup.case_ref == result["idempotency_key"])
                               ).all()
    assert [(r.topic, r.outcome, r.from_cache) for r in rows] == [(Topic.RETIREMENT, "unavailable", False)]


def test_an_outage_does_not_hide_a_refusal_on_the_ledgers_own_data(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    member = clean_members(sessions)[0].member_id
    with sessions.begin() as session:
        session.execute(update(Account).where(Account.member_id == member)
                        .values(frozen=True, frozen_amount_fen=Account.balance_fen))
    exchange_mode(exchange_app, "outage")
    result = kiosk.batch([retirement(member)])[0]
    assert result["status"] == "rejected" and "冻结" in result["reason"]["zh"]


def test_every_look_up_is_recorded_and_a_fresh_answer_is_reused_a_stale_one_fetched_again(
        sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    member = clean_members(sessions)[0]
    settings = ExchangeSettings(max_age_s={Topic.PROPERTY_OWNERSHIP: 3600, Topic.MARRIAGE: 0})
    now = [datetime(2026, 12, 1, 8, 0, tzinfo=UTC)]
    client = ExchangeClient(settings, InProcessExchange(TestClient(exchange_app)))
    source = CentreEvidence(sessions, client, settings, clock=lambda: now[0])
    consent = Authorisation("kiosk_confirm", "2026-12-01T07:59:00+00:00", "TQ-1")
    ctx = LookupContext(member.member_id, member.id_number, "withdrawal.rent", "KEY-1", "DEMO-KIOSK-01",
                        "terminal", consent)
    topics = (Topic.PROPERTY_OWNERSHIP, Topic.MARRIAGE)
    exchange_app.state.sim.registry.overrides.clear()

    def asked() -> int:
        return len(exchange_app.state.sim.received)

    # the simulator stamps as_of with its own clock: pretend ours agrees
    now[0] = datetime.now(UTC)
    first = source.gather(ctx, topics)
    assert first.complete and first.shared.homes is not None and not first.shared.homes.owns_home
    assert asked() == 2
    now[0] += timedelta(minutes=30)
    second = source.gather(ctx, topics)
    assert asked() == 3, "ownership came from the cache; marriage (age limit 0) was asked again"
    assert second.shared.homes == first.shared.homes
    now[0] += timedelta(hours=2)  # older than the hour allowed: stale, fetched again
    source.gather(ctx, topics)
    assert asked() == 5
    with sessions() as session:
        rows = session.scalars(select(ExchangeLookup).where(ExchangeLookup.case_ref == "KEY-1")
                               .order_by(ExchangeLookup.id)).all()
    assert [(r.topic, r.from_cache) for r in rows] == [
        (Topic.PROPERTY_OWNERSHIP, False), (Topic.MARRIAGE, False), (Topic.PROPERTY_OWNERSHIP, True),
        (Topic.MARRIAGE, False), (Topic.PROPERTY_OWNERSHIP, False), (Topic.MARRIAGE, False)]
    record = rows[0]
    assert (record.operator, record.operator_kind, record.purpose) == ("DEMO-KIOSK-01", "terminal", "withdrawal.rent")
    assert record.authorisation["method"] == "kiosk_confirm" and record.authorisation["reference"] == "TQ-1"
    assert record.outcome == "no_record" and record.source == "不动产登记" and record.signature
    assert record.as_of is not None and record.at is not None
    # the exchange saw who asked, why, for which case and with which authorisation
    seen = exchange_app.state.sim.received[0]
    assert (seen["purpose"], seen["case_id"], seen["operator"]) == ("withdrawal.rent", "KEY-1", "DEMO-KIOSK-01")
    assert seen["authorisation"]["reference"] == "TQ-1"


class _Flaky:
    """An HTTP poster that times out, then refuses, then hands over to the real simulator."""

    def __init__(self, real: InProcessExchange, failures: list[BaseException]) -> None:
        self.real, self.failures, self.calls = real, failures, 0

    def post(self, url: str, *, json: Any, timeout: float) -> Any:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return self.real.post(url, json=json, timeout=timeout)


def _request(id_number: str) -> LookupRequest:
    return LookupRequest(Topic.RETIREMENT, id_number, "withdrawal.retirement", "K", "req-1",
                         Authorisation("kiosk_confirm", "2026-12-01T08:00:00+00:00"), "hpf-centre", "DEMO-KIOSK-01")


def test_the_client_retries_with_backoff_then_gives_up_with_a_reason(exchange_app: FastAPI,
                                                                     sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0]
    pauses: list[float] = []
    real = InProcessExchange(TestClient(exchange_app))
    flaky = _Flaky(real, [requests.Timeout(), requests.ConnectionError()])
    settings = ExchangeSettings(retries=2, backoff_s=0.1)
    answer = ExchangeClient(settings, flaky, sleep=pauses.append).lookup(_request(member.id_number))
    assert answer.facts["retired"] is member.retired and flaky.calls == 3
    assert pauses == [0.1, 0.2]
    always = _Flaky(real, [requests.Timeout()] * 3)
    with pytest.raises(ExchangeUnavailableError) as err:
        ExchangeClient(settings, always, sleep=pauses.append).lookup(_request(member.id_number))
    assert err.value.kind == "timeout" and "秒内未应答" in err.value.zh and always.calls == 3


@pytest.mark.allow_log_warnings
def test_an_answer_signed_with_another_key_or_about_someone_else_is_not_believed(
        sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0]
    impostor = create_exchange_app(DemoRegistry.seeded(40), key=Ed25519PrivateKey.generate())
    client = ExchangeClient(ExchangeSettings(retries=0), InProcessExchange(TestClient(impostor)))
    with pytest.raises(ExchangeUnavailableError) as err:
        client.lookup(_request(member.id_number))
    assert err.value.kind == "bad_answer"

    class Swapping(InProcessExchange):  # a man in the middle answering with another person's signed answer
        def post(self, url: str, *, json: Any, timeout: float) -> Any:
            return super().post(url, json={**json, "id_number": "140105199003071234"}, timeout=timeout)

    honest = create_exchange_app(DemoRegistry.seeded(40))
    swapped = ExchangeClient(ExchangeSettings(retries=0), Swapping(TestClient(honest)))
    with pytest.raises(ExchangeUnavailableError):
        swapped.lookup(_request(member.id_number))


def test_a_card_signing_stays_pending_until_the_bank_answers(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI,
        evidence: CentreEvidence) -> None:
    from ledger.exchange.pending import confirm_pending_cards
    from ledger.models import Agreement

    first, second = clean_members(sessions, limit=2)
    exchange_mode(exchange_app, "outage")
    for member, card in ((first, "6217000010000000052"), (second, "6217000010000000060")):
        sign = {"bank": "中国建设银行", "card_number": card, "channel": "kiosk", "authorisation": AUTHORISED}
        result = kiosk.batch([item("cobranded_card.sign", sign, member.member_id)])[0]
        assert result["result"]["status"] == "pending"
    assert confirm_pending_cards(sessions, evidence).still_pending == 2  # still down: nothing changes
    exchange_mode(exchange_app, "normal")
    tell(exchange_app, first.id_number, Topic.BANK_ACCOUNT, {"owner_matches": True})  # second: not his card
    outcome = confirm_pending_cards(sessions, evidence)
    assert (outcome.signed, outcome.refused, outcome.still_pending) == (1, 1, 0)
    with sessions() as session:
        cards = {m: session.get(Member, m).cobranded_card for m in (first.member_id, second.member_id)}  # type: ignore[union-attr]
        statuses = sorted(a.detail["status"] for a in session.scalars(select(Agreement).where(
            Agreement.kind == "cobranded_card")).all() if a.idempotency_key)
    assert cards == {first.member_id: "6217000010000000052", second.member_id: second.cobranded_card}
    assert statuses == ["refused_by_bank", "signed"]
    assert confirm_pending_cards(sessions, evidence) == type(outcome)(0, 0, 0)


def test_a_slow_exchange_is_waited_for_and_one_that_times_out_routes_to_a_clerk(
        engine: Any, sessions: sessionmaker[Session]) -> None:
    """Over real HTTP: latency within the ledger's timeout decides normally; past it, a clerk's case."""
    from exchange.testing import ExchangeThread, set_mode
    from ledger.app import create_app
    from ledger.settings import LedgerSettings

    first, second = clean_members(sessions, limit=2)
    before = balance(sessions, second.member_id)
    with ExchangeThread(members=40) as exchange:
        settings = LedgerSettings(fraud_screening=False, exchange=ExchangeSettings(
            url=exchange.url, timeout_s=0.5, retries=1, backoff_s=0.05))
        with TestClient(create_app(engine=engine, settings=settings), raise_server_exceptions=False) as client:
            kiosk = SignedTestClient(client)
            set_mode(exchange.url, "latency", latency_s=0.05)
            slow = kiosk.batch([item("withdrawal.apply", {
                "withdrawal_type": "rent", "amount_fen": 10_000, "application_no": "TQ-SLOW", "channel": "kiosk",
                "authorisation": AUTHORISED}, first.member_id)])[0]
            set_mode(exchange.url, "timeout", hang_s=1.2)
            hung = kiosk.batch([item("withdrawal.apply", {
                "withdrawal_type": "rent", "amount_fen": 10_000, "application_no": "TQ-HUNG", "channel": "kiosk",
                "authorisation": AUTHORISED}, second.member_id)])[0]
    assert slow["result"]["status"] == "approved", slow
    assert hung["status"] == "accepted" and hung["result"]["status"] == "review", hung
    reason = next(r for r in hung["result"]["reasons"] if r["rule"] == "exchange.unavailable")
    assert "0.5 秒内未应答" in reason["zh"] and "within 0.5 s" in reason["en"]
    with sessions() as session:
        outcomes = session.scalars(select(ExchangeLookup.outcome).where(
            ExchangeLookup.case_ref == hung["idempotency_key"])).all()
    assert set(outcomes) == {"timeout"}
    assert balance(sessions, second.member_id) == before, "nothing was paid on the case that timed out"



def test_the_preview_facts_come_from_the_exchange_masked_and_recorded(
        kiosk: SignedTestClient, counter: SignedTestClient, sessions: sessionmaker[Session],
        exchange_app: FastAPI) -> None:
    member, other = clean_members(sessions)[:2]
    tell(exchange_app, member.id_number, Topic.MARRIAGE, {"married": True, "spouse_id_number": "140105199003071234"})
    body_in = {"withdrawal_type": "rent", "authorisation": AUTHORISED}
    # personal data: a kiosk without the member's session learns nothing, not even whether they married
    alone = kiosk.post(f"/v1/members/{member.member_id}/facts", body_in)
    assert alone.status_code == 401 and alone.json()["error"]["code"] == "session_required"
    theirs = session_headers(open_session(kiosk, other.member_id))
    walked = kiosk.post(f"/v1/members/{member.member_id}/facts", body_in, headers=theirs)
    assert walked.status_code == 403 and walked.json()["error"]["code"] == "session_other_member"
    own = session_headers(open_session(kiosk, member.member_id))
    answer = kiosk.post(f"/v1/members/{member.member_id}/facts", body_in, headers=own)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["authorised"] is True and body["unavailable"] == []
    assert body["shared"]["marriage"]["married"] is True and body["shared"]["marriage"]["source"] == "民政"
    assert "140105199003071234" not in answer.text and body["shared"]["marriage"]["spouse_id_number"].endswith("1234")
    with sessions() as session:
        purposes = set(session.scalars(select(ExchangeLookup.purpose).where(
            ExchangeLookup.member_id == member.member_id)).all())
    assert purposes == {"preview.rent"}
    unasked = kiosk.post(f"/v1/members/{member.member_id}/facts", {"withdrawal_type": "rent"}, headers=own).json()
    assert unasked["authorised"] is False and unasked["shared"]["marriage"] is None
    bad = kiosk.post(f"/v1/members/{member.member_id}/facts", {"withdrawal_type": "lottery"}, headers=own)
    assert bad.status_code == 400 and bad.json()["error"]["zh"]
    at_counter = counter.post(f"/v1/members/{member.member_id}/facts", body_in)  # the clerk sees the member
    assert at_counter.status_code == 200 and at_counter.json()["shared"]["marriage"]["married"] is True
    nobody = counter.post("/v1/members/999999999999/facts", body_in)
    assert nobody.status_code == 404 and nobody.json()["error"]["en"]
    unsigned = kiosk.client.post(f"/v1/members/{member.member_id}/facts", json={"withdrawal_type": "rent"})
    assert unsigned.status_code == 401


def test_after_a_timeout_the_exchange_is_not_asked_again_for_a_while(exchange_app: FastAPI,
                                                                     sessions: sessionmaker[Session]) -> None:
    """A hung exchange must not make every item of a batch wait timeout × attempts: it fails fast, then heals."""
    member = clean_members(sessions)[0]
    clock = [1000.0]
    flaky = _Flaky(InProcessExchange(TestClient(exchange_app)), [requests.Timeout(), requests.Timeout()])
    client = ExchangeClient(ExchangeSettings(retries=1, backoff_s=0.1, timeout_pause_s=30), flaky,
                            sleep=lambda _s: None, clock=lambda: clock[0])
    with pytest.raises(ExchangeUnavailableError):
        client.lookup(_request(member.id_number))
    assert flaky.calls == 2
    clock[0] += 29
    with pytest.raises(ExchangeUnavailableError) as err:
        client.lookup(_request(member.id_number))
    assert flaky.calls == 2 and err.value.kind == "timeout" and err.value.zh and err.value.en  # not even asked
    clock[0] += 2
    assert client.lookup(_request(member.id_number)).facts["retired"] is member.retired
    assert flaky.calls == 3


def test_a_batch_builds_a_members_cached_facts_once_and_records_every_items_use(
        sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    """`gather_many` reuses the facts it built from the cache for a member's later items (ledger.exchange.source
    `_Served`), yet every item gets the evidence gathering it alone would give and its own record of each use."""
    first, second = clean_members(sessions)[:2]
    settings = ExchangeSettings()
    client = ExchangeClient(settings, InProcessExchange(TestClient(exchange_app)))
    source = CentreEvidence(sessions, client, settings)
    consent = Authorisation("kiosk_confirm", "2026-12-01T07:59:00+00:00", "TQ-2")
    rent = (Topic.PROPERTY_OWNERSHIP, Topic.MARRIAGE)
    purchase = (Topic.PROPERTY_REGISTRATION, Topic.PROPERTY_OWNERSHIP, Topic.MARRIAGE, Topic.HOUSEHOLD)
    card = {Topic.BANK_ACCOUNT: {"card_number": "6222020000000000001"}}

    def ctx(member: Member, key: str, authorised: bool = True) -> LookupContext:
        return LookupContext(member.member_id, member.id_number, "withdrawal.rent", key, "DEMO-KIOSK-01",
                             "terminal", consent if authorised else None)

    requests: list[tuple[LookupContext, tuple[str, ...], dict[str, dict[str, str]]]] = [
        (ctx(first, "B-1"), rent, {}), (ctx(second, "B-2"), rent, {}), (ctx(first, "B-3"), rent, {}),
        (ctx(first, "B-4"), purchase, {}), (ctx(first, "B-5"), (*rent, Topic.BANK_ACCOUNT), card),
        (ctx(first, "B-6", authorised=False), rent, {}), (ctx(first, "B-7"), rent, {}),
        (ctx(first, "B-8"), (*rent, Topic.BANK_ACCOUNT), card)]
    cold = source.gather_many(requests)  # the first use of each topic is asked; the later ones come from the cache
    asked = len(exchange_app.state.sim.received)
    warm = source.gather_many(requests)  # every topic from the cache
    assert len(exchange_app.state.sim.received) == asked
    alone = [source.gather(c, topics, params, defer_cache_records=True) for c, topics, params in requests]
    assert cold[0].deferred == () and cold[2].deferred, "asked at once, then served from what was fetched"
    for batch in (cold, warm):
        for together, by_itself in zip(batch, alone, strict=True):
            assert (together.shared, together.unavailable, together.card_owned, together.authorised) == (
                by_itself.shared, by_itself.unavailable, by_itself.card_owned, by_itself.authorised)
    assert warm[0].shared.homes is not None and warm[0].shared.marriage is not None
    assert warm[3].shared.purchases is not None and warm[3].shared.children is not None
    assert warm[4].card_owned is not None and warm[0].card_owned is None
    assert warm[2].shared is warm[0].shared and warm[6].shared is warm[0].shared, "built once for the member"
    # every item records each of its topics' cache uses itself: its own key, purpose and authorisation
    for together, by_itself, (c, topics, _) in zip(warm, alone, requests, strict=True):
        expected = [] if c.authorisation is None else list(topics)
        assert [r["topic"] for r in together.deferred] == expected
        assert all(r["case_ref"] == c.case_ref and r["from_cache"] and r["member_id"] == c.member_id
                   and r["authorisation"] == consent.to_json() for r in together.deferred)
        strip = [{k: v for k, v in r.items() if k != "at"} for r in together.deferred]
        assert strip == [{k: v for k, v in r.items() if k != "at"} for r in by_itself.deferred]
    with sessions.begin() as session:  # the rows are what the ledger stores with each item
        session.add_all(row for evidence in warm for row in evidence.deferred_rows())
    with sessions() as session:
        stored = session.scalars(select(ExchangeLookup).where(ExchangeLookup.case_ref == "B-8",
                                                              ExchangeLookup.from_cache.is_(True))).all()
    assert len(stored) >= 3 and all(r.facts is not None and r.request_id for r in stored)

"""Issue 10 end to end: `hpf-ledger serve` and `hpf-exchange serve` as real processes on loopback.

The forged request and its variants move no money; the exchange's outage sends cases to a clerk;
a ledger SIGKILLed while a terminal drains withdrawals leaves row counts and balances right to the fen.
"""

from __future__ import annotations

import json
import random
import shutil
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from exchange.testing import ExchangeProcess, set_mode
from ledger.testing import LedgerProcess, SignedClient, demo_key_path
from sync.client import LedgerClient
from sync.engine import EngineSettings, SyncEngine
from sync.outbox import ACKNOWLEDGED, PARKED, REJECTED, Outbox
from sync.store import open_store
from tests.ledger.memberproof import proof_payload, qr_proof
from tests.sync.helpers import AUTHORISED, withdrawal
from tests.sync.ledgerdb import DEMO_TERMINAL, facts, members_with_balance, seed_template

SECRET = str(demo_key_path("DEMO-KIOSK-01"))  # the demo kiosk's private key file
TOTAL = 150  # withdrawals the terminal drains while its ledger is killed three times
CLAIMS_RETIRED = {"retirement": {"retired": True, "retired_on": "2020-01-01", "source": "人社"}}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_template(tmp_path_factory.mktemp("e2e-template") / "ledger.db")


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExchangeProcess]:
    with ExchangeProcess(members=40, log_path=tmp_path_factory.mktemp("exchange") / "exchange.log") as process:
        yield process


@pytest.fixture
def db_url(template: Path, tmp_path: Path) -> str:
    shutil.copyfile(template, tmp_path / "ledger.db")
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture
def ledger(db_url: str, tmp_path: Path, exchange: ExchangeProcess) -> Iterator[LedgerProcess]:
    set_mode(exchange.url, "normal")
    with LedgerProcess(db_url, log_path=tmp_path / "ledger.log", exchange_url=exchange.url) as process:
        yield process
    set_mode(exchange.url, "normal")


def _members(db_url: str) -> list[tuple[str, str, int]]:
    """(member id, the co-branded card, balance) of members the ledger records as not retired, with a usable
    account and a card."""
    db = create_engine(db_url)
    with db.connect() as conn:
        rows = conn.execute(text(
            "SELECT m.member_id, m.cobranded_card, a.balance_fen FROM members m JOIN accounts a "
            "ON a.member_id = m.member_id WHERE a.status_code = '01' AND NOT a.frozen AND NOT a.pledged "
            "AND m.cobranded_card != '' AND NOT m.retired AND a.balance_fen > 100000 ORDER BY m.member_id")).all()
    db.dispose()
    assert len(rows) >= 2
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]


def _item(member_id: str, payload: dict[str, Any], *, proof: bool = True) -> dict[str, Any]:
    """A kiosk's application; with `proof`, the member's QR token rides along (the member was there), so the
    tests below show that even a present member's application is decided on the exchange's facts alone."""
    return {"idempotency_key": uuid.uuid4().hex, "kind": "withdrawal.apply", "member_id": member_id,
            "created_at": datetime.now(UTC).isoformat(),
            "payload": proof_payload(payload, member_id) if proof else payload}


def _paid(db_url: str) -> tuple[int, dict[str, int]]:
    db = create_engine(db_url)
    with db.connect() as conn:
        count = conn.execute(text("SELECT COUNT(*) FROM withdrawals WHERE idempotency_key IS NOT NULL")).scalar_one()
        balances = {str(r[0]): int(r[1]) for r in conn.execute(text("SELECT member_id, balance_fen FROM accounts"))}
    db.dispose()
    return int(count), balances


def test_the_forged_request_and_its_variants_move_no_money(ledger: LedgerProcess, db_url: str) -> None:
    (member, card, _), (other, other_card, _) = _members(db_url)[:2]
    _, before = _paid(db_url)
    forged = {"withdrawal_type": "retirement", "amount_fen": None, "application_no": "TQ-FORGED", "channel": "kiosk",
              "authorisation": AUTHORISED, "shared": CLAIMS_RETIRED}
    client = SignedClient(ledger.url)
    try:
        results = client.send_batch([
            _item(member, {**forged, "payout_card": "6222020000000000001"}),     # the made-up card
            _item(member, forged),                                                # the member's own card
            _item(member, {**forged, "payout_card": other_card}),                # a card not the member's
            _item(member, {**forged, "shared": {"retirement": {"retired": True, "retired_on": None,
                                                               "source": "人社"}},
                           "about": other, "id_number": "140105199003071234"}),  # a fact for another member
            _item(member, {**forged, "clerk_attestation": {"clerk": "clerk-01", "supervisor": "supervisor-01",
                                                           "approved": True, "scan_ref": "S-1"}}),
            _item(member, forged, proof=False),                                   # no member present at all
        ])
    finally:
        client.close()
    assert [r["status"] for r in results] == ["rejected"] * 6, results
    assert [r["reason"]["code"] for r in results] == ["payout_card_not_verified", "withdrawal_rejected",
                                                      "payout_card_not_verified", "withdrawal_rejected",
                                                      "withdrawal_rejected", "member_proof_missing"]
    assert all(r["reason"]["zh"] and r["reason"]["en"] for r in results)
    count, after = _paid(db_url)
    assert count == 0 and after == before, "no money moved for anyone"
    assert card and other


def test_the_exchanges_outage_routes_cases_to_a_clerk(ledger: LedgerProcess, db_url: str,
                                                      exchange: ExchangeProcess) -> None:
    member, _, before = _members(db_url)[0]
    set_mode(exchange.url, "outage")
    client = SignedClient(ledger.url)
    try:
        down = client.send_batch([_item(member, {"withdrawal_type": "retirement", "amount_fen": None,
                                                 "application_no": "TQ-OUT", "channel": "kiosk",
                                                 "authorisation": AUTHORISED})])[0]
        set_mode(exchange.url, "no_record")  # 人社 answers and holds no retirement record: refused, not paid
        unknown = client.send_batch([_item(member, {"withdrawal_type": "retirement", "amount_fen": None,
                                                    "application_no": "TQ-NR", "channel": "kiosk",
                                                    "authorisation": AUTHORISED})])[0]
        cases = SignedClient(ledger.url, key_id="DEMO-COUNTER-01")
        listed = cases.get("/v1/cases?status=submitted").json()["cases"]
        cases.close()
    finally:
        client.close()
    assert down["status"] == "accepted" and down["result"]["status"] == "review", down
    assert any(r["rule"] == "exchange.unavailable" and r["zh"] and r["en"] for r in down["result"]["reasons"])
    assert down["result"]["case_id"] in {c["case_id"] for c in listed}
    assert unknown["status"] == "rejected" and unknown["reason"]["code"] == "withdrawal_rejected"
    _, balances = _paid(db_url)
    assert balances[member] == before


@pytest.mark.slow
def test_a_ledger_killed_while_a_terminal_drains_withdrawals_keeps_counts_and_balances(
        db_url: str, tmp_path: Path, exchange: ExchangeProcess) -> None:
    set_mode(exchange.url, "normal")
    db = create_engine(db_url)
    members = members_with_balance(db, 200_000)[:6]
    before = facts(db).balances
    store = open_store(tmp_path / "terminal.db")
    outbox = Outbox(store, DEMO_TERMINAL)
    rng = random.Random(7)
    for _ in range(TOTAL):
        amount, member = rng.randint(1, 50_000), rng.choice(members)
        # a kiosk's money-moving item carries the member's proof (here the app's QR token)
        outbox.enqueue("withdrawal.apply", withdrawal(amount, proof=qr_proof(member)), member_id=member)
    ledger = LedgerProcess(db_url, log_path=tmp_path / "ledger.log", exchange_url=exchange.url).start()
    engine = SyncEngine(outbox, LedgerClient(ledger.url, DEMO_TERMINAL, SECRET, timeout_s=2),
                        lock_path=tmp_path / "sender.lock", rng=random.Random(0),
                        settings=EngineSettings(batch_size=10, interval_s=0.02, backoff_base_s=0.02,
                                                backoff_max_s=0.2))
    kills = 0
    engine.start()
    try:
        for threshold in (25, 60, 95):  # SIGKILL the ledger three times mid-drain, restart it on the same port
            while outbox.counts().acknowledged < threshold:
                time.sleep(0.005)
            ledger.kill()
            kills += 1
            ledger = LedgerProcess(db_url, port=ledger.port, log_path=tmp_path / "ledger.log",
                                   exchange_url=exchange.url).start()
        deadline = time.monotonic() + 120
        while outbox.counts().unsent and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        engine.stop()
        ledger.stop()
    items = outbox.items()
    store.close()
    after = facts(db)
    db.dispose()
    assert kills == 3 and len(items) == TOTAL
    assert not [i for i in items if i.state == PARKED] and outbox.counts().unsent == 0
    # row counts: one transaction row per key, one withdrawal row per approved key, nothing else
    assert set(after.per_key) == {i.idempotency_key for i in items} and max(after.per_key.values()) == 1
    states = {ACKNOWLEDGED: "accepted", REJECTED: "rejected"}
    assert {i.idempotency_key: states[i.state] for i in items} == after.status
    approved = {i.idempotency_key for i in items if i.state == ACKNOWLEDGED}
    assert set(after.withdrawals_per_key) == approved and max(after.withdrawals_per_key.values()) == 1
    assert len(approved) > TOTAL // 2
    # balances to the fen: each member's balance fell by exactly the withdrawals approved for them, once
    amounts = {i.idempotency_key: (i.member_id, int(json.loads(i.payload)["amount_fen"]))
               for i in items}
    expected: dict[str, int] = {}
    for key in approved:
        member, fen = amounts[key]
        assert member is not None
        expected[member] = expected.get(member, 0) + fen
    for member in members:
        assert before[member] - after.balances[member] == expected.get(member, 0), member
    assert sum(before.values()) - sum(after.balances.values()) == after.amount_fen == sum(expected.values())

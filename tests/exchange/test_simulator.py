"""The exchange simulator (`hpf-exchange`): the contract, its demo people, its modes, its refusals."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.demo_people import demo_people
from domain.exchange_contract import (
    DEMO_PUBLIC_KEY,
    LOAN_TOPICS,
    TOPICS,
    Authorisation,
    ContractError,
    LookupRequest,
    Topic,
    public_key,
    verify_response,
)
from exchange import cli
from exchange.app import create_app
from exchange.registry import DemoRegistry
from ledger.db import make_engine
from ledger.models import Member
from ledger.seed import seed_demo
from tests.architecture import violations

with warnings.catch_warnings():
    # Starlette 1.x warns that its TestClient will move from httpx to httpx2; httpx is what we install.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

PEOPLE = demo_people(12)


def _request(topic: str, id_number: str, **params: str) -> LookupRequest:
    return LookupRequest(topic, id_number, "withdrawal.test", "CASE-1", f"req-{topic}",
                         Authorisation("kiosk_confirm", "2026-12-01T08:00:00+00:00", "TQ1"), "hpf-centre",
                         "DEMO-KIOSK-01", params)


def _ask(client: TestClient, request: LookupRequest) -> Any:
    response = client.post("/v1/lookup", json=request.to_json())
    assert response.status_code == 200, response.text
    return verify_response(response.json(), request, public_key(DEMO_PUBLIC_KEY))


def test_the_simulator_knows_the_same_people_as_the_ledger_seed(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'l.db'}")
    seed_demo(engine, 12)
    with Session(engine) as s:
        members = {m.member_id: (m.id_number, m.retired, m.cobranded_card, m.owns_home_in_city)
                   for m in s.scalars(select(Member)).all()}
    engine.dispose()
    assert members == {p.member_id: (p.id_number, p.retired, p.card, p.owns_home_in_city) for p in PEOPLE}
    assert demo_people(200)[:12] == PEOPLE, "a larger simulator knows the smaller ledger's people"


def test_every_topic_answers_signed_facts_about_the_person_asked() -> None:
    client = TestClient(create_app(DemoRegistry.seeded(12)))
    person = next(p for p in PEOPLE if p.card and p.owns_home_in_city)
    for topic in TOPICS:
        if topic in LOAN_TOPICS:
            continue  # they take their own parameters: tests/exchange/test_loan_topics.py
        params = {"card_number": person.card} if topic == Topic.BANK_ACCOUNT else {}
        answer = _ask(client, _request(topic, person.id_number, **params))
        assert answer.id_number == person.id_number and answer.topic == topic
        assert answer.source == TOPICS[topic].department.value and answer.as_of.tzinfo is not None
    assert _ask(client, _request(Topic.BANK_ACCOUNT, person.id_number, card_number=person.card)).facts[
        "owner_matches"] is True
    someone_else = next(p for p in PEOPLE if p.card and p.card != person.card)
    assert _ask(client, _request(Topic.BANK_ACCOUNT, person.id_number, card_number=someone_else.card)).facts[
        "owner_matches"] is False
    assert _ask(client, _request(Topic.PROPERTY_OWNERSHIP, person.id_number)).facts == {
        "property_ids": [person.home_property_id]}
    unknown = _ask(client, _request(Topic.RETIREMENT, "140105199003071234"))
    assert unknown.status.value == "no_record" and unknown.facts == {}


def test_a_tampered_answer_fails_verification() -> None:
    client = TestClient(create_app(DemoRegistry.seeded(12)))
    request = _request(Topic.RETIREMENT, PEOPLE[0].id_number)
    envelope = client.post("/v1/lookup", json=request.to_json()).json()
    envelope["body"]["facts"]["retired"] = not envelope["body"]["facts"]["retired"]
    with pytest.raises(ContractError, match="signature"):
        verify_response(envelope, request, public_key(DEMO_PUBLIC_KEY))


@pytest.mark.parametrize("broken", [
    {"topic": "credit.report"},                  # not a topic (yet)
    {"authorisation": None},                     # no consent, no look-up
    {"id_number": ""},
    {"params": {"card": "1"}},                   # the bank topic needs card_number
])
def test_a_bad_request_is_a_bilingual_400(broken: dict[str, Any]) -> None:
    client = TestClient(create_app(DemoRegistry.seeded(12)))
    body = {**_request(Topic.BANK_ACCOUNT, PEOPLE[0].id_number, card_number="1").to_json(), **broken}
    response = client.post("/v1/lookup", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["zh"] and error["en"] and error["zh"] != error["en"]
    assert client.post("/v1/lookup", content=b"{not json").status_code == 400


def test_modes_outage_no_record_and_latency_from_the_admin_endpoint() -> None:
    app = create_app(DemoRegistry.seeded(12))
    client = TestClient(app)
    request = _request(Topic.RETIREMENT, PEOPLE[0].id_number)
    assert client.post("/admin/mode", json={"mode": "outage"}).json()["mode"] == "outage"
    down = client.post("/v1/lookup", json=request.to_json())
    assert down.status_code == 503 and down.json()["error"]["zh"]
    client.post("/admin/mode", json={"mode": "no_record"})
    assert _ask(client, request).status.value == "no_record"
    client.post("/admin/mode", json={"mode": "latency", "latency_s": 0.01})
    assert _ask(client, request).status.value == "ok"
    assert client.get("/v1/health").json()["mode"] == "latency"
    assert client.post("/admin/mode", json={"mode": "sideways"}).status_code == 422
    assert [r["mode"] for r in client.get("/admin/lookups").json()["lookups"]] == [
        "outage", "no_record", "latency"]
    seen = client.get("/admin/lookups").json()["lookups"][0]
    assert (seen["purpose"], seen["case_id"], seen["authorisation"]["reference"]) == ("withdrawal.test", "CASE-1",
                                                                                       "TQ1")


def test_the_cli_refuses_bad_numbers_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--members", "0"]) == 2
    assert "at least 1" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["serve", "--mode", "sideways"])


def test_the_exchange_and_the_ledger_do_not_import_each_other(tmp_path: Path) -> None:
    tree = {"exchange/app.py": "from ledger import models\n", "ledger/rules.py": "import exchange.app\n",
            "domain/x.py": "", "kiosk/demo.py": "from exchange.testing import ExchangeProcess\n"}
    for name, text in tree.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    found = violations(tmp_path)
    assert len(found) == 2
    assert any("exchange (layer 2) imports ledger" in v for v in found)
    assert any("ledger (layer 2) imports exchange" in v for v in found)

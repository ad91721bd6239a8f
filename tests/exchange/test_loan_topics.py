"""The exchange's loan topics (issue 11): 征信 only with a signed authorisation, 网签合同, 不动产,
抵押登记 (a write)."""

from __future__ import annotations

import warnings
from typing import Any

from domain import demo_loans
from domain.demo_people import demo_people
from domain.exchange_contract import DEMO_PUBLIC_KEY, Authorisation, LookupRequest, Topic, public_key, verify_response
from exchange.app import create_app
from exchange.registry import DemoRegistry

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

PEOPLE = demo_people(12)
SIGNED = Authorisation("counter_form", "2026-12-01T08:00:00+00:00", "CAM-AUTH-1", "SIG-1")


def _request(topic: str, id_number: str, n: int = 1, *, auth: Authorisation = SIGNED, **params: str) -> LookupRequest:
    return LookupRequest(topic, id_number, "loan.review", "DK1", f"req-{topic}-{n}", auth, "hpf-centre", "clerk-01",
                         params)


def _ask(client: TestClient, request: LookupRequest) -> Any:
    response = client.post("/v1/lookup", json=request.to_json())
    assert response.status_code == 200, response.text
    return verify_response(response.json(), request, public_key(DEMO_PUBLIC_KEY))


def test_the_credit_report_needs_the_signed_authorisation() -> None:
    client = TestClient(create_app(DemoRegistry.seeded(12)))
    person = PEOPLE[0]
    for unsigned in (Authorisation("counter_form", "2026-12-01T08:00:00+00:00", "CAM-1", ""),
                     Authorisation("counter_form", "2026-12-01T08:00:00+00:00", "", "SIG-1")):
        request = _request(Topic.CREDIT_REPORT, person.id_number, auth=unsigned)
        refused = client.post("/v1/lookup", json=request.to_json())
        assert refused.status_code == 400 and "签名授权" in refused.json()["error"]["zh"]
    answer = _ask(client, _request(Topic.CREDIT_REPORT, person.id_number))
    assert answer.source == "人民银行征信" and "overdue_now" in answer.facts
    kinds = {demo_loans.credit_class(p) for p in demo_people(40)}
    assert kinds == {"clean", "adverse", "overdue_now"}, "the demo people include each kind of credit report"


def test_the_purchase_contract_and_the_property_answer_only_about_their_own() -> None:
    client = TestClient(create_app(DemoRegistry.seeded(12)))
    buyer, other = PEOPLE[0], PEOPLE[1]
    number = demo_loans.contract_no_for(buyer)
    found = _ask(client, _request(Topic.PURCHASE_CONTRACT, buyer.id_number, contract_no=number))
    assert found.facts["buyer_id_numbers"] == [buyer.id_number] and found.facts["seller_account"]
    assert _ask(client, _request(Topic.PURCHASE_CONTRACT, other.id_number, contract_no=number)).status.value == \
        "no_record", "someone else's contract is not answered"
    mortgaged = demo_loans.contract_no_for(buyer, mortgaged=True)
    cert = _ask(client, _request(Topic.PURCHASE_CONTRACT, buyer.id_number, 2, contract_no=mortgaged)).facts[
        "certificate_no"]
    assert _ask(client, _request(Topic.PROPERTY, buyer.id_number, certificate_no=cert)).facts["mortgaged"] is True
    by_address = _ask(client, _request(Topic.PROPERTY, buyer.id_number, 3, address=found.facts["address"]))
    assert by_address.facts["certificate_no"] == found.facts["certificate_no"] and not by_address.facts["mortgaged"]
    neither = client.post("/v1/lookup", json=_request(Topic.PROPERTY, buyer.id_number, n=4).to_json())
    assert neither.status_code == 400


def test_the_mortgage_registration_is_a_write_with_a_receipt_completed_later() -> None:
    app = create_app(DemoRegistry.seeded(12))
    client = TestClient(app)
    person = PEOPLE[0]
    client.post("/admin/mortgages", json={"complete_on_poll": 2}).raise_for_status()
    params = {"certificate_no": "C-1", "loan_amount_fen": "10000000", "contract_no": "HT1", "mortgagee": "中心"}
    receipt = _ask(client, _request(Topic.MORTGAGE_REGISTRATION, person.id_number, **params)).facts
    again = _ask(client, _request(Topic.MORTGAGE_REGISTRATION, person.id_number, 2, **params)).facts
    assert receipt["receipt_no"] == again["receipt_no"] and receipt["status"] == "pending", "a retry keeps one receipt"
    first = _ask(client, _request(Topic.MORTGAGE_STATUS, person.id_number, receipt_no=receipt["receipt_no"])).facts
    second = _ask(client, _request(Topic.MORTGAGE_STATUS, person.id_number, 2, receipt_no=receipt["receipt_no"])).facts
    assert (first["status"], second["status"]) == ("pending", "registered") and second["registration_no"]
    stranger = _ask(client, _request(Topic.MORTGAGE_STATUS, PEOPLE[1].id_number, 3,
                                     receipt_no=receipt["receipt_no"]))
    assert stranger.status.value == "no_record"
    other = _ask(client, _request(Topic.MORTGAGE_REGISTRATION, PEOPLE[1].id_number, 3,
                                  **{**params, "contract_no": "HT2"}))
    client.post("/admin/mortgages", json={"complete_on_poll": 0}).raise_for_status()
    assert client.post(f"/admin/mortgages/{other.facts['receipt_no']}/complete").status_code == 200
    done = _ask(client, _request(Topic.MORTGAGE_STATUS, PEOPLE[1].id_number, 4, receipt_no=other.facts["receipt_no"]))
    assert done.facts["status"] == "registered"
    assert client.post("/admin/mortgages/DY-NONE/complete").status_code == 404


def test_a_mortgage_registration_can_take_time_at_the_registry() -> None:
    now = [100.0]
    registry = DemoRegistry.seeded(12)
    registry.mortgages.delay_s, registry.mortgages.clock = 30.0, lambda: now[0]
    client = TestClient(create_app(registry))
    person = PEOPLE[2]
    params = {"certificate_no": "C-9", "loan_amount_fen": "100", "contract_no": "HT9", "mortgagee": "中心"}
    receipt = _ask(client, _request(Topic.MORTGAGE_REGISTRATION, person.id_number, **params)).facts["receipt_no"]
    early = _ask(client, _request(Topic.MORTGAGE_STATUS, person.id_number, 2, receipt_no=receipt)).facts
    now[0] += 30.0
    later = _ask(client, _request(Topic.MORTGAGE_STATUS, person.id_number, 3, receipt_no=receipt)).facts
    assert (early["status"], later["status"]) == ("pending", "registered")

"""domain.transactions: payload schemas, money as integer fen, keys and the payload fingerprint."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import transactions as tx

VALID: dict[str, dict[str, Any]] = {
    "withdrawal.apply": {"withdrawal_type": "rent", "amount_fen": 100, "application_no": "TQ1", "channel": "kiosk"},
    "loan_offset.sign": {"loan_id": "DK1", "mode": "monthly", "channel": "counter"},
    "transfer.apply": {"direction": "in", "counterpart_centre": "晋中", "counterpart_account": "1", "channel": "web"},
    "cobranded_card.sign": {"bank": "中国银行", "card_number": "6216 6100 0000 0000 1", "channel": "kiosk"},
    "case.action": {"case_id": "C1", "action": "open", "actor": "clerk", "item_code": "loan_application"},
    "queue.ticket": {"ticket_no": "A001", "outlet": "总部服务大厅", "business": "提取"},
    "queue.event": {"ticket_no": "A001", "outlet": "总部服务大厅", "event": "called"},
    "rating": {"score": 3, "service_item": "查询", "channel": "kiosk"},
    "device.report": {"device": "printer", "status": "paper_low"},
    "staff.audit": {"action": "sign_in", "staff_id": "clerk-01", "at": "2026-12-06T08:00:00Z",
                    "outcome": "bad_password"},
    "technician.action": {"action": "diagnostics.check_done", "technician": "tech-01"},
    "certificate.issue": {"code": "HPFC-0000-0000-0000-0000-0", "doc_type": "deposit", "facts": {"balance": "¥1.00"},
                          "facts_sha256": "39898c2a48c3e42e2b60b8896c84a83f1759615a76793968d2c41f79376014c6"},
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10)


def test_every_kind_has_a_valid_example_that_parses_to_its_type() -> None:
    types = {"withdrawal.apply": tx.WithdrawalApply, "loan_offset.sign": tx.LoanOffsetSign,
             "transfer.apply": tx.TransferApply, "cobranded_card.sign": tx.CobrandedCardSign,
             "case.action": tx.CaseAction, "queue.ticket": tx.QueueTicket, "queue.event": tx.QueueEvent,
             "rating": tx.Rating, "device.report": tx.DeviceReport, "staff.audit": tx.StaffAudit,
             "technician.action": tx.TechnicianAction,
             "certificate.issue": tx.CertificateIssue}
    assert set(VALID) == set(tx.KINDS) == set(types)
    for kind, payload in VALID.items():
        assert isinstance(tx.parse_payload(kind, payload), types[kind])


def test_a_card_number_loses_its_spaces() -> None:
    parsed = tx.parse_payload("cobranded_card.sign", VALID["cobranded_card.sign"])
    assert isinstance(parsed, tx.CobrandedCardSign) and parsed.card_number == "62166100000000001"


@pytest.mark.parametrize("kind", sorted(VALID))
def test_each_required_field_missing_is_named_in_both_languages(kind: str) -> None:
    optional = {"payout_card", "property_id", "district", "repay_mode", "shared", "business_code", "note", "data",
                "priority", "window", "clerk", "staff", "serial_no", "text", "detail",
                "counterpart_account"}
    for field in set(VALID[kind]) - optional:
        payload = {k: v for k, v in VALID[kind].items() if k != field}
        with pytest.raises(tx.TransactionError) as err:
            tx.parse_payload(kind, payload)
        assert err.value.code == "invalid_payload"
        assert field in err.value.zh and field in err.value.en


@pytest.mark.parametrize("amount", [1.5, 100.0, True, "100", -1, 0, 10**14])
def test_money_must_be_a_positive_whole_number_of_fen(amount: object) -> None:
    with pytest.raises(tx.TransactionError):
        tx.parse_payload("withdrawal.apply", {**VALID["withdrawal.apply"], "amount_fen": amount})


def test_a_null_amount_means_the_most_the_rules_allow() -> None:
    parsed = tx.parse_payload("withdrawal.apply", {**VALID["withdrawal.apply"], "amount_fen": None})
    assert isinstance(parsed, tx.WithdrawalApply) and parsed.amount_fen is None


def test_facts_in_a_payload_are_ignored_not_parsed() -> None:
    """An application carries no department facts: whatever "shared" says never reaches the rules."""
    claims = {"retirement": {"retired": True, "retired_on": None, "source": "人社"}, "homes": "yes"}
    parsed = tx.parse_payload("withdrawal.apply", {**VALID["withdrawal.apply"], "shared": claims})
    assert isinstance(parsed, tx.WithdrawalApply)
    assert not hasattr(parsed, "shared") and parsed.authorisation is None


def test_the_members_authorisation_is_checked_with_the_field_named() -> None:
    good = {"method": "kiosk_confirm", "granted_at": "2026-12-01T08:00:00Z", "reference": "TQ1"}
    parsed = tx.parse_payload("withdrawal.apply", {**VALID["withdrawal.apply"], "authorisation": good})
    assert isinstance(parsed, tx.WithdrawalApply) and parsed.authorisation is not None
    assert parsed.authorisation.method == "kiosk_confirm" and parsed.authorisation.granted_at.startswith("2026-12-01")
    for bad in ("yes", {**good, "method": "telepathy"}, {**good, "granted_at": "yesterday"}):
        with pytest.raises(tx.TransactionError) as err:
            tx.parse_payload("withdrawal.apply", {**VALID["withdrawal.apply"], "authorisation": bad})
        assert "authorisation" in err.value.en and "authorisation" in err.value.zh


def test_unknown_kind_and_non_object_payload() -> None:
    with pytest.raises(tx.TransactionError, match="unknown_kind"):
        tx.parse_payload("withdrawal.cancel", {})
    with pytest.raises(tx.TransactionError, match="invalid_payload"):
        tx.parse_payload("rating", ["not", "an", "object"])


def test_times_must_carry_a_zone() -> None:
    assert tx.parse_utc("2026-11-27T08:00:00+08:00").isoformat() == "2026-11-27T00:00:00+00:00"
    assert tx.parse_utc("2026-11-27T00:00:00Z") == tx.parse_utc("2026-11-27T00:00:00+00:00")
    for bad in ("2026-11-27T00:00:00", "yesterday", 1795781760):
        with pytest.raises(tx.TransactionError):
            tx.parse_utc(bad)


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}", fullmatch=True))
def test_well_formed_keys_are_accepted(key: str) -> None:
    assert tx.check_idempotency_key(key) == key


@given(st.text(max_size=120))
def test_keys_with_other_characters_or_too_long_are_refused(key: str) -> None:
    ok = 0 < len(key) <= tx.MAX_KEY_LENGTH and key[0].isascii() and key[0].isalnum() and all(
        c.isascii() and (c.isalnum() or c in "._:-") for c in key)
    if ok:
        assert tx.check_idempotency_key(key) == key
    else:
        with pytest.raises(tx.TransactionError):
            tx.check_idempotency_key(key)


@given(st.dictionaries(st.text(max_size=6), json_values, max_size=6))
def test_the_fingerprint_ignores_key_order_and_survives_a_json_round_trip(payload: dict[str, Any]) -> None:
    reordered = dict(reversed(list(payload.items())))
    round_tripped = json.loads(json.dumps(payload))
    digest = tx.payload_hash("rating", "M1", payload)
    assert tx.payload_hash("rating", "M1", reordered) == digest
    assert tx.payload_hash("rating", "M1", round_tripped) == digest


@given(st.dictionaries(st.text(max_size=6), st.integers(), min_size=1, max_size=6), st.data())
def test_the_fingerprint_changes_with_any_value_kind_or_member(payload: dict[str, int], data: st.DataObject) -> None:
    digest = tx.payload_hash("rating", "M1", payload)
    key = data.draw(st.sampled_from(sorted(payload)))
    assert tx.payload_hash("rating", "M1", {**payload, key: payload[key] + 1}) != digest
    assert tx.payload_hash("device.report", "M1", payload) != digest
    assert tx.payload_hash("rating", "M2", payload) != digest
    assert tx.payload_hash("rating", None, payload) != digest


def test_control_characters_in_text_are_refused() -> None:
    with pytest.raises(tx.TransactionError) as err:
        tx.parse_payload("rating", {**VALID["rating"], "text": "好\x00评"})
    assert "text" in err.value.en
    assert isinstance(tx.parse_payload("rating", {**VALID["rating"], "text": "第一行\n第二行"}), tx.Rating)

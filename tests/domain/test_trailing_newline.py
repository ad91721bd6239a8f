"""Validators anchored with `$` let one trailing newline through (`re.match("^x$", "x\\n")` matches): every
shape check of a key, id, card, code or header ends with `\\Z`, so "well-formed plus a newline" is refused."""

from __future__ import annotations

import pytest

from domain import staff
from domain import transactions as tx
from protocol import enrolment
from protocol.signing import H_KEY, HeaderError, TerminalKey, parse_headers, signed_headers


def test_an_idempotency_key_with_a_trailing_newline_is_refused() -> None:
    assert tx.check_idempotency_key("0") == "0"
    with pytest.raises(tx.TransactionError):
        tx.check_idempotency_key("0\n")


def test_a_staff_id_with_a_trailing_newline_is_refused() -> None:
    assert staff.check_staff_id("clerk-01") == "clerk-01"
    with pytest.raises(ValueError):
        staff.check_staff_id("clerk-01\n")


def test_an_enrolment_code_with_a_trailing_newline_is_not_a_code() -> None:
    code = enrolment.new_code()
    assert enrolment.normalise_code(code) is not None
    assert enrolment.normalise_code(code + "\n") is None


def test_a_signing_key_id_with_a_trailing_newline_is_refused() -> None:
    headers = signed_headers("KIOSK-01", TerminalKey.generate(), "POST", "/v1/transactions", b"{}", 1_700_000_000)
    assert parse_headers(headers).key_id == "KIOSK-01"
    with pytest.raises(HeaderError):
        parse_headers({**headers, H_KEY: "KIOSK-01\n"})

"""Request signing (protocol.signing): the canonical layout, Ed25519 signatures, fresh nonces, key files."""

import base64
import hashlib
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol.signing import (
    HeaderError,
    KeyFileError,
    TerminalKey,
    canonical,
    parse_headers,
    public_key_from_text,
    verify_signature,
)
from sync.signing import signed_headers

KEY = TerminalKey.generate()


def test_canonical_string_is_the_protocol_layout() -> None:
    body = b'{"a":1}'
    expected = "\n".join(["HPF-ED25519-1", "POST", "/v1/transactions?x=1", "1764240000", "ab" * 16,
                          hashlib.sha256(body).hexdigest()]).encode()
    assert canonical("post", "/v1/transactions?x=1", 1764240000, "ab" * 16, body) == expected


@settings(max_examples=30)
@given(st.binary(), st.integers(0, 2**33))
def test_the_signature_verifies_with_the_public_key_only_for_that_message(body: bytes, ts: int) -> None:
    headers = signed_headers("K", KEY, "GET", "/v1/health", body, ts, "00" * 16)
    parts = parse_headers(headers)
    assert verify_signature(KEY.public_key, parts.signature, canonical("GET", "/v1/health", ts, "00" * 16, body))
    assert not verify_signature(KEY.public_key, parts.signature,
                                canonical("GET", "/v1/health", ts + 1, "00" * 16, body))
    assert not verify_signature(TerminalKey.generate().public_key, parts.signature,
                                canonical("GET", "/v1/health", ts, "00" * 16, body))


def test_each_request_gets_a_fresh_32_hex_nonce() -> None:
    a = signed_headers("K", KEY, "GET", "/v1/queue", b"", 100)
    b = signed_headers("K", KEY, "GET", "/v1/queue", b"", 100)
    assert len(a["X-HPF-Nonce"]) == 32 and int(a["X-HPF-Nonce"], 16) >= 0
    assert a["X-HPF-Nonce"] != b["X-HPF-Nonce"] and a["X-HPF-Signature"] != b["X-HPF-Signature"]
    assert a["X-HPF-Key"] == "K" and a["X-HPF-Timestamp"] == "100"


@pytest.mark.parametrize(("header", "value", "code"), [
    ("X-HPF-Signature", "签名" * 44, "bad_signature"),
    ("X-HPF-Signature", "é" * 88, "bad_signature"),
    ("X-HPF-Timestamp", "9" * 400, "bad_timestamp"),
    ("X-HPF-Timestamp", "１２３", "bad_timestamp"),  # full-width digits pass str.isdigit()
    ("X-HPF-Key", "终端", "unknown_key"),
    ("X-HPF-Nonce", "Ω" * 32, "bad_nonce"),
])
def test_hostile_headers_are_header_errors_not_crashes(header: str, value: str, code: str) -> None:
    headers = signed_headers("K", KEY, "GET", "/v1/queue", b"", 100)
    headers[header] = value
    with pytest.raises(HeaderError) as caught:
        parse_headers(headers)
    assert caught.value.code == code and caught.value.zh and caught.value.en


def test_a_key_file_is_created_owner_only_and_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "terminal-key.pem"
    KEY.save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert TerminalKey.load(path).public_key == KEY.public_key
    public_key_from_text(KEY.public_key)
    assert len(base64.b64decode(KEY.public_key)) == 32


def test_a_key_file_that_is_not_an_ed25519_key_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    path.write_text("not a key")
    with pytest.raises(KeyFileError, match="k.pem"):
        TerminalKey.load(path)
    with pytest.raises(KeyFileError, match="cannot read"):
        TerminalKey.load(tmp_path / "missing.pem")

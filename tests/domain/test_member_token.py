"""The member app's QR token: issued by the centre, verified offline on the kiosk."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from hypothesis import given
from hypothesis import strategies as st

from domain.member_token import (
    MAX_LIFETIME_S,
    TokenError,
    TokenVerifier,
    issue_token,
    load_public_keys,
)

DEMO_KEY = Path(__file__).resolve().parents[2] / "kiosk" / "demo_keys" / "member_token_demo.pem"
NOW = 1_790_000_000


def demo_private_key() -> Ed25519PrivateKey:
    key = load_pem_private_key(DEMO_KEY.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


@pytest.fixture
def verifier() -> TokenVerifier:
    return TokenVerifier(load_public_keys())


def test_a_token_from_the_demo_key_identifies_the_member(verifier: TokenVerifier) -> None:
    token = issue_token(demo_private_key(), "demo-2026", "M000123", NOW)
    result = verifier.verify(token, NOW + 5)
    assert (result.member_id, result.key_id) == ("M000123", "demo-2026")


def test_the_same_code_cannot_be_used_twice(verifier: TokenVerifier) -> None:
    token = issue_token(demo_private_key(), "demo-2026", "M000123", NOW)
    verifier.verify(token, NOW)
    with pytest.raises(TokenError) as err:
        verifier.verify(token, NOW + 1)
    assert err.value.code == "replayed"


@pytest.mark.parametrize(("now", "code"), [(NOW + 120 + 31, "expired"), (NOW - 31, "not_yet_valid")])
def test_time_limits_allow_only_the_clock_grace(verifier: TokenVerifier, now: int, code: str) -> None:
    token = issue_token(demo_private_key(), "demo-2026", "M1", NOW, lifetime_s=120)
    with pytest.raises(TokenError) as err:
        verifier.verify(token, now)
    assert err.value.code == code


def test_a_key_other_than_the_centres_is_refused(verifier: TokenVerifier) -> None:
    forged = issue_token(Ed25519PrivateKey.generate(), "demo-2026", "M1", NOW)
    with pytest.raises(TokenError) as err:
        verifier.verify(forged, NOW)
    assert err.value.code == "bad_signature"
    with pytest.raises(TokenError) as err:
        verifier.verify(issue_token(Ed25519PrivateKey.generate(), "other", "M1", NOW), NOW)
    # The signature is checked before the payload is read, so a key id the kiosk doesn't know is just
    # a signature no trusted key made.
    assert err.value.code == "bad_signature"


def test_a_changed_member_id_breaks_the_signature(verifier: TokenVerifier) -> None:
    import base64
    import json
    token = issue_token(demo_private_key(), "demo-2026", "M1", NOW)
    prefix, body, sig = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["m"] = "M2"
    body2 = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    with pytest.raises(TokenError) as err:
        verifier.verify(f"{prefix}.{body2}.{sig}", NOW)
    assert err.value.code == "bad_signature"


def test_lifetime_is_bounded() -> None:
    with pytest.raises(ValueError):
        issue_token(demo_private_key(), "demo-2026", "M1", NOW, lifetime_s=MAX_LIFETIME_S + 1)


@given(st.text(max_size=300))
def test_any_scanned_text_is_refused_with_words_never_a_crash(text: str) -> None:
    verifier = TokenVerifier(load_public_keys())
    with pytest.raises(TokenError) as err:
        verifier.verify(text, NOW)
    assert err.value.zh and err.value.en


def test_keys_rotate_by_validity_window() -> None:
    import tomllib

    from domain.member_token import parse_key_table

    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    from protocol.signing import public_key_text

    table = tomllib.loads(f"""
[keys.old]
public_key = "{public_key_text(old.public_key())}"
not_after = 2026-06-30T23:59:59+08:00
[keys.new]
public_key = "{public_key_text(new.public_key())}"
not_before = 2026-06-01T00:00:00+08:00
""")
    keys = parse_key_table(table)
    june_15 = 1781452800  # 2026-06-15 UTC: both valid (the overlap)
    august = 1786000000  # 2026-08: only the new one
    may = 1778000000  # 2026-05: only the old one
    assert TokenVerifier(keys).verify(issue_token(old, "old", "M1", june_15), june_15).member_id == "M1"
    assert TokenVerifier(keys).verify(issue_token(new, "new", "M1", june_15), june_15).member_id == "M1"
    for key, kid, now in ((old, "old", august), (new, "new", may)):
        with pytest.raises(TokenError):
            TokenVerifier(keys).verify(issue_token(key, kid, "M1", now), now)


def test_a_key_file_with_a_naive_time_is_refused() -> None:
    import tomllib

    from domain.member_token import parse_key_table

    table = tomllib.loads('[keys.k]\npublic_key = "/H6e0rdac/+m6PzldHu0IyO6wh95kxGHgCoI+xGl/u4="\n'
                          'not_after = 2027-01-01T00:00:00\n')
    with pytest.raises(ValueError, match="time zone"):
        parse_key_table(table)


@pytest.mark.parametrize("payload", [b"\xff\xfe", b"[" * 5000 + b"]" * 5000, b'{"k": NaN}', b"\x00"])
def test_signed_garbage_payloads_are_token_errors(payload: bytes) -> None:
    """Even with a valid signature, whatever the payload decodes to is a TokenError, never a crash."""
    import base64

    key = Ed25519PrivateKey.generate()
    body = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    signed = f"HPF1.{body}"
    sig = base64.urlsafe_b64encode(key.sign(signed.encode())).rstrip(b"=").decode()
    with pytest.raises(TokenError):
        TokenVerifier({"k": key.public_key()}).verify(f"{signed}.{sig}", NOW)

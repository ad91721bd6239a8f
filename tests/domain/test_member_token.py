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
    assert err.value.code == "unknown_key"


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

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from sync.signing import canonical, sign, signed_headers


def test_canonical_string_is_the_protocol_v1_layout() -> None:
    body = b'{"a":1}'
    expected = "\n".join(["POST", "/v1/transactions?x=1", "1764240000", "ab" * 16,
                          hashlib.sha256(body).hexdigest()]).encode()
    assert canonical("post", "/v1/transactions?x=1", 1764240000, "ab" * 16, body) == expected


@given(st.text(min_size=1), st.binary(), st.integers(0, 2**33))
def test_signature_is_hmac_sha256_of_the_canonical_string(secret: str, body: bytes, ts: int) -> None:
    sig = sign(secret, "GET", "/v1/health", ts, "00" * 16, body)
    message = canonical("GET", "/v1/health", ts, "00" * 16, body)
    assert sig == hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    assert sig != sign(secret, "GET", "/v1/health", ts + 1, "00" * 16, body)


def test_each_request_gets_a_fresh_32_hex_nonce() -> None:
    a = signed_headers("K", "S", "GET", "/v1/queue", b"", 100)
    b = signed_headers("K", "S", "GET", "/v1/queue", b"", 100)
    assert len(a["X-HPF-Nonce"]) == 32 and int(a["X-HPF-Nonce"], 16) >= 0
    assert a["X-HPF-Nonce"] != b["X-HPF-Nonce"] and a["X-HPF-Signature"] != b["X-HPF-Signature"]
    assert a["X-HPF-Key"] == "K" and a["X-HPF-Timestamp"] == "100"

"""Payload checks: scanned codes are untrusted input."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.scanner.payload import HARD_MAX_BYTES, InvalidPayloadError, PayloadRules, check_payload


def reason_of(raw: bytes | str, rules: PayloadRules | None = None) -> str:
    with pytest.raises(InvalidPayloadError) as info:
        check_payload(raw, rules)
    return info.value.reason


def test_ordinary_codes_pass_and_lose_their_terminator() -> None:
    assert check_payload(b"HPF1:AP20261127000123\r\n") == "HPF1:AP20261127000123"
    assert check_payload("https://gjj.example.cn/q?id=42&t=太原") == "https://gjj.example.cn/q?id=42&t=太原"


def test_ten_kilobytes_of_binary_is_not_a_valid_hpf_code() -> None:
    with pytest.raises(InvalidPayloadError) as info:
        check_payload(bytes(range(256)) * 40)
    err = info.value
    assert err.reason == "TOO_LONG"
    assert err.message_en.startswith("Not a valid HPF code")
    assert err.message_zh.startswith("不是有效的公积金业务码")


@pytest.mark.parametrize("raw, reason", [
    (b"", "EMPTY"), (b"   \r\n", "EMPTY"),
    (b"\x00\x01\x02binary", "BINARY"), (b"\xff\xfe\xfd", "BINARY"), (b"abc\x00", "BINARY"),
    (b"abc\x1b[2Jdef", "CONTROL_CHARS"), (b"a\tb", "CONTROL_CHARS"), ("12\u202e34", "CONTROL_CHARS"),
    ("id\u200b42", "CONTROL_CHARS"), ("\ue000private", "CONTROL_CHARS"), ("lone \ud800 surrogate", "BINARY"),
])
def test_refused_payloads_carry_a_stable_reason(raw: bytes | str, reason: str) -> None:
    assert reason_of(raw) == reason


def test_length_cap_counts_bytes_not_characters() -> None:
    rules = PayloadRules(max_bytes=6)
    assert check_payload("太原", rules) == "太原"  # 6 bytes in UTF-8
    assert reason_of("太原市", rules) == "TOO_LONG"


def test_gb18030_scanners_are_read_when_configured() -> None:
    raw = "太原公积金".encode("gb18030")
    assert reason_of(raw) == "BINARY"
    assert check_payload(raw, PayloadRules.from_options({"encoding": ["utf-8", "gb18030"]})) == "太原公积金"


def test_patterns_restrict_what_counts_as_an_hpf_code() -> None:
    rules = PayloadRules.from_options({"patterns": [r"HPF1:[A-Z0-9]{4,32}", r"\d{18}"]})
    assert check_payload("HPF1:AP2026", rules) == "HPF1:AP2026"
    assert reason_of("https://example.com", rules) == "NOT_MATCHED"


@pytest.mark.parametrize("options, message", [
    ({"max_length": 0}, "max_length"), ({"max_length": HARD_MAX_BYTES + 1}, "max_length"),
    ({"max_length": True}, "max_length"), ({"encoding": "klingon"}, "unknown text encoding"),
    ({"patterns": ["(unclosed"]}, "not a valid regular expression"),
])
def test_bad_options_are_named(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PayloadRules.from_options(options)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=5000))
def test_random_bytes_are_either_clean_text_or_refused(raw: bytes) -> None:
    rules = PayloadRules()
    try:
        text = check_payload(raw, rules)
    except InvalidPayloadError as exc:
        assert exc.reason in {"EMPTY", "TOO_LONG", "BINARY", "CONTROL_CHARS", "NOT_MATCHED"}
        return
    assert text.strip()
    assert len(text.encode("utf-8")) <= rules.max_bytes
    assert all(unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn") for ch in text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600), st.sampled_from([None, r"[A-Z]+", r".*"]))
def test_random_text_never_raises_anything_else(text: str, pattern: str | None) -> None:
    rules = PayloadRules(patterns=(re.compile(pattern),) if pattern else ())
    try:
        out = check_payload(text, rules)
    except InvalidPayloadError:
        return
    assert out == text.rstrip("\r\n\t")

"""Certificate codes (issue 11): unguessable id + check character; every altered character is caught."""

from __future__ import annotations

from datetime import date

import pytest

from domain.certificates import ALPHABET, CodeError, facts_digest, judge, new_code, normalise

CODE = new_code(bytes(range(10)))


def test_shape_and_determinism() -> None:
    assert CODE == new_code(bytes(range(10)))
    assert CODE.startswith("HPFC-") and len(CODE) == 26 and CODE.count("-") == 5
    assert new_code() != new_code()  # 80 random bits each
    with pytest.raises(ValueError, match="10 random bytes"):
        new_code(b"short")


def test_every_single_changed_character_is_caught() -> None:
    compact = CODE.replace("-", "")[4:]
    for i in range(len(compact)):
        for ch in ALPHABET:
            if ch == compact[i]:
                continue
            altered = compact[:i] + ch + compact[i + 1:]
            with pytest.raises(CodeError, match="check character"):
                normalise("HPFC" + altered)


def test_adjacent_swaps_are_caught() -> None:
    compact = CODE.replace("-", "")[4:]
    for i in range(len(compact) - 2):
        if compact[i] != compact[i + 1]:
            swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2:]
            with pytest.raises(CodeError):
                normalise("HPFC" + swapped)


def test_typing_is_forgiving_where_it_cannot_mislead() -> None:
    assert normalise(CODE.lower().replace("-", " ")) == CODE
    assert normalise(CODE.replace("0", "O").replace("1", "I")) == CODE  # Crockford reads O as 0, I as 1
    for bad in ("", "HPFC", "1234-5678", "HPFC-" + "Z" * 30, "<script>"):
        with pytest.raises(CodeError) as info:
            normalise(bad)
        assert info.value.zh and info.value.en


def test_facts_digest_is_canonical() -> None:
    assert facts_digest({"a": 1, "b": "缴存"}) == facts_digest({"b": "缴存", "a": 1})
    assert facts_digest({"a": 1}) != facts_digest({"a": 2})
    assert len(facts_digest({})) == 64


def test_verdicts() -> None:
    today = date(2026, 12, 6)
    facts = {"balance": "¥1,000.00", "name": "张*"}
    assert judge(known=False, revoked=False, issued_on=None, until=None, today=today).status == "unknown"
    ok = judge(known=True, revoked=False, issued_on=today, until=date(2027, 1, 5), today=today, facts=facts)
    assert ok.valid and ok.to_json()["facts"] == facts and ok.to_json()["valid_until"] == "2027-01-05"
    assert judge(known=True, revoked=False, issued_on=today, until=date(2026, 12, 5), today=today).status == "expired"
    assert judge(known=True, revoked=True, issued_on=today, until=None, today=today).status == "revoked"
    altered = judge(known=True, revoked=False, issued_on=today, until=None, today=today, facts=facts,
                    presented={"balance": "¥9,000.00", "name": "张*"})
    assert altered.status == "mismatch" and "balance" in altered.en and not altered.valid

"""The key facts beside the scans: masked personal data, whole figures, warnings that stop a quick yes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.account import LoanStatus
from domain.review_facts import age_on, key_facts
from tests.domain.withdrawal_builders import account, loan, snapshot

TODAY = date(2026, 12, 6)


def facts(**kw: object) -> dict[str, tuple[str, str, bool]]:
    return {f.en: (f.value_zh, f.value_en, f.warn) for f in key_facts(snapshot(**kw), TODAY)}  # type: ignore[arg-type]


def test_personal_data_is_masked_and_figures_are_whole() -> None:
    f = facts()
    assert f["Name"][0] == "*三" and f["ID number"][0].count("*") == 10
    assert f["Co-branded card"][0] == "6230********1234"
    assert f["Balance"][0] == "¥80,000.00" and f["Monthly deposit"][0] == "¥1,920.00"
    assert f["Age"][0] == "36 岁" and f["Account"] == ("正常", "normal", False)
    assert f["HPF loan"] == ("无", "none", False)
    text = " ".join(v for vals in f.values() for v in vals[:2])
    assert "张三" not in text and "6230123412341234" not in text


def test_frozen_sealed_open_loan_and_cache_warn() -> None:
    f = facts(acc=account(frozen=True, frozen_amount=Decimal("5000.00")))
    assert f["Account"][2] and f["Frozen amount"] == ("¥5,000.00", "¥5,000.00", True)
    assert facts(acc=account(status_code="02", sealed_on=date(2025, 1, 1)))["Account"] == ("封存", "sealed", True)
    assert facts(the_loan=loan())["HPF loan"][2]
    assert not facts(the_loan=loan(status=LoanStatus.SETTLED))["HPF loan"][2]
    assert facts(source="cache")["As of"][0] == "2026-11-20 09:00（本机缓存）"  # Beijing time, as the hall reads it


def test_age_counts_the_birthday() -> None:
    assert age_on(date(1966, 12, 7), TODAY) == 59 and age_on(date(1966, 12, 6), TODAY) == 60

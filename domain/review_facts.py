"""The member's key facts a supervisor reads beside the scanned papers before approving.

Masked as everywhere (name, ID number, card); the figures that decide a withdrawal are shown whole
(balance, monthly deposit, paid-up month, account state), with the date they are as of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, timezone

from domain.account import ACCOUNT_STATUS_LABELS, AccountSnapshot, LoanStatus
from domain.masking import mask_bank_card, mask_id_number, mask_name
from domain.money import format_yuan

BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Fact:
    zh: str  # the label
    en: str
    value_zh: str
    value_en: str
    warn: bool = False  # a fact that should stop a quick approval (sealed, frozen, pledged, open loan)


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def key_facts(snapshot: AccountSnapshot, today: date) -> list[Fact]:
    m, a = snapshot.member, snapshot.account
    sealed, frozen = a.is_sealed, a.frozen
    state_zh = "冻结" if frozen else ACCOUNT_STATUS_LABELS.get(a.status_code, a.status_label or a.status_code)
    state_en = "frozen" if frozen else {"01": "normal", "02": "sealed"}.get(a.status_code, a.status_code)
    loan = snapshot.loan
    open_loan = loan is not None and loan.status is not LoanStatus.SETTLED
    as_of = snapshot.as_of.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")  # the hall's clock
    facts = [
        Fact("姓名", "Name", mask_name(m.name), mask_name(m.name)),
        Fact("证件号码", "ID number", mask_id_number(m.id_number), mask_id_number(m.id_number)),
        Fact("年龄", "Age", f"{age_on(m.birth_date, today)} 岁", f"{age_on(m.birth_date, today)}"),
        Fact("账户状态", "Account", state_zh, state_en, warn=sealed or frozen or a.pledged),
        Fact("账户余额", "Balance", format_yuan(a.balance), format_yuan(a.balance)),
        Fact("月缴存额", "Monthly deposit", format_yuan(a.monthly_deposit), format_yuan(a.monthly_deposit)),
        Fact("缴至年月", "Paid up to", a.paid_up_to, a.paid_up_to),
        Fact("缴存单位", "Employer", a.employer_name, a.employer_name),
        Fact("联名卡", "Co-branded card", mask_bank_card(a.bank_account) if a.bank_account else "无",
             mask_bank_card(a.bank_account) if a.bank_account else "none"),
        Fact("公积金贷款", "HPF loan", "有未结清贷款" if open_loan else "无",
             "open loan" if open_loan else "none", warn=open_loan),
        Fact("数据时间", "As of", as_of + ("（本机缓存）" if snapshot.is_stale else ""),
             as_of + (" (local cache)" if snapshot.is_stale else ""), warn=snapshot.is_stale),
    ]
    if frozen and a.frozen_amount:
        facts.insert(5, Fact("冻结金额", "Frozen amount", format_yuan(a.frozen_amount), format_yuan(a.frozen_amount),
                             warn=True))
    return facts

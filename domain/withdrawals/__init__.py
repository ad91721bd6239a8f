"""Withdrawal rules (提取): every type in BRIEF §1, decided from the account snapshot and shared data.

    policy = load_withdrawal_policy("taiyuan")
    decision = decide(WithdrawalApplication(WithdrawalType.RENT, snapshot, shared, on=today), policy)

A decision is approved (秒批 when every fact came by data sharing), needs review, rejected, or
missing materials, with every reason in Chinese and English citing its policy clause.
"""

from domain.withdrawals.application import BadApplicationError, WithdrawalApplication, WithdrawalType
from domain.withdrawals.engine import decide
from domain.withdrawals.policy import TypeRule, WithdrawalPolicy, load_withdrawal_policy, parse_withdrawal_policy

__all__ = [
    "BadApplicationError",
    "TypeRule",
    "WithdrawalApplication",
    "WithdrawalPolicy",
    "WithdrawalType",
    "decide",
    "load_withdrawal_policy",
    "parse_withdrawal_policy",
]

"""The mutants issue 16 names, applied by hand one at a time: each named test must fail on its mutant.

    .venv/bin/python -m tests.mutate_issue16

Each source file is restored after its run (also when interrupted). `./dev mutate` covers the
rest; this list keeps the issue's own examples checked by name.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
T = "tests/domain/"
MUTANTS = [  # (what, file, line as it is, line as the mutant has it, the test that must fail)
    (
        '等额本金 max loan too low', 'domain/loan_limits.py',
        'principal = payment / (Decimal(1) / months + i)',
        'principal = payment / (Decimal(1) / months + 2 * i)',
        T + 'test_boundaries_loans.py::test_equal_principal_max_loan_exactly',
    ),
    (
        '29 Feb in a common year', 'domain/loan_limits.py',
        'limit = date(year, 2, 28) if',
        'limit = date(year, 3, 1) if',
        T + 'test_boundaries_loans.py::test_29_february_birthday_reaching_the_limit_in_a_non_leap_year',
    ),
    (
        'deposit months threshold', 'domain/loan_limits.py',
        'if b.consecutive_deposit_months < p.min_consecutive_deposit_months:',
        'if b.consecutive_deposit_months <= p.min_consecutive_deposit_months:',
        T + 'test_boundaries_loans.py::test_consecutive_deposit_months_at_the_policy_minimum',
    ),
    (
        'previous loans threshold', 'domain/loan_limits.py',
        'if b.previous_hpf_loans > p.max_previous_loans:',
        'if b.previous_hpf_loans >= p.max_previous_loans:',
        T + 'test_boundaries_loans.py::test_previous_loans_at_the_policy_maximum',
    ),
    (
        'months left threshold', 'domain/loan_limits.py',
        'if months_left < 12:',
        'if months_left <= 12:',
        T + 'test_boundaries_loans.py::test_months_left_until_the_age_limit_at_twelve',
    ),
    (
        'debt above the share', 'domain/loan_limits.py',
        'payment = max(share.as_yuan, Decimal(0))',
        'payment = share.as_yuan',
        T + 'test_boundaries_loans.py::test_existing_debt_exactly_the_income_share_and_above',
    ),
    (
        'short history months', 'domain/loan_limits.py',
        'elif b.total_deposit_months < p.short_history_months and',
        'elif b.total_deposit_months <= p.short_history_months and',
        T + 'test_boundaries_loans.py::test_short_history_cap_at_36_months',
    ),
    (
        '11000 capitals', 'domain/money.py',
        'if out and (g < 1000 or gap):',
        'if out and (g <= 1000 or gap):',
        T + 'test_boundaries_money.py::test_capitals',
    ),
    (
        'third digit weight', 'domain/identity.py',
        '_WEIGHTS = (7, 9, 10, 5,',
        '_WEIGHTS = (7, 9, 9, 5,',
        T + 'test_boundaries_identity.py::test_each_position_carries_its_own_weight',
    ),
    (
        'region code unchecked', 'domain/identity.py',
        'if region is None or head[:2] in',
        'if False and head[:2] in',
        T + 'test_boundaries_identity.py::test_region_codes_are_checked',
    ),
    (
        'extra workdays ignored', 'domain/workdays.py',
        'if d in self.extra_workdays:\n            return True, True',
        'if False:\n            return True, True',
        T + 'test_boundaries_calendar_transfer.py::test_the_policy_files_extra_working_day_is_used_in_a_count',
    ),
    (
        'count from a weekend: one step only', 'domain/workdays.py',
        'while not working:',
        'if not working:',
        T + 'test_boundaries_calendar_transfer.py::test_a_count_starting_on_a_sunday',
    ),
    (
        'deposit run: any kind', 'domain/withdrawals/housing.py',
        'if d.kind in _RUN_KINDS and d.month and d.amount > ZERO',
        'if d.month and d.amount > ZERO',
        T + 'test_boundaries_withdrawals.py::test_deposit_run_counts_only_paid_monthly_and_back_pay_records',
    ),
    (
        'deposit run: zero amounts', 'domain/withdrawals/housing.py',
        'and d.month and d.amount > ZERO',
        'and d.month and d.amount >= ZERO',
        T + 'test_boundaries_withdrawals.py::test_deposit_run_counts_only_paid_monthly_and_back_pay_records',
    ),
    (
        'arrears boundary', 'domain/withdrawals/housing.py',
        'if app_month - paid_up > ctx.rule.integer("max_arrears_months"):',
        'if app_month - paid_up >= ctx.rule.integer("max_arrears_months"):',
        T + 'test_boundaries_withdrawals.py::test_arrears_boundary_for_the_deposit_run',
    ),
    (
        'heir share 0 %', 'domain/withdrawals/exits.py',
        'if not Decimal(0) < heir.share_percent <= 100:',
        'if not Decimal(0) <= heir.share_percent <= 100:',
        T + 'test_boundaries_withdrawals.py::test_heir_shares_of_0_and_100_percent_and_just_inside',
    ),
    (
        'heir share 100 %', 'domain/withdrawals/exits.py',
        'if not Decimal(0) < heir.share_percent <= 100:',
        'if not Decimal(0) < heir.share_percent < 100:',
        T + 'test_boundaries_withdrawals.py::test_heir_shares_of_0_and_100_percent_and_just_inside',
    ),
    (
        'sealing ends today', 'domain/withdrawals/exits.py',
        'elif add_months(account.sealed_on, months) > ctx.app.on:',
        'elif add_months(account.sealed_on, months) >= ctx.app.on:',
        T + 'test_boundaries_withdrawals.py::test_sealing_period_ending_exactly_today',
    ),
    (
        'sealed without a date', 'domain/withdrawals/exits.py',
        'if not account.is_sealed or account.sealed_on is None:',
        'if not account.is_sealed:',
        T + 'test_boundaries_withdrawals.py::test_sealed_account_with_no_sealing_date_and_an_unsealed_one',
    ),
    (
        'fee cap arithmetic', 'domain/withdrawals/housing.py',
        'left = cap - ctx.used_this_year(include_spouse=False)',
        'left = cap - ctx.used_this_year(include_spouse=True)',
        T + 'test_boundaries_withdrawals.py::test_property_fee_yearly_cap_arithmetic_without_the_once_a_year_rule',
    ),
    (
        'fee cap used up', 'domain/withdrawals/housing.py',
        '    if left <= 0:\n        ctx.reject(\n            "cap",\n            f"本年度物业费',
        '    if left < 0:\n        ctx.reject(\n            "cap",\n            f"本年度物业费',
        T + 'test_boundaries_withdrawals.py::test_property_fee_yearly_cap_arithmetic_without_the_once_a_year_rule',
    ),
    (
        'fee: invoice or cap', 'domain/withdrawals/housing.py',
        'limit = min(left, invoice.amount)',
        'limit = invoice.amount',
        T + 'test_boundaries_withdrawals.py::test_property_fee_yearly_cap_arithmetic_without_the_once_a_year_rule',
    ),
    (
        'other home counted', 'domain/withdrawals/housing.py',
        'if w.property_id == app.property_id and w.reason_code == rule.code]',
        'if w.reason_code == rule.code]',
        T + 'test_boundaries_withdrawals.py::test_earlier_purchase_withdrawal_for_a_different_home_does_not_count',
    ),
    (
        'rent cap used up', 'domain/withdrawals/housing.py',
        '    if left <= 0:\n        return Reason(Verdict.REJECT, prefix + "cap"',
        '    if left < 0:\n        return Reason(Verdict.REJECT, prefix + "cap"',
        T + 'test_boundaries_withdrawals.py::test_rent_caps_by_tier_with_exact_remainders',
    ),
    (
        'combined interest sign', 'domain/calculator.py',
        'x.interest + y.interest',
        'x.interest - y.interest',
        T + 'test_boundaries_calculator.py::test_combined_schedule_sums_every_field_with_its_sign',
    ),
    (
        'combined balance sign', 'domain/calculator.py',
        'x.balance + y.balance',
        'x.balance - y.balance',
        T + 'test_boundaries_calculator.py::test_combined_schedule_sums_every_field_with_its_sign',
    ),
    (
        'rounding guard: compare', 'domain/calculator.py',
        'if payment <= drift:',
        'if payment < drift - FEN:',
        T + 'test_boundaries_calculator.py::test_small_loan_rounding_guard_at_its_threshold',
    ),
    (
        'rounding guard: drift', 'domain/calculator.py',
        'drift = FEN * (((1 + i) ** months - 1) / i * (1 + i) if i else months)',
        'drift = FEN * (((1 + i) ** months - 1) / i if i else months)',
        T + 'test_boundaries_calculator.py::test_small_loan_rounding_guard_at_its_threshold',
    ),
    (
        'ledger: a fen over the balance', 'ledger/rules.py',
        'if withdrawal.amount_fen > available:',
        'if withdrawal.amount_fen > available + 1:',
        'tests/rules/test_ledger_rechecks.py::test_approving_a_fen_more_than_available_is_refused',
    ),
    (
        'ledger: exactly the balance', 'ledger/rules.py',
        'if withdrawal.amount_fen > available:',
        'if withdrawal.amount_fen >= available:',
        'tests/rules/test_ledger_rechecks.py::test_approving_exactly_the_available_balance_pays_it_all',
    ),
]


def main() -> int:
    bad = 0
    for name, path, old, new, test in MUTANTS:
        bad += not _killed(name, path, old, new, test)
    print("survivors:", bad)
    return 1 if bad else 0


def _killed(name: str, path: str, old: str, new: str, test: str) -> bool:
    f = ROOT / path
    src = f.read_text(encoding="utf-8")
    if src.count(old) != 1:
        print(f"CHANGED  {name}: {path} no longer has the line this mutant changes")
        return False
    try:
        f.write_text(src.replace(old, new), encoding="utf-8")
        r = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", test],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    finally:
        f.write_text(src, encoding="utf-8")
    killed = r.returncode != 0
    print("KILLED  " if killed else "SURVIVED", name, "--", test.split("::")[1])
    return killed


if __name__ == "__main__":
    sys.exit(main())

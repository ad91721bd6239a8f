"""10,000 withdrawal decisions: `domain.withdrawals.decide` against the same checks hand-coded.

Subject: `decide()` on a mix of rent (80 %) and retirement (20 %) applications with varied
balances, districts, deposit runs, home ownership, marriage, children and earlier withdrawals:
policy-driven rules, bilingual reasons citing clauses, Decimal amounts. Baseline, in the same run
over the same applications: the same eligibility tests and caps as plain `if` comparisons that
return only (outcome, amount), with the Taiyuan figures inlined. Both must agree on every
outcome and amount, or the benchmark fails.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from bench.harness import Result, best_of
from domain.account import (
    Account,
    AccountSnapshot,
    DepositKind,
    DepositRecord,
    Member,
    Sex,
    WithdrawalRecord,
    WithdrawalStatus,
)
from domain.evidence import ChildrenFact, Department, HomeOwnershipFact, MarriageFact, RetirementFact, SharedData
from domain.withdrawals import WithdrawalApplication, WithdrawalType, decide, load_withdrawal_policy

TODAY = date(2026, 11, 20)
URBAN = {"140105", "140106", "140107", "140108", "140109", "140110"}
COUNTY = {"140121", "140122", "140123", "140181"}


def _deposits(count: int) -> tuple[DepositRecord, ...]:
    index = 2026 * 12 + 9  # 2026-10
    out = []
    for k in range(count):
        y, m = divmod(index - k, 12)
        out.append(DepositRecord(date(y, m + 1, 15), DepositKind.MONTHLY, Decimal("1920.00"), "", f"{y}-{m + 1:02d}"))
    return tuple(out)


def _applications(count: int) -> list[WithdrawalApplication]:
    member = Member("100200300", "张三", "140105199003071234", "13812341234", Sex.MALE, date(1990, 3, 7))
    base = Account(
        "01",
        Decimal("80000.00"),
        Decimal("8000"),
        Decimal("12"),
        Decimal("12"),
        Decimal("1920"),
        "2026-10",
        date(2015, 7, 1),
        "单位",
        "01",
        "银行",
        "6230123412341234",
        Decimal("0"),
        Decimal("0"),
    )
    runs = [_deposits(n) for n in (2, 3, 12)]
    districts = ["140105", "140181", "140109", "140122"]
    apps = []
    for k in range(count):
        account = replace(base, balance=Decimal(500 + (k * 7919) % 60000), district=districts[k % 4])
        used = tuple(
            WithdrawalRecord(
                date(2026, 1 + j, 5), "07", Decimal(3000 + 500 * j), WithdrawalStatus.PAID, "", f"TQ{k}-{j}", "rent"
            )
            for j in range(k % 5)
        )
        snap = AccountSnapshot(member, account, runs[k % 3], used, None, datetime(2026, 11, 20, tzinfo=UTC))
        shared = SharedData(
            marriage=MarriageFact(k % 2 == 0, "11010519491231002X", "", Department.CIVIL_AFFAIRS),
            homes=HomeOwnershipFact(("H1",) if k % 11 == 0 else (), Department.PROPERTY_REGISTRY),
            children=ChildrenFact(k % 4, Department.PUBLIC_SECURITY),
            retirement=RetirementFact(k % 3 != 0, None, Department.HRSS),
        )
        kind = WithdrawalType.RETIREMENT if k % 5 == 0 else WithdrawalType.RENT
        apps.append(WithdrawalApplication(kind, snap, shared, TODAY))
    return apps


def _baseline(app: WithdrawalApplication) -> tuple[str, Decimal]:
    """The Taiyuan rent and retirement rules as bare comparisons (no reasons, no policy file)."""
    acc, shared = app.snapshot.account, app.shared
    zero = Decimal("0.00")
    if app.type is WithdrawalType.RETIREMENT:
        ok = shared.retirement is not None and shared.retirement.retired
        return ("approved", acc.balance) if ok else ("rejected", zero)
    months = {d.month for d in app.snapshot.deposits}
    run, y, m = 0, 2026, 10
    while f"{y}-{m:02d}" in months:
        run += 1
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    if run < 3 or shared.homes is None or shared.homes.property_ids:
        return "rejected", zero
    cap = Decimal(25000) if acc.district in URBAN else Decimal(10000)
    review = acc.district not in URBAN and acc.district not in COUNTY
    if shared.children is not None and shared.children.children >= 2:
        cap += 1000
    used = sum((w.amount for w in app.snapshot.withdrawals if w.on.year == 2026 and w.subtype == "rent"), zero)
    left = min(cap - used, acc.balance)
    if left <= 0:
        return "rejected", zero
    return ("review" if review else "approved"), left


def run(quick: bool) -> list[Result]:
    count = 1_000 if quick else 10_000
    apps = _applications(count)
    policy = load_withdrawal_policy("taiyuan")
    for app in apps:
        d = decide(app, policy)
        expected = _baseline(app)
        if (d.outcome.value, d.amount) != expected:
            raise AssertionError(f"subject and baseline disagree: {(d.outcome.value, d.amount)} != {expected}")
    # Interleaved, best of each: on a shared machine both then see the same spells of load.
    subject = baseline = float("inf")
    for _ in range(5):
        subject = min(subject, best_of(lambda: [decide(a, policy) for a in apps], 1))
        baseline = min(baseline, best_of(lambda: [_baseline(a) for a in apps], 1))
    return [
        Result(
            "withdrawals",
            f"decide() × {count}",
            subject,
            "hand-coded comparisons",
            baseline,
            "s",
            notes="80% rent / 20% retirement; outcomes and amounts checked equal; interleaved, best of 5",
            target_max=3,
        )
    ]

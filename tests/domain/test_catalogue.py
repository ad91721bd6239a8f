"""Business catalogue: every service of the seed article, channels, materials, time limits."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from domain.catalogue import (
    Audience,
    Category,
    Channel,
    Decider,
    ServiceChannel,
    catalogue_from_policy,
    load_catalogue,
)
from domain.evidence import Department
from domain.policy import PolicyError, load_policy_table
from domain.withdrawals import WithdrawalType
from domain.workdays import WorkCalendar

CAT = load_catalogue("taiyuan")

# Services the seed article names (山西晚报, Taiyuan app and platform).
SEED_SERVICES = {
    "query_deposits": "我的缴存",
    "query_withdrawals": "我的提取",
    "query_loan": "贷款",
    "outlets": "服务网点",
    "loan_calculator": "房贷计算器",
    "employer_monthly_deposit": "汇缴",
    "loan_application": "公积金贷款",
    "transfer": "异地转移接续",
    "card_signing": "联名卡签约",
    "withdraw_repay_hpf_loan": "冲还贷",
    "withdraw_retirement": "退休提取",
    "withdraw_property_fee": "物业管理费提取",
    "withdraw_leave_employment": "解除劳动关系提取",
    "withdraw_rent": "租赁住房提取",
    "withdraw_purchase_online_contract": "网签合同",
    "withdraw_purchase_certificate_second_hand": "二手",
    "withdraw_purchase_certificate_public": "公有住房",
    "withdraw_repay_commercial_loan": "偿还商业住房贷款提取",
    "second_hand_one_window": "二手房交易",
}


@pytest.mark.parametrize(("code", "words"), sorted(SEED_SERVICES.items()))
def test_every_seed_service_is_in_the_catalogue(code: str, words: str) -> None:
    assert words in CAT.item(code).name


def test_every_withdrawal_type_has_exactly_one_item() -> None:
    for kind in WithdrawalType:
        item = CAT.for_withdrawal(kind)
        assert item.withdrawal_type is kind
        assert item.category in (Category.WITHDRAWAL, Category.SIGNING)
    assert sum(i.withdrawal_type is not None for i in CAT.items.values()) == len(WithdrawalType)


def test_withdrawal_rules_only_ask_for_materials_the_catalogue_knows() -> None:
    from tests.domain.withdrawal_builders import decide_for, shared

    for kind in WithdrawalType:
        for code in decide_for(kind, shared(marriage=None)).missing_materials:
            assert code in CAT.materials, (kind, code)


def test_flags_channels_and_time_limits() -> None:
    rent = CAT.item("withdraw_rent")
    assert rent.zero_material and rent.at_most_one_trip and rent.time_limit == 3
    assert rent.channel is ServiceChannel.ONLINE and rent.decided_by is Decider.RULES
    assert rent.offered_on(Channel.KIOSK) and rent.offered_on(Channel.ONLINE)
    death = CAT.item("withdraw_death")
    assert death.channels == frozenset({Channel.COUNTER}) and not death.zero_material
    assert death.channel is ServiceChannel.ONE_TRIP and death.decided_by is Decider.SUPERVISOR
    assert CAT.item("loan_application").time_limit == 5  # approval to disbursement (seed), registration excepted
    assert CAT.item("query_loan").time_limit == 0
    kiosk = {i.code for i in CAT.for_channel(Channel.KIOSK)}
    assert "withdraw_retirement" in kiosk and "withdraw_death" not in kiosk and "queue_ticket" in kiosk


def test_materials_name_the_department_that_replaces_them() -> None:
    assert CAT.material("no_home_proof").shared_by is Department.PROPERTY_REGISTRY
    assert CAT.material("retirement_certificate").shared_by is Department.HRSS
    assert CAT.material("inheritance_proof").shared_by is None


def test_deadline_of_an_item_in_working_days() -> None:
    d = CAT.deadline("withdraw_rent", date(2026, 9, 30), WorkCalendar())
    assert d.due == date(2026, 10, 10) and not d.provisional


def test_unknown_codes_give_bilingual_errors() -> None:
    with pytest.raises(KeyError, match="no business item"):
        CAT.item("lottery")
    with pytest.raises(KeyError, match="no material"):
        CAT.material("horoscope")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("items", "withdraw_rent", "materials"), ["id_card", "nonsense"], "nonsense"),
        (("items", "withdraw_rent", "terminals"), ["fax"], "terminals"),
        (("items", "withdraw_rent", "time_limit"), -1, "time_limit"),
        (("items", "withdraw_rent", "withdrawal_type"), "lottery", "withdrawal_type"),
        (("items", "withdraw_rent", "category"), "misc", "category"),
        (("items", "withdraw_rent", "audience"), "tourist", "audience"),
        (("items", "withdraw_rent", "channel"), "two_trips", "channel"),
        (("items", "withdraw_rent", "decided_by"), "mayor", "decided_by"),
        (("items", "withdraw_rent", "legal_basis"), ["hearsay"], "legal_basis"),
        (("items", "withdraw_rent", "removed_materials"), ["nonsense"], "removed_materials"),
        (("items", "withdraw_rent", "unsourced"), ["vibes"], "unsourced"),
        (("counter_agent", "materials"), ["seal"], "counter_agent"),
        (("materials", "id_card", "shared_by"), "外星", "department"),
    ],
)
def test_bad_catalogue_entries_are_named(path: tuple[str, ...], value: object, message: str) -> None:
    raw = copy.deepcopy(load_policy_table("taiyuan"))
    node = raw["catalogue"]
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(PolicyError, match=message):
        catalogue_from_policy(raw)


def test_missing_key_is_named() -> None:
    raw = copy.deepcopy(load_policy_table("taiyuan"))
    del raw["catalogue"]["items"]["withdraw_rent"]["channel"]
    with pytest.raises(PolicyError, match=r"catalogue\.items\.withdraw_rent\.channel"):
        catalogue_from_policy(raw)


# ---- the whole catalogue (issue 11): 67 items, 51 全程网办 and 16 最多跑一次 (seed article) ----

def test_sixty_seven_items_fifty_one_online_sixteen_one_trip() -> None:
    services = CAT.services()
    assert len(services) == 67
    assert sum(i.channel is ServiceChannel.ONLINE for i in services) == 51
    assert sum(i.channel is ServiceChannel.ONE_TRIP for i in services) == 16
    assert {i.audience for i in services} == {Audience.MEMBER, Audience.EMPLOYER}
    assert "queue_ticket" not in {i.code for i in services}  # tools are not service items


def test_the_totals_are_checked_when_the_file_drifts() -> None:
    raw = copy.deepcopy(load_policy_table("taiyuan"))
    raw["catalogue"]["items"]["withdraw_rent"]["channel"] = "one_trip"  # 50 online, 17 one trip
    with pytest.raises(PolicyError, match="online"):
        catalogue_from_policy(raw)
    raw = copy.deepcopy(load_policy_table("taiyuan"))
    del raw["catalogue"]["items"]["employer_refund"]
    with pytest.raises(PolicyError, match="66 items"):
        catalogue_from_policy(raw)


def test_an_online_item_may_not_ask_for_paper_or_a_supervisor() -> None:
    for item in CAT.services():
        if item.channel is ServiceChannel.ONLINE:
            assert all(CAT.material(m).needs_no_paper for m in item.materials), item.code
            assert item.decided_by is not Decider.SUPERVISOR, item.code
    raw = copy.deepcopy(load_policy_table("taiyuan"))
    raw["catalogue"]["items"]["withdraw_rent"]["materials"] = ["id_card", "inheritance_proof"]
    with pytest.raises(PolicyError, match="inheritance_proof.*paper"):
        catalogue_from_policy(raw)


# The employer services the issue names, by their Chinese words.
EMPLOYER_WORDS = ("缴存登记", "汇缴", "补缴", "基数调整", "人员增加", "人员减少", "封存", "启封", "转移")


@pytest.mark.parametrize("words", EMPLOYER_WORDS)
def test_employer_services_are_in_the_catalogue(words: str) -> None:
    assert any(words in i.name and i.audience is Audience.EMPLOYER for i in CAT.services()), words


def test_every_withdrawal_and_loan_item_of_the_member_is_there() -> None:
    codes = {i.code for i in CAT.services()}
    assert {f"withdraw_{k.value}" for k in WithdrawalType if k is not WithdrawalType.REPAY_HPF_LOAN} <= codes
    loans = {i.code for i in CAT.services() if i.category is Category.LOAN}
    assert {"loan_application", "loan_combined", "second_hand_one_window", "loan_settle_early"} <= loans


def test_every_item_is_taken_in_at_the_counter_and_employer_items_from_the_agent() -> None:
    for item in CAT.services():
        assert item.offered_on(Channel.COUNTER), item.code
        assert item.legal_basis and all(code in CAT.legal for code in item.legal_basis), item.code
        counter = CAT.counter_materials(item)
        if item.audience is Audience.EMPLOYER:
            assert counter[:3] == ("agent_id_card", "uscc", "authorisation_letter"), item.code
        else:
            assert "authorisation_letter" not in counter, item.code
    assert CAT.material("uscc").shared_by is Department.MARKET_REGULATION


def test_unsourced_facts_are_marked() -> None:
    unsourced_names = {i.code for i in CAT.services() if "name_zh" in i.unsourced}
    assert "employer_refund" in unsourced_names and "withdraw_retirement" not in unsourced_names
    for item in CAT.services():
        assert item.sources or "name_zh" in item.unsourced, item.code  # a name without a source says so


def test_json_rows_have_the_fields_of_the_cli() -> None:
    rows = CAT.rows()
    assert len(rows) == 67
    rent = next(r for r in rows if r["code"] == "withdraw_rent")
    assert {"code", "name_zh", "name_en", "audience", "channel", "materials", "time_limit_workdays"} <= rent.keys()
    assert rent["materials"][1] == {"code": "no_home_proof", "name_zh": "本市无房证明（本人及配偶）",
                                    "name_en": "proof of owning no home in the city (you and your spouse)",
                                    "supplied_by": "不动产登记", "self_service": False}

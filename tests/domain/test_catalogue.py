"""Business catalogue: every service of the seed article, channels, materials, time limits."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from domain.catalogue import Category, Channel, catalogue_from_policy, load_catalogue
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
    "employer_business": "单位业务",
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
    "loan_disbursement": "放款",
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
    assert rent.offered_on(Channel.KIOSK) and rent.offered_on(Channel.ONLINE)
    death = CAT.item("withdraw_death")
    assert death.channels == frozenset({Channel.COUNTER}) and not death.zero_material
    assert CAT.item("loan_disbursement").time_limit == 5
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
        (("items", "withdraw_rent", "channels"), ["fax"], "channels"),
        (("items", "withdraw_rent", "time_limit"), -1, "time_limit"),
        (("items", "withdraw_rent", "withdrawal_type"), "lottery", "withdrawal_type"),
        (("items", "withdraw_rent", "category"), "misc", "category"),
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
    del raw["catalogue"]["items"]["withdraw_rent"]["zero_material"]
    with pytest.raises(PolicyError, match=r"catalogue\.items\.withdraw_rent\.zero_material"):
        catalogue_from_policy(raw)

"""One status vocabulary: every status a counter screen can meet is one of the ledger's CaseStates,
with one name per state in each language."""

from __future__ import annotations

from domain.case_status import Tone, case_state, status_view
from domain.cases import CaseState

LOCAL = ("open", "routed", "waiting_materials", "refused_by_rules")


def test_every_status_is_a_ledger_state_with_one_name() -> None:
    names_zh: dict[str, CaseState] = {}
    names_en: dict[str, CaseState] = {}
    for status in (*LOCAL, *(s.value for s in CaseState)):
        view = status_view(status)
        assert view.state is not None, status
        assert "/" not in view.zh and "/" not in view.en, view  # one name, not two
        assert names_zh.setdefault(view.zh, view.state) is view.state, view.zh
        assert names_en.setdefault(view.en, view.state) is view.state, view.en
    assert len(names_zh) == len(names_en) == len(CaseState)


def test_the_two_names_of_waiting_for_materials_are_one_state() -> None:
    counter, ledger = status_view("waiting_materials"), status_view("needs_materials")
    assert counter.state is ledger.state is CaseState.NEEDS_MATERIALS
    assert counter.text(True) == ledger.text(True) == "待补正材料"
    assert counter.tone is Tone.WARN


def test_a_routed_case_is_accepted_with_its_step() -> None:
    view = status_view("routed")
    assert view.state is CaseState.ACCEPTED and view.tone is Tone.PENDING
    assert view.text(True) == "已受理（待主管审批）" and view.text(False) == "Accepted (with a supervisor)"


def test_tones_follow_the_meaning() -> None:
    assert status_view("approved").tone is Tone.OK and status_view("disbursed").tone is Tone.OK
    assert status_view("rejected").tone is status_view("refused_by_rules").tone is Tone.DANGER
    assert status_view("rejected").text(True) == "不予批准"


def test_an_unknown_status_is_shown_as_it_is_not_hidden() -> None:
    assert case_state("lost_in_the_post") is None
    view = status_view("lost_in_the_post")
    assert view.text(True) == "lost_in_the_post" and view.tone is Tone.NEUTRAL

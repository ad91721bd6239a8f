"""One status vocabulary for every case a screen shows: the ledger's `CaseState` names.

The counter keeps a few working statuses of its own (a case still open at the desk, one routed to a
supervisor, one waiting for materials, one the rules refused); each is one `CaseState`, so a state
has one name wherever it appears (待补材料 and 待补正材料 were the same state under two names).
`step` says where an accepted case is (待主管审批) without inventing a second state. `tone` is the
colour family a screen gives the state's chip; the colours themselves are the theme's.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from domain.cases import CaseState


class Tone(enum.StrEnum):
    NEUTRAL = "neutral"  # nothing to do yet, or all done
    PENDING = "pending"  # with the centre or a supervisor
    WARN = "warn"  # waiting for the member
    OK = "ok"  # approved or paid
    DANGER = "danger"  # refused


_EN = {
    CaseState.DRAFT: "Draft",
    CaseState.SUBMITTED: "Submitted",
    CaseState.ACCEPTED: "Accepted",
    CaseState.NEEDS_MATERIALS: "Materials needed",
    CaseState.APPROVED: "Approved",
    CaseState.REJECTED: "Refused",
    CaseState.DISBURSED: "Paid out",
    CaseState.CLOSED: "Closed",
}

# CaseState.zh names two states with both of their forms (不予受理/不予批准, 已放款/已到账); a screen
# shows one name.
_ZH_SHOWN = {CaseState.REJECTED: "不予批准", CaseState.DISBURSED: "已到账"}

TONE = {
    CaseState.DRAFT: Tone.NEUTRAL,
    CaseState.SUBMITTED: Tone.PENDING,
    CaseState.ACCEPTED: Tone.PENDING,
    CaseState.NEEDS_MATERIALS: Tone.WARN,
    CaseState.APPROVED: Tone.OK,
    CaseState.REJECTED: Tone.DANGER,
    CaseState.DISBURSED: Tone.OK,
    CaseState.CLOSED: Tone.NEUTRAL,
}

# The counter's working statuses (counter_app.casework) as the ledger's states, with the step if any.
_LOCAL: dict[str, tuple[CaseState, tuple[str, str] | None]] = {
    "open": (CaseState.DRAFT, ("受理中", "at the desk")),
    "routed": (CaseState.ACCEPTED, ("待主管审批", "with a supervisor")),
    "waiting_materials": (CaseState.NEEDS_MATERIALS, None),
    "refused_by_rules": (CaseState.REJECTED, ("不符合条件", "not eligible")),
}


@dataclass(frozen=True)
class StatusView:
    state: CaseState | None  # None: a status no one has named yet (shown as its code, tone neutral)
    zh: str
    en: str
    tone: Tone
    step_zh: str = ""
    step_en: str = ""

    def text(self, chinese: bool) -> str:
        name, step = (self.zh, self.step_zh) if chinese else (self.en, self.step_en)
        return f"{name}（{step}）" if step and chinese else f"{name} ({step})" if step else name


def case_state(status: str) -> CaseState | None:
    if status in _LOCAL:
        return _LOCAL[status][0]
    try:
        return CaseState(status)
    except ValueError:
        return None


def status_view(status: str) -> StatusView:
    """The one name, step and tone of a case status, whichever system wrote it."""
    state = case_state(status)
    if state is None:
        return StatusView(None, status, status, Tone.NEUTRAL)
    step = _LOCAL[status][1] if status in _LOCAL else None
    return StatusView(state, _ZH_SHOWN.get(state, state.zh), _EN[state], TONE[state], *(step or ("", "")))

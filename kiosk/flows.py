"""The kiosk's multi-step flows and where each screen stands in them (issue 13 item 2).

`FLOWS` names each flow's steps (zh, en); `SCREEN_STEPS` says which step a screen is. The window's
one `StepIndicator` follows the member: `FlowTracker.update(screen, identify_target, sub_step)`
picks the flow of the screen (identification and the shared end screens belong to the flow the
member is in) and the step within it. A screen outside every flow hides the indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.step_indicator import StepIndicator

IDENTIFY = ("核验身份", "Identify")
RECEIPT = ("取凭条", "Receipt")
DONE = ("完成", "Done")

FLOWS: dict[str, tuple[tuple[str, str], ...]] = {
    "withdraw": (IDENTIFY, ("选择提取类型", "Choose the type"), ("核对并提交", "Check and submit"), RECEIPT, DONE),
    "transfer": (IDENTIFY, ("选择转出地", "Where from"), ("核对并提交", "Check and submit"), RECEIPT, DONE),
    "card": (IDENTIFY, ("输入卡号", "Card number"), ("再次确认", "Confirm"), DONE),
    "precheck": (IDENTIFY, ("房屋信息", "The home"), ("可贷额度", "Loan limit")),
    "queue": (("选择业务", "Choose the service"), ("取号", "Ticket"), DONE),
    "print": (IDENTIFY, ("选择证明", "Choose"), ("打印", "Printing"), DONE),
    # a loan's way from the pre-check to the payout: the kiosk takes the first two steps, the rest
    # happen at the counter, so the member sees what comes after the application
    "loan": (("额度预审", "Pre-check"), ("申请与告知", "Apply"), ("柜台受理", "Counter"), ("审批", "Approval"),
             ("签约抵押", "Contract"), ("放款", "Payout")),
}

# screen -> (flow, step index); None for the flow means "the flow the member is in"
SCREEN_STEPS: dict[str, tuple[str | None, int]] = {
    "withdraw": ("withdraw", 1),
    "withdraw_decision": ("withdraw", 2),
    "notice": ("withdraw", 2),
    "transfer": ("transfer", 1),
    "card": ("card", 1),
    "precheck": ("precheck", 1),
    "queue": ("queue", 0),
    "queue-ticket": ("queue", 1),
    "print": ("print", 1),
    "loan_apply": ("loan", 1),
    "receipt": (None, -2),                 # the flow's receipt step (second to last)
    "printing": (None, -2),
    "paper-out-during-print": (None, -2),
    "withdraw-refused": ("withdraw", 2),
    "account-frozen": ("withdraw", 1),
    "take-card": (None, -1),               # the flow's last step
}

# a flow's sub-steps that a screen reports itself (transfer: province and city, then confirm)
SUB_STEPS: dict[tuple[str, str], int] = {
    ("transfer", "province"): 1, ("transfer", "city"): 1, ("transfer", "confirm"): 2,
    ("card", "first"): 1, ("card", "second"): 2,
    ("precheck", "result"): 2,
    ("loan", "started"): 2,  # the application is registered: the counter is next
}


@dataclass
class FlowTracker:
    """The step indicator of the flow on screen."""
    indicator: StepIndicator
    flow: str = ""

    def update(self, screen: str, identify_target: str = "", sub_step: str = "") -> None:
        if screen == "identify":
            flow, index = SCREEN_STEPS.get(identify_target, (None, 0))[0], 0
            if flow is None or FLOWS[flow][0] != IDENTIFY:
                self._hide()
                return
        elif screen in SCREEN_STEPS:
            flow, index = SCREEN_STEPS[screen]
            flow = flow or self.flow
            if not flow:
                self._hide()
                return
            index = SUB_STEPS.get((flow, sub_step), index)
        else:
            self._hide()
            return
        steps = FLOWS[flow]
        if flow != self.flow or self.indicator.steps != list(steps):
            self.indicator.set_steps(steps)
        self.flow = flow
        self.indicator.set_current(index % len(steps))
        self.indicator.show()

    def reset(self) -> None:
        self._hide()

    def _hide(self) -> None:
        self.flow = ""
        self.indicator.hide()

"""The sentence elderly mode reads aloud when a screen opens, for the screens whose prompt is not
their own text (issue 13 item 3). Each says what the screen is for and what to do, in Chinese and
English, and never carries personal data: no name, ID or card number, balance or amount (the
figures are on the screen, for the member's eyes only; tests/kiosk/test_voice_prompts.py)."""

from __future__ import annotations

PROMPTS: dict[str, tuple[str, str]] = {
    "account": ("您的账户信息已显示在屏幕上。", "Your account details are on the screen."),
    "deposits": ("屏幕上是您的缴存明细。", "Your deposit records are on the screen."),
    "withdrawal_history": ("屏幕上是您的提取记录。", "Your withdrawal records are on the screen."),
    "loan": ("屏幕上是您的贷款信息。", "Your loan details are on the screen."),
    "precheck": ("请选择房屋情况并输入房价，屏幕将显示可贷额度。",
                 "Choose the kind of home and enter its price; the screen shows the loan limit."),
    "print": ("请选择要打印的证明。", "Choose the statement to print."),
    "outlets": ("屏幕上是各服务网点的地址和办公时间。", "The service outlets' addresses and hours are on the screen."),
    "card": ("请输入您的银行卡号，再输入一次确认。", "Type your bank card number, then once more to confirm."),
    "notice": ("屏幕上列出了还需补充的全部材料，可以打印，并取号到柜台办理。",
               "Everything still needed is listed on the screen; you can print it and take a ticket for a "
               "counter."),
    "withdraw_decision": ("正在核对提取条件，结果将显示在屏幕上。",
                          "Your eligibility is being checked; the result appears on the screen."),
    "receipt": ("您的申请已保存。", "Your application is saved."),
}


def default_prompt(screen: str, chinese: bool) -> str:
    pair = PROMPTS.get(screen)
    return (pair[0] if chinese else pair[1]) if pair else ""

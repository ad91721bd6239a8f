"""The states a member meets between the services (issue 13 item 3), each a screen of its own in
the one result pattern (ui.result_view), in Chinese and English, with a voice prompt.

    card-unreadable, card-expired, member-not-found, password-locked, account-frozen,
    withdraw-refused, printing, paper-out-during-print, take-card, queue-ticket, help-called

Each screen's words are a `ResultSpec` built from its parameters by `spec(params)` (no Qt), so a
test can walk every screen in both languages. Voice prompts (`ResultSpec.voice`) never carry a
name, an ID or card number, a balance or an amount.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from kiosk.hall_info import hall_info
from kiosk.outcomes import refusal
from kiosk.screens.base import Screen
from ui.qr import qr_pixmap
from ui.result_view import ResultSpec, ResultView, Text
from ui.widgets import button, label

TRY_OTHER_WAYS = Text("也可以使用公积金 App 二维码，或输入证件号码和查询密码。",
                      "You can also use the HPF app's QR code, or your ID number and query password.")
ASK_COUNTER = Text("如需帮助，请按“呼叫工作人员”，或取号到柜台办理。",
                   "For help, press \"Call staff\", or take a ticket for a counter.")


class StateScreen(Screen):
    """A state: the result panel, an optional big line (a ticket number, a QR), and actions."""

    # (object name, zh, en, target screen or "finish" / "help") of each action button
    actions: ClassVar[tuple[tuple[str, str, str, str], ...]] = ()
    # parameters for a fictitious example (screenshots and the voice walk): never a real person's data
    sample: ClassVar[dict[str, Any]] = {}

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.params: dict[str, Any] = {}
        self.result = ResultView()
        self.root.addWidget(self.result)
        self.big = label("", "amount")
        self.big.setObjectName("state-big")
        self.big.setStyleSheet("#state-big{font-size:72pt;font-weight:bold;color:#0b5cad}")
        self.big.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.big.hide()
        self.root.addWidget(self.big)
        self.qr = QLabel()
        self.qr.setObjectName("state-qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.hide()
        self.root.addWidget(self.qr)
        self.root.addStretch(1)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for n, (name, _zh, _en, target) in enumerate(self.actions):
            btn = button("", "primary" if n == len(self.actions) - 1 else "secondary")
            btn.setObjectName(name)
            btn.clicked.connect(lambda _=False, t=target: self._act(t))
            row.addWidget(btn)
            self.buttons[name] = btn
        self.root.addLayout(row)

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        raise NotImplementedError

    def enter(self, **params: Any) -> None:
        self.params = params
        self._show()

    def _show(self) -> None:
        zh = self.ctx.languages.is_chinese
        self.result.show_result(self.spec(self.params), zh)
        for name, text_zh, text_en, _t in self.actions:
            self.buttons[name].setText(text_zh if zh else text_en)

    def _act(self, target: str) -> None:
        window = self.ctx.window
        if window is None:
            return
        if target == "finish":
            window.finish()
        elif target == "home":
            window.home()
        else:
            window.go(target)

    def retranslate(self) -> None:
        self._show()

    def wipe(self) -> None:
        self.params = {}
        self.big.clear()
        self.big.hide()
        self.qr.clear()
        self.qr.hide()

    def voice_prompt(self) -> str:
        return self.spec(self.params).voice(self.ctx.languages.is_chinese)


class CardUnreadableScreen(StateScreen):
    name = "card-unreadable"
    actions = (("other-ways", "其他方式", "Other ways", "identify"),
               ("try-again", "重新放卡", "Place the card again", "identify"))

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        return ResultSpec("warn", Text("无法读取身份证", "The ID card could not be read"),
                          Text("请将身份证平放在阅读器上，保持不动约 2 秒。",
                               "Place the card flat on the reader and hold it still for about 2 seconds."),
                          TRY_OTHER_WAYS)


class CardExpiredScreen(StateScreen):
    name = "card-expired"
    actions = (("home", "返回首页", "Home", "home"), ("queue", "取号到柜台", "Ticket for a counter", "queue"))

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        return ResultSpec("refused", Text("身份证已过有效期", "This ID card has expired"),
                          Text("过期证件不能在自助终端办理业务。请使用有效的身份证，或到柜台办理。",
                               "An expired card can't be used at this terminal. Please use a valid ID card, or go "
                               "to a counter."),
                          Text("换领身份证请到户籍所在地公安机关。",
                               "A new ID card is issued by the police station of your household registration."))


class MemberNotFoundScreen(StateScreen):
    name = "member-not-found"
    actions = (("queue", "取号到柜台", "Ticket for a counter", "queue"),
               ("enter-again", "重新输入", "Enter again", "identify"))

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        return ResultSpec("warn", Text("未找到您的公积金账户", "No provident fund account was found"),
                          Text("请核对证件号码。单位刚为您开户的，资料可能尚未同步。",
                               "Please check the ID number. If your employer has just opened your account, it may "
                               "not be here yet."),
                          ASK_COUNTER)


class PasswordLockedScreen(StateScreen):
    name = "password-locked"
    actions = (("help", "呼叫工作人员", "Call staff", "help-called"),
               ("other-ways", "用身份证或二维码", "Use the ID card or QR code", "identify"))
    sample: ClassVar[dict[str, Any]] = {"zh": "密码错误次数过多，请 15 分钟后再试或到柜台办理。",
              "en": "Too many wrong passwords: try again in 15 minutes or ask at a counter."}

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        when = Text(params["zh"], params["en"]) if params.get("zh") and params.get("en") else \
            Text("本机已暂停密码方式，本次服务结束后恢复。", "The password is paused on this terminal until this "
                                                    "session ends.")
        return ResultSpec("refused", Text("查询密码已锁定", "The query password is locked"),
                          Text("密码错误次数过多。请改用身份证或公积金 App 二维码；忘记密码可到柜台重置。",
                               "Too many wrong passwords. Please use your ID card or the HPF app's QR code; a "
                               "counter can reset a forgotten password."), when)


class AccountFrozenScreen(StateScreen):
    name = "account-frozen"
    needs_member = True
    actions = (("home", "返回首页", "Home", "home"), ("queue", "取号到柜台", "Ticket for a counter", "queue"))
    sample: ClassVar[dict[str, Any]] = {
        "zh": "账户处于冻结状态，暂不能提取", "en": "the account is frozen; no withdrawal possible",
        "clause": "[withdrawals.common] 账户未冻结、未质押"}

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        why = Text(params.get("zh", "") or "账户已封存或冻结。",
                   params.get("en", "") or "The account is sealed or frozen.")
        clause = params.get("clause", "")
        return ResultSpec("refused", Text("账户已封存或冻结，暂不能在本机提取", "The account is sealed or frozen"),
                          why, Text(f"依据：{clause}。请持身份证到柜台咨询解冻或启封。" if clause else
                                    "请持身份证到柜台咨询解冻或启封。",
                                    (f"Rule: {clause}. " if clause else "")
                                    + "Please ask at a counter with your ID card."),
                          voice_text=Text("账户已封存或冻结，暂不能在本机提取，请到柜台咨询。",
                                          "The account is sealed or frozen; please ask at a counter."))


class WithdrawRefusedScreen(StateScreen):
    name = "withdraw-refused"
    needs_member = True
    actions = (("home", "返回首页", "Home", "home"), ("queue", "取号到柜台", "Ticket for a counter", "queue"))

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        decision = params.get("decision")
        if decision is None:
            return ResultSpec("refused", Text("本次提取不能办理", "This withdrawal is not possible"), ASK_COUNTER)
        return refusal(decision)


class PrintingScreen(StateScreen):
    """A print job in progress: the screen that asks the member to wait at the slot."""

    name = "printing"

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        what = params.get("what", ("凭条", "receipt"))
        return ResultSpec("info", Text(f"正在打印{what[0]}，请稍候", f"Printing your {what[1]}, please wait"),
                          Text("打印完成后请从屏幕下方出纸口取走。", "Take it from the slot below the screen when it "
                                                         "is done."))


class PaperOutScreen(StateScreen):
    """The printer stopped during a receipt: what was printed, that nothing is lost, where to get a copy."""

    name = "paper-out-during-print"
    actions = (("help", "呼叫工作人员", "Call staff", "help-called"), ("done", "完成", "Done", "take-card"))
    sample: ClassVar[dict[str, Any]] = {"printed": 9, "total": 21, "qr": "HPF-APP:DEMO-KIOSK-01-20261127-000001"}

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        qr = params.get("qr", "")
        self.qr.setVisible(bool(qr))
        if qr:
            self.qr.setPixmap(qr_pixmap(qr, 7))

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        printed, total = int(params.get("printed", 0)), int(params.get("total", 0))
        done = (Text(f"凭条只打印了一部分（{printed}/{total}）。您的业务已保存，不受影响。",
                     f"Only part of the receipt was printed ({printed} of {total}). Your application is saved "
                     "and not affected.") if total else
                Text("凭条未能打印完整。您的业务已保存，不受影响。",
                     "The receipt could not be printed in full. Your application is saved and not affected."))
        return ResultSpec("warn", Text("打印中断：打印机缺纸", "Printing stopped: the printer is out of paper"), done,
                          Text("请拍照或扫描下方二维码；任一柜台可凭此补打凭条。",
                               "Photograph or scan the code below: any counter can print a copy from it."),
                          voice_text=Text("打印中断，打印机缺纸。您的业务已保存，请扫描屏幕上的二维码，或到柜台补打凭条。",
                                          "Printing stopped: the printer is out of paper. Your application is "
                                          "saved; scan the code on the screen or ask a counter for a copy."))


class TakeCardScreen(StateScreen):
    """The last screen of every service: take the ID card and the receipt."""

    name = "take-card"
    actions = (("finish-now", "完成", "Done", "finish"),)

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        receipt = params.get("receipt", True)
        return ResultSpec("info", Text("请取走身份证和凭条" if receipt else "请取走身份证",
                                       "Please take your ID card and receipt" if receipt else
                                       "Please take your ID card"),
                          Text("感谢使用。按“完成”结束本次服务，或离开后自动结束。",
                               "Thank you. Press \"Done\" to end, or the session ends by itself."))


class QueueTicketScreen(StateScreen):
    """The printed (or, without paper, the remembered) queue ticket."""

    name = "queue-ticket"
    actions = (("done", "完成", "Done", "take-card-no-receipt"),)
    sample: ClassVar[dict[str, Any]] = {"number": "A012", "ahead": 3, "printed": True}

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        number = params.get("number", "")
        self.big.setText(number)
        self.big.setVisible(bool(number))

    def _act(self, target: str) -> None:
        window = self.ctx.window
        if target == "take-card-no-receipt" and window is not None:
            if self.ctx.session.active:
                window.go("take-card", receipt=False)
            else:
                window.home()
            return
        super()._act(target)

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        number, ahead = params.get("number", ""), params.get("ahead")
        printed = params.get("printed", False)
        wait = (Text(f"您前面还有 {ahead} 人，请留意叫号。", f"{ahead} ahead of you; please wait for your number.")
                if ahead is not None else Text("请留意叫号。", "Please wait for your number to be called."))
        paper = (Text("请从屏幕下方取走排队凭条。", "Take your ticket from the slot below the screen.") if printed else
                 Text("本机暂时无法打印，请记住您的号码。", "This terminal can't print right now: please remember "
                                                  "your number."))
        return ResultSpec("success", Text(f"您的排队号：{number}", f"Your number: {number}"), wait, paper,
                          voice_text=Text(f"您的排队号是 {number}。{paper.zh}", f"Your number is {number}. {paper.en}"))


class HelpCalledScreen(StateScreen):
    """呼叫工作人员: the hall's help number, and (online) the counters notified through the ledger."""

    name = "help-called"
    actions = (("back-to-service", "继续办理", "Continue", "back"),)
    sample: ClassVar[dict[str, Any]] = {"state": "called"}

    def enter(self, **params: Any) -> None:
        self.params = {"state": "calling"}
        self._show()
        from kiosk.help_call import place_call  # the call goes out in the background

        place_call(self.ctx, self._answered)

    def _answered(self, state: str) -> None:
        self.params = {"state": state}
        self._show()
        if self.ctx.window is not None and self.ctx.window.current == self.name:
            self.ctx.voice.say(self.voice_prompt())

    def _act(self, target: str) -> None:
        if self.ctx.window is not None:
            self.ctx.window.back()

    def spec(self, params: dict[str, Any]) -> ResultSpec:
        t = self.ctx.config.terminal
        number = hall_info(t.outlet, t.hotline).help_number
        phone = Text(f"大厅服务电话：{number}", f"Hall help line: {number}")
        state = params.get("state", "offline")
        if state == "called":
            return ResultSpec("success", Text("已通知工作人员，请稍候", "Staff have been told: please wait here"),
                              Text("工作人员会尽快到这台终端旁帮助您。", "A member of staff will come to this terminal "
                                                            "shortly."), phone)
        if state == "calling":
            return ResultSpec("info", Text("正在通知工作人员…", "Calling staff…"), phone)
        return ResultSpec("warn", Text("请拨打大厅服务电话", "Please phone the hall's help line"),
                          Text("暂时无法通知柜台。请拨打下方电话，或到柜台咨询。",
                               "The counters can't be told right now. Please phone the number below, or ask at a "
                               "counter."), phone)


def state_screens() -> list[type[StateScreen]]:
    return [CardUnreadableScreen, CardExpiredScreen, MemberNotFoundScreen, PasswordLockedScreen, AccountFrozenScreen,
            WithdrawRefusedScreen, PrintingScreen, PaperOutScreen, TakeCardScreen, QueueTicketScreen,
            HelpCalledScreen]

"""The kiosk window's part in the member's states (issue 13 items 2–4), kept out of kiosk/window.py:
the step indicator following the flow, the session countdown, "call staff", the card states the
reader reports, the way out after a submission, and the devices fed into the one state model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infra.logs import get_logger
from ui.widgets import set_role

if TYPE_CHECKING:
    from kiosk.window import KioskWindow

log = get_logger("kiosk")

# screens reached after an application was submitted: the way out is 完成, never 返回
AFTER_SUBMISSION = frozenset({"receipt", "take-card", "queue-ticket", "paper-out-during-print", "printing"})

# the reader's codes for a card it could not read (hardware/idcard), as opposed to a reader that is down
UNREADABLE_CODES = frozenset({"CHECKSUM", "FRAME_LENGTH", "TRUNCATED_FRAME", "SAM_STATUS", "CARD_DATA",
                              "PROTOCOL_ERROR"})


class StatesMixin:
    """Methods of `KioskWindow` (mixed in): `self` is the window."""

    def fit_devices(self: KioskWindow) -> None:
        """What the state model knows at start-up: which devices are fitted and their status now."""
        services = self.ctx.services
        self.state.fit("reader", services.id_reader)
        self.state.fit("scanner", services.scanner)
        self.state.fit("printer", services.printer)
        self.state.changed.connect(self._state_changed)

    def _state_changed(self: KioskWindow) -> None:
        if self._current == "home":
            self.screens["home"].refresh_availability()  # type: ignore[attr-defined]
        online, self._was_online = self.state.online, getattr(self, "_was_online", None)
        if online == self._was_online:
            return
        self._was_online = online
        current = self.screens[self._current] if self._current else None
        if current is not None and current.needs_member and hasattr(current, "show_snapshot") \
                and self.ctx.session.snapshot is not None:
            current.show_snapshot()  # offline in the header ⇒ the account data says it may be stale

    def follow_flow(self: KioskWindow, name: str, params: dict[str, Any]) -> None:
        target = ""
        if name == "identify":
            target = getattr(self.screens["identify"], "_then", "") or ""
        self.flow.update(name, target, str(params.get("sub_step", "")))

    def sub_step(self: KioskWindow, screen: str, step: str) -> None:
        """A screen with steps of its own (transfer: province, city, confirm) moves the indicator."""
        if self._current == screen:
            self.flow.update(screen, "", step)

    def after_submission(self: KioskWindow) -> bool:
        return self._current in AFTER_SUBMISSION

    def submission_chrome(self: KioskWindow) -> None:
        """After a submission the footer offers 完成 (to "take your card and receipt", then the end), not
        返回 or 首页: the application is saved, and going back would only invite a second one."""
        done = self.after_submission()
        if done:
            self.home_button.setVisible(False)
        zh = self.ctx.languages.is_chinese
        self.finish_button.setText(("完成" if zh else "Done") if done else self.tr("Finish"))
        role = "primary" if done else "danger"  # 完成 is the next step, not a stop: the primary colour
        if self.finish_button.property("role") != role:
            set_role(self.finish_button, role)

    def finish_to_take_card(self: KioskWindow) -> bool:
        """完成 after a submission first asks the member to take the card and the receipt."""
        if self.after_submission() and self._current != "take-card":
            self.go("take-card", remember=False)
            return True
        return False

    def card_expired(self: KioskWindow, payload: object) -> bool:
        """An expired ID card identifies nobody at a kiosk: its own screen, no session."""
        expired = getattr(payload, "is_expired", None)
        if not callable(expired):
            return False
        today = self.local_today()
        if not expired(today):
            return False
        if self.ctx.session.active:
            self.wipe_session("card_expired")
        self.go("card-expired", remember=False)
        return True

    def card_unreadable(self: KioskWindow, event: object) -> bool:
        """A card the reader could not read: its own screen, with the other ways to identify."""
        if getattr(event, "code", "") not in UNREADABLE_CODES or self.ctx.session.active \
                or getattr(self.screens.get(self._current), "takes_device_data", False):
            return False  # a reader that is down is a device state (ui.device_state), not a bad card
        self.go("card-unreadable")
        return True

    def call_staff(self: KioskWindow) -> None:
        if self._current != "help-called":
            self.go("help-called")

    def retranslate_states(self: KioskWindow) -> None:
        zh = self.ctx.languages.is_chinese
        self.help_button.setText("呼叫工作人员" if zh else "Call staff")
        self.steps.set_language(zh)
        self.show_countdown()

    def show_countdown(self: KioskWindow) -> None:
        """The whole session's time left, always visible while a session runs (not only the last 15 s)."""
        left = self.idle.remaining_s() if self.idle.armed else None
        if left is None:
            self.session_label.clear()
            self.session_label.hide()
            return
        minutes, seconds = divmod(max(0, left), 60)
        zh = self.ctx.languages.is_chinese
        self.session_label.setText(f"◷ 本次服务剩余 {minutes}:{seconds:02d}" if zh
                                   else f"◷ Session ends in {minutes}:{seconds:02d}")
        self.session_label.show()

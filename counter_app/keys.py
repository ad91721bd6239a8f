"""The counter's keyboard: one F-key per frequent action, shown on its button ("叫下一位  F2").

A busy clerk keeps both hands on the keyboard: call, identify, start, decide, finish, call the next
one. Each key is a QAction on the main window (window-wide, so it works whichever field has the
focus); it opens the action's screen when that helps and then presses the screen's own button, so
the key can do nothing the button could not (a disabled button says why instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QWidget

if TYPE_CHECKING:
    from counter_app.window import CounterWindow


@dataclass(frozen=True)
class Key:
    """One keyboard shortcut: its key, the screen and button it presses, and its words."""
    name: str
    key: str  # QKeySequence text
    screen: str  # the screen the action belongs to
    button: str  # the screen's button attribute ("" = open the screen and focus `focus`)
    opens: bool  # pressed on another screen: open this one first (else only where it is)
    focus: str = ""  # the field to put the cursor in after opening
    anywhere: bool = False  # acts from any screen without opening its own (the ticket being served)
    zh: str = ""
    en: str = ""


KEYS: tuple[Key, ...] = (
    Key("queue", "F1", "queue", "", True, zh="叫号", en="Queue"),
    Key("call_next", "F2", "queue", "call_btn", True, zh="叫下一位", en="Call next"),
    Key("recall", "F3", "queue", "recall_btn", False, anywhere=True, zh="重呼", en="Call again"),
    Key("skip", "F4", "queue", "skip_btn", False, anywhere=True, zh="过号", en="No-show"),
    Key("done", "F5", "queue", "done_btn", False, anywhere=True, zh="办结", en="Finished"),
    Key("intake", "F6", "intake", "", True, focus="id_number", zh="业务受理", en="Case intake"),
    Key("read_card", "F7", "intake", "read_card", True, zh="读身份证", en="Read ID card"),
    Key("start", "F8", "intake", "start", True, zh="开始受理", en="Start case"),
    Key("decide", "F9", "intake", "decide_btn", True, zh="审核办理", en="Decide"),
    Key("print", "F10", "intake", "print_btn", True, zh="打印凭条", en="Print receipt"),
    Key("approve", "F11", "review", "approve_btn", False, zh="批准", en="Approve"),
    Key("reject", "F12", "review", "reject_btn", False, zh="退回", en="Reject"),
    Key("worklist", "Ctrl+L", "worklist", "", True, focus="table", zh="待办列表", en="Work list"),
    Key("save_draft", "Ctrl+S", "intake", "save_btn", False, zh="保存草稿", en="Save draft"),
    Key("sign_out", "Ctrl+Q", "", "sign_out_btn", False, zh="退出登录", en="Sign out"),  # "": the window's own
)
BY_NAME = {k.name: k for k in KEYS}
SEPARATOR = "  "


def with_key(text: str, key: str) -> str:
    """A button's text with its key, once: "叫下一位  F2"."""
    suffix = SEPARATOR + key
    return text if text.endswith(suffix) else text + suffix


class KeyMap:
    """Installs KEYS on the counter window; `label()` puts each key on its button and menu entry."""

    def __init__(self, window: CounterWindow) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        for k in KEYS:
            action = QAction(window)
            action.setObjectName(f"key-{k.name}")
            action.setShortcut(QKeySequence(k.key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, k=k: self.press(k.name))
            window.addAction(action)
            self.actions[k.name] = action

    def button(self, k: Key, *, build: bool = True) -> QAbstractButton | None:
        """The key's button; `build=False`: None when its screen has not been built yet."""
        screens = self.window.screens
        screen = (screens.get(k.screen) if build else screens.get_built(k.screen)) if k.screen else self.window
        found = getattr(screen, k.button, None) if screen is not None and k.button else None
        return found if isinstance(found, QAbstractButton) else None

    def label(self) -> None:
        for k in KEYS:
            b = self.button(k, build=False)  # a screen built later is labelled then
            if b is not None:
                b.setText(with_key(b.text(), k.key))
        menu = self.window.menu
        keyed = {k.screen: k.key for k in KEYS if not k.button}
        for row in range(menu.count()):
            item = menu.item(row)
            key = keyed.get(item.data(256))
            if key:
                item.setText(with_key(item.text(), key))

    def allowed(self, k: Key) -> bool:
        from domain.staff import can  # signed in (or nothing is allowed): not before the first frame

        role = self.window.ctx.desk.role
        if not k.screen:
            return role is not None
        screen = self.window.screens.get(k.screen)
        return role is not None and screen is not None and (screen.permission is None
                                                            or can(role, screen.permission))

    def press(self, name: str) -> bool:
        """What the key does; True when it pressed the button (or opened the screen)."""
        k = BY_NAME[name]
        w = self.window
        if not self.allowed(k):
            return False
        if k.screen and w.current != k.screen and not k.anywhere:
            if not k.opens:
                return self._unavailable(k)
            w.show_screen(k.screen)
        if not k.button:
            field = getattr(w.screens[k.screen], k.focus, None) if k.focus else None
            if isinstance(field, QWidget):
                field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        b = self.button(k)
        if b is None or not b.isEnabled():
            return self._unavailable(k)
        b.click()
        return True

    def _unavailable(self, k: Key) -> bool:
        w = self.window
        target = w.screens.get(w.current) if w.current in w.screens else None
        if target is not None:
            pick = w.ctx.pick
            target.inform(lambda: pick(f"{k.key} {k.zh}：当前不可用。", f"{k.key} {k.en}: not available now."),
                          "error")
        return False

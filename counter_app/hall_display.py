"""The hall display (大厅显示屏): the ticket being called at each window, in big type, for the lobby screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from counter_app.context import CounterContext
from domain.labels import english_hall


class HallDisplay(QWidget):
    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.ctx = ctx
        self.setObjectName("hall-display")
        self.setStyleSheet("#hall-display{background:#0b3a66} QLabel{color:#ffffff}"
                           "#hall-now{font-size:54pt;font-weight:bold;color:#ffd54f} #hall-list{font-size:26pt}")
        lay = QVBoxLayout(self)
        self.heading = QLabel(objectName="hall-heading")
        self.heading.setStyleSheet("font-size:28pt")
        self.heading_en = QLabel(objectName="hall-heading-en")
        self.heading_en.setStyleSheet("font-size:18pt")
        self.heading_en.setWordWrap(True)
        self.now = QLabel(objectName="hall-now")
        self.now.setWordWrap(True)
        self.list = QLabel(objectName="hall-list")
        self.waiting = QLabel(objectName="hall-waiting")
        self.waiting.setStyleSheet("font-size:22pt")
        self.help = QLabel(objectName="hall-help")  # issue 13: a kiosk called for staff (counter_app.worklist)
        self.help.setStyleSheet("font-size:22pt;color:#ffd54f")
        self.help.hide()
        ctx.events.help_calls_changed.connect(self.show_help_calls)
        top = QVBoxLayout()  # the hall's name in Chinese, its English right under it
        top.setSpacing(4)
        lay.addLayout(top)
        for w in (self.heading, self.heading_en, self.now, self.list, self.waiting, self.help):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if w in (self.heading, self.heading_en):
                w.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
                top.addWidget(w)
            else:
                lay.addWidget(w)
        ctx.events.queue_changed.connect(self.refresh)
        self.setWindowTitle("叫号显示 Queue display")
        self.refresh()

    def refresh(self) -> None:
        queue = self.ctx.services.queue
        settings = self.ctx.desk.settings
        centre_en = self.ctx.services.config.terminal.centre_name_en
        # the lobby reads both languages: the hall's own name, then its English (domain.labels)
        self.heading.setText(f"{settings.centre_name} · {settings.outlet}")
        self.heading_en.setText(f"{centre_en} · {english_hall(settings.outlet)}")
        current = queue.current
        if current:  # the queue (and its module) exists once the store is open (counter_app.starting)
            from counter_app.queueing import announcement
        self.now.setText("\n".join(announcement(current.ticket_no, self.ctx.desk.settings.window)) if current
                         else "欢迎光临 Welcome")
        recent = queue.recent_calls()
        self.list.setText("\n".join(f"{t.ticket_no}  →  {t.window} 号窗口 / window {t.window}" for t in recent))
        self.waiting.setText(f"等候人数 Waiting: {len(queue.waiting())}")

    def show_help_calls(self, calls: list[Any]) -> None:
        terminals = sorted({str(getattr(c, "terminal_id", "")) for c in calls})
        self.help.setText(f"工作人员正在前往自助终端 {'、'.join(terminals)} · Staff are on their way to kiosk "
                          f"{', '.join(terminals)}" if terminals else "")
        self.help.setVisible(bool(terminals))

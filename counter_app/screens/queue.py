"""Queue calling (叫号): call next by category (priority lane first), recall, skip, transfer, finish."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from counter_app.context import CounterContext
from counter_app.fields import field_label
from counter_app.queueing import OTHER, announcement
from counter_app.screens.base import Screen
from domain.catalogue import Category
from domain.staff import Permission
from ui.status import chip_item
from ui.tables import fill_width, read_only_rows

# The categories a counter window serves (queries and tools are self-service at the kiosks).
SERVED = (Category.WITHDRAWAL.value, Category.LOAN.value, Category.TRANSFER.value, Category.SIGNING.value,
          Category.EMPLOYER.value, Category.ACCOUNT.value, Category.QUERY.value, OTHER)
CATEGORY_ZH = {"withdrawal": "提取", "loan": "贷款", "transfer": "转移接续", "signing": "签约", "employer": "单位业务",
               "account": "个人账户",
               "query": "查询打印", "tool": "工具", "other": "其他"}
CATEGORY_EN = {"withdrawal": "Withdrawal", "loan": "Loan", "transfer": "Transfer", "signing": "Card signing",
               "employer": "Employer", "account": "Personal account", "query": "Query and print", "tool": "Tools",
               "other": "Other"}


def category_text(category: str, pick: Callable[[str, str], str]) -> str:
    """A ticket's category in words, never its code."""
    return pick(CATEGORY_ZH.get(category, category), CATEGORY_EN.get(category, category))
REFRESH_MS = 5000
BEIJING = timezone(timedelta(hours=8))


def wait_minutes(issued_at: str, now: datetime) -> int | None:
    """Whole minutes since the ticket was taken (None if the time is unreadable)."""
    try:
        issued = datetime.fromisoformat(issued_at)
    except ValueError:
        return None
    if issued.tzinfo is None:
        issued = issued.replace(tzinfo=UTC)
    return max(0, int((now - issued).total_seconds() // 60))


def _beijing_hhmm(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(BEIJING).strftime("%H:%M")
    except ValueError:
        return ""


class QueueScreen(Screen):
    key = "queue"
    permission = Permission.CALL_QUEUE

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.queue = ctx.services.queue
        cats = QHBoxLayout()
        self.cats_label = QLabel(objectName="label-categories")
        self.cats_label.setProperty("field", True)
        cats.addWidget(self.cats_label)
        self.categories: dict[str, QCheckBox] = {}
        for c in SERVED:
            box = QCheckBox(objectName=f"cat-{c}")
            box.setChecked(c != Category.EMPLOYER.value)
            self.categories[c] = box
            cats.addWidget(box)
        cats.addStretch(1)
        self.layout_.addLayout(cats)
        self.current = QLabel(objectName="current-ticket")
        self.current.setProperty("big", True)
        self.layout_.addWidget(self.current)
        grid = QGridLayout()
        self.call_btn = QPushButton(objectName="call-next")
        self.call_btn.setProperty("primary", True)
        self.call_btn.setProperty("call", True)  # the biggest button on the screen (busy_style)
        self.recall_btn = QPushButton(objectName="recall")
        self.skip_btn = QPushButton(objectName="skip")
        self.done_btn = QPushButton(objectName="done")
        self.transfer_to = QLineEdit(objectName="transfer-window")
        self.transfer_to.setMaximumWidth(120)
        self.transfer_btn = QPushButton(objectName="transfer")
        self.transfer_label = field_label(self.transfer_to)
        grid.addWidget(self.call_btn, 0, 0, 2, 1)
        for n, w in enumerate((self.recall_btn, self.skip_btn, self.done_btn), 1):
            grid.addWidget(w, 0, n)
        transfer = QHBoxLayout()
        transfer.addWidget(self.transfer_label)
        transfer.addWidget(self.transfer_to)
        transfer.addWidget(self.transfer_btn, 1)
        grid.addLayout(transfer, 1, 1, 1, 3)
        grid.setColumnStretch(0, 2)
        for n in (1, 2, 3):
            grid.setColumnStretch(n, 1)
        self.layout_.addLayout(grid)
        self.stale = QLabel(objectName="queue-stale")
        self.layout_.addWidget(self.stale)
        self.table = QTableWidget(0, 5, objectName="waiting")
        self.table.verticalHeader().hide()
        read_only_rows(self.table)
        fill_width(self.table, stretch=(1,))
        self.layout_.addWidget(self.table, 1)
        self.call_btn.clicked.connect(self.call_next)
        self.recall_btn.clicked.connect(self.recall)
        self.skip_btn.clicked.connect(self.skip)
        self.done_btn.clicked.connect(self.done)
        self.transfer_btn.clicked.connect(self.transfer)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Queue")

    def retranslate(self) -> None:
        super().retranslate()
        for value, box in self.categories.items():
            box.setText(category_text(value, self.ctx.pick))
        self.call_btn.setText(self.tr("Call next"))
        self.recall_btn.setText(self.tr("Call again"))
        self.skip_btn.setText(self.tr("No-show"))
        self.done_btn.setText(self.tr("Finished"))
        pick = self.ctx.pick
        self.cats_label.setText(pick("本窗口办理：", "This window serves:"))
        self.transfer_label.setText(pick("转至窗口", "Transfer to window"))
        self.transfer_to.setPlaceholderText(pick("窗口号", "window no."))
        self.transfer_btn.setText(pick("转窗口", "Transfer"))
        self.table.setHorizontalHeaderLabels([self.tr("Ticket"), self.tr("Business"), pick("优先", "Priority"),
                                              self.tr("Taken at"), pick("已等待", "Waiting")])
        self._show()

    def enter(self) -> None:
        self.refresh()
        self.timer.start(REFRESH_MS)

    def hideEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self.timer.stop()

    def chosen(self) -> frozenset[str]:
        return frozenset(v for v, box in self.categories.items() if box.isChecked())

    def refresh(self) -> None:
        self.ctx.ops.run(self.queue.refresh, lambda _: self._refreshed(), self.fail)

    def _refreshed(self) -> None:
        self._show()
        self.ctx.events.queue_changed.emit()

    def _act(self, fn: object) -> None:
        try:
            fn()  # type: ignore[operator]
        except Exception as exc:  # a refusal (role) or a full disk: say so, keep the screen usable
            self.fail(exc)
        self._show()
        self.ctx.events.queue_changed.emit()

    def call_next(self) -> None:
        def go() -> None:
            ticket = self.queue.call_next(self.chosen())
            if ticket is None:
                self.inform(lambda: self.tr("Nobody is waiting for the chosen categories."))
            else:
                self.inform("")
                self._announce()
        self._act(go)

    def recall(self) -> None:
        def go() -> None:
            if self.queue.recall() is not None:
                self._announce()
        self._act(go)

    def skip(self) -> None:
        self._act(self.queue.skip)

    def transfer(self) -> None:
        self._act(lambda: self.queue.transfer(self.transfer_to.text()))

    def done(self) -> None:
        def go() -> None:
            finished = self.queue.done()
            if finished is not None:
                self.ctx.events.service_finished.emit(finished.ticket_no, finished.business)
        self._act(go)

    def _announce(self) -> None:
        ticket = self.queue.current
        if ticket is not None:
            zh, _en = announcement(ticket.ticket_no, self.ctx.desk.settings.window)
            self.ctx.voice.say(zh)  # the hall hears Chinese whatever language the clerk's screen is in
            self.ctx.events.queue_changed.emit()

    def _show(self) -> None:
        t = self.queue.current
        self.current.setText(self.tr("Now serving: %1").replace("%1", t.ticket_no) if t
                             else self.tr("No ticket called"))
        for w in (self.recall_btn, self.skip_btn, self.done_btn, self.transfer_btn):
            w.setEnabled(t is not None)
        waiting = self.queue.waiting()
        waiting.sort(key=lambda x: (not x.priority, x.issued_at))
        self.table.setRowCount(len(waiting))
        cat = self.ctx.desk.catalogue
        now = self.ctx.desk.clock()
        longest = 0
        for row, ticket in enumerate(waiting):
            category = ticket.category(cat)
            minutes = wait_minutes(ticket.issued_at, now)
            longest = max(longest, minutes or 0)
            cells = (ticket.ticket_no, category_text(category, self.ctx.pick),
                     "", _beijing_hhmm(ticket.issued_at),
                     "" if minutes is None else self.ctx.pick(f"{minutes} 分钟", f"{minutes} min"))
            for col, text in enumerate(cells):
                item = chip_item(self.ctx.pick("★ 优先", "★ Priority"), "warn") if col == 2 and ticket.priority \
                    else QTableWidgetItem(text)
                if col == 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        if self.queue.stale:
            when = self.queue.fetched_at
            self.stale.setText(self.tr("Offline: queue as of %1; calls are saved and sent later.")
                               .replace("%1", when.astimezone().strftime("%H:%M") if when else "—"))
        else:
            self.stale.setText(self.tr("%1 waiting").replace("%1", str(len(waiting))) + (
                self.ctx.pick(f" · 最长已等 {longest} 分钟", f" · longest wait {longest} min") if waiting else ""))

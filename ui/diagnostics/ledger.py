"""The ledger connection test and the sync queue inspector (pending, oldest age, parked items with
their reasons, and a retry for a parked item a fix has unblocked)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.diagnostics.source import DiagnosticsSource


class ConnectionTab(QWidget):
    def __init__(self, source: DiagnosticsSource) -> None:
        super().__init__()
        self.source = source
        self.steps: list[Any] = []
        lay = QVBoxLayout(self)
        self.run_btn = QPushButton()
        self.run_btn.setObjectName("connection-test")
        self.run_btn.clicked.connect(self.run)
        self.result = QLabel()
        self.result.setObjectName("connection-result")
        self.result.setWordWrap(True)
        lay.addWidget(self.run_btn)
        lay.addWidget(self.result)
        lay.addStretch(1)
        self.refresh()

    def run(self) -> None:
        client = self.source.client
        if client is None:
            return
        from support.connection import connection_test

        config, status = self.source.config, dict(self.source.sync_status())
        self.result.setText(self.source.pick("正在测试…", "Testing…"))
        self.source.audit("diagnostics.connection_test")
        self.source.run(lambda: connection_test(client, config.terminal.id, status,
                                                verify_tls=config.ledger.verify_tls),
                        self._show, lambda exc: self.result.setText(str(exc)))

    def _show(self, steps: list[Any]) -> None:
        self.steps = steps
        self.refresh()

    def refresh(self) -> None:
        pick = self.source.pick
        self.run_btn.setText(pick("测试中心连接（DNS、TLS、时钟、凭证）",
                                  "Test the ledger connection (DNS, TLS, clock, credential)"))
        self.run_btn.setEnabled(self.source.client is not None)
        names = {"dns": ("域名解析", "DNS"), "tls": ("加密连接", "TLS"), "clock": ("时钟", "Clock"),
                 "credential": ("终端凭证", "Credential")}
        if self.source.client is None:
            self.result.setText(pick("本终端未连接中心系统", "This terminal has no ledger connection"))
        elif self.steps:
            self.result.setText("\n".join(f"{'✓' if s.ok else '✗'} {pick(*names.get(s.name, (s.name, s.name)))}："
                                          f"{pick(s.text_zh, s.text_en)}" for s in self.steps))


class QueueTab(QWidget):
    def __init__(self, source: DiagnosticsSource) -> None:
        super().__init__()
        self.source = source
        self.stats: Any = None
        lay = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("queue-summary")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("queue-parked")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        row = QHBoxLayout()
        self.reload_btn = QPushButton()
        self.reload_btn.setObjectName("queue-reload")
        self.retry_btn = QPushButton()
        self.retry_btn.setObjectName("queue-retry")
        self.reload_btn.clicked.connect(self.reload)
        self.retry_btn.clicked.connect(self.retry)
        row.addWidget(self.reload_btn)
        row.addWidget(self.retry_btn)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self.refresh()

    def reload(self) -> None:
        outbox = self.source.outbox
        if outbox is None:
            return
        from support.state import outbox_stats

        self.source.run(lambda: outbox_stats(outbox), self._loaded, lambda exc: self.summary.setText(str(exc)))

    def _loaded(self, stats: Any) -> None:
        self.stats = stats
        self.refresh()

    def retry(self) -> None:
        outbox, stats = self.source.outbox, self.stats
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if outbox is None or stats is None or not rows:
            return
        seqs = [stats.parked_items[r].seq for r in rows if r < len(stats.parked_items)]
        who = self.source.technician()

        def work() -> None:
            for seq in seqs:
                outbox.resolve(seq, who, requeue=True)

        for seq in seqs:
            self.source.audit("sync.retry_parked", seq=seq)
        self.source.run(work, lambda _r: self.reload(), lambda exc: self.summary.setText(str(exc)))

    def refresh(self) -> None:
        pick = self.source.pick
        self.reload_btn.setText(pick("刷新", "Reload"))
        self.retry_btn.setText(pick("重新发送选中的挂起业务", "Retry the selected parked items"))
        self.table.setHorizontalHeaderLabels([pick("序号", "Seq"), pick("业务", "Kind"), pick("时间", "Created"),
                                              pick("尝试", "Attempts"), pick("原因", "Reason")])
        s = self.stats
        if self.source.outbox is None:
            self.summary.setText(pick("本终端没有本地队列", "This terminal has no local queue"))
            return
        if s is None:
            self.summary.setText(pick("尚未读取", "Not read yet"))
            return
        age = "—" if s.oldest_unsent_age_s is None else f"{s.oldest_unsent_age_s / 60:.1f}"
        self.summary.setText(pick(f"待发送 {s.pending}，发送中 {s.in_flight}，挂起 {s.parked}，最早未发送 {age} 分钟前",
                                  f"Pending {s.pending}, in flight {s.in_flight}, parked {s.parked}, "
                                  f"oldest unsent {age} min ago"))
        self.table.setRowCount(len(s.parked_items))
        for r, p in enumerate(s.parked_items):
            for c, text in enumerate([str(p.seq), p.kind, p.created_at[:19], str(p.attempts),
                                      f"{p.reason_code}: {pick(p.reason_zh, p.reason_en)}"]):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.retry_btn.setEnabled(bool(s.parked_items))

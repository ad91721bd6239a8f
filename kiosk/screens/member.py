"""What the member screens share: the masked greeting, the offline-copy banner, facts and tables.

Every value shown is taken from the session's `AccountSnapshot` as the domain computed it; the
screens only format (money with `domain.money.format_yuan`, times in Beijing time).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from domain.account import AccountSnapshot
from kiosk.screens.base import Screen
from kiosk.screens.identify import greeting
from ui.layouts import ResponsiveGrid
from ui.paging import PagedList, PagedTable
from ui.widgets import Banner, Card, field_row, label


def local_time(ctx: Any, when: datetime) -> str:
    return when.astimezone(ZoneInfo(ctx.config.terminal.timezone)).strftime("%Y-%m-%d %H:%M")


class MemberScreen(Screen):
    """A screen about the identified member's account."""

    needs_member = True

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.title = label("", "title")
        self.who = label("", "body")
        self.who.setObjectName("member-greeting")
        self.stale = Banner("banner-offline")
        self.stale.setObjectName("stale-banner")
        heading = QHBoxLayout()  # the masked greeting beside the title, not under it: a line more for content
        heading.addWidget(self.title, 1)
        heading.addWidget(self.who, 0, Qt.AlignmentFlag.AlignBottom)
        self.root.addLayout(heading)
        self.root.addWidget(self.stale)
        self._facts: list[tuple[QLabel, QLabel]] = []

    @property
    def snapshot(self) -> AccountSnapshot | None:
        snap = self.ctx.session.snapshot
        return snap if isinstance(snap, AccountSnapshot) else None

    def enter(self, **params: Any) -> None:
        self.show_snapshot()

    def unavailable_reason(self) -> str:
        window = self.ctx.window
        return window.screens["identify"].unavailable_reason() if window is not None else ""

    def show_snapshot(self) -> None:
        snap = self.snapshot
        if snap is None:
            self.wipe()
            return
        self.who.setText(greeting(snap))
        window = self.ctx.window
        state = getattr(window, "state", None)
        if not snap.is_stale and state is not None and state.sync_known and not state.online:
            # the header says offline: figures fetched before the outage may have changed since (ui.device_state)
            self.stale.show_text(self.tr("The centre cannot be reached: these figures are a copy saved on this "
                                         "terminal at %1 (Beijing time) and may have changed since.")
                                 .replace("%1", local_time(self.ctx, snap.as_of)))
        elif snap.is_stale:
            self.stale.show_text(self.tr("The centre cannot be reached: these figures are a copy saved on this "
                                         "terminal at %1 (Beijing time) and may have changed since.")
                                 .replace("%1", local_time(self.ctx, snap.as_of)))
        else:
            self.stale.clear_text()
        self.fill(snap)

    def fill(self, snap: AccountSnapshot) -> None:
        """Put the snapshot's values into the widgets."""

    def wipe(self) -> None:
        self.who.setText("")
        self.stale.clear_text()
        for _name, value in self._facts:
            value.setText("")

    def facts_card(self, count: int, landscape_columns: int = 1, *, paged: bool = False) -> Card:
        """`count` name/value rows; `landscape_columns` of them side by side on a wide screen; `paged`:
        as many rows as fit the room the card is given, the rest on pages (ui.paging)."""
        card = Card()
        rows = []
        for _ in range(count):
            name, value = label("", "body"), label("", "key")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            self._facts.append((name, value))
            rows.append(field_row(name, value))
        if paged:
            card.layout_.addWidget(PagedList(rows, spacing=card.layout_.spacing()), 1)
        elif landscape_columns > 1:
            card.layout_.addWidget(ResponsiveGrid(rows, landscape_columns, 1, spacing=10))
        else:
            for row in rows:
                card.layout_.addWidget(row)
        return card


def make_table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(48)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return table


def fill_table(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table.clearContents()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c and any(ch.isdigit() for ch in text[:2]) or text.startswith("¥"):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    _repage(table)


def clear_table(table: QTableWidget) -> None:
    table.clearContents()
    table.setRowCount(0)
    _repage(table)


def _repage(table: QTableWidget) -> None:
    parent = table.parentWidget()
    if isinstance(parent, PagedTable):  # shown a page at a time: cut the new rows into pages
        parent.refresh()

"""Feeds the active-case bar from the counter's events: the ticket called, the member identified,
the business chosen, the time since the call (or since the member was identified, for a walk-in)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject

from counter_app.context import CounterContext
from ui.casebar import ActiveCaseBar


class ActiveCase(QObject):
    def __init__(self, ctx: CounterContext, bar: ActiveCaseBar) -> None:
        super().__init__(bar)
        self.ctx, self.bar = ctx, bar
        bar.clock = lambda: ctx.desk.clock()  # the desk's clock, also once the store has opened (counter_app.starting)
        self.ticket: Any = None  # queueing.Ticket
        self.member_name = ""
        self.item_code = ""
        self.started: datetime | None = None
        ctx.events.queue_changed.connect(self._queue_changed)
        ctx.events.member_chosen.connect(self._member)
        ctx.events.case_started.connect(self._case)
        ctx.languages.changed.connect(lambda _l: self.show())
        self.show()

    def _queue_changed(self) -> None:
        current = getattr(self.ctx.services.queue, "current", None)
        if current is None:
            if self.ticket is not None:  # finished, no-show or transferred: the desk is free
                self.clear()
            return
        if self.ticket is None or current.ticket_no != self.ticket.ticket_no:
            self.ticket, self.member_name, self.item_code = current, "", ""
            self.started = self.ctx.desk.clock()
        self.show()

    def _member(self, member: Any) -> None:
        self.member_name = getattr(member, "name", "") or ""
        self.item_code = ""
        if self.started is None:
            self.started = self.ctx.desk.clock()
        self.show()

    def _case(self, intake: Any) -> None:
        self.item_code = getattr(intake, "item_code", "")
        if not self.member_name:
            self.member_name = getattr(getattr(intake, "member", None), "name", "") or ""
        if self.started is None:
            self.started = self.ctx.desk.clock()
        self.show()

    def clear(self) -> None:
        self.ticket, self.member_name, self.item_code, self.started = None, "", "", None
        self.show()

    def business(self) -> str:
        if not self.item_code and self.ticket is None:  # nothing chosen (also: before the store opened)
            return ""
        cat = self.ctx.desk.catalogue
        if self.item_code and self.item_code in cat.items:
            item = cat.items[self.item_code]
            return self.ctx.pick(item.name, item.name_en)
        if self.ticket is not None:
            from counter_app.screens.queue import category_text

            category = self.ticket.category(cat)
            return category_text(category, self.ctx.pick)
        return ""

    def show(self) -> None:
        pick = self.ctx.pick
        role = self.ctx.desk.role
        calls = False
        if role is not None:  # domain.staff: imported once somebody is signed in
            from domain.staff import Permission, can

            calls = can(role, Permission.CALL_QUEUE)
        idle = pick("窗口空闲 · 按 F2 叫下一位", "Window free · press F2 to call the next ticket") if calls \
            else pick("当前没有正在办理的业务", "Nobody is being served at this window")
        self.bar.set_captions(pick("正在办理", "Now serving"), idle, pick("已用时", "Elapsed"))
        ticket = self.ticket.ticket_no if self.ticket is not None else None
        if ticket is None and self.member_name:
            ticket = pick("未取号", "no ticket")
        name = ""
        if self.member_name:  # domain.masking's patterns: once somebody is served
            from domain.masking import mask_name

            name = mask_name(self.member_name)
        self.bar.show_case(ticket, name, self.business(), self.started)

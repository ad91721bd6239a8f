"""The counter's UI language: English source strings in `tr()`, Chinese from counter_zh_CN.qm.

The counter has its own translation catalogue; everything else (switching, `pick(zh, en)` for
texts that come bilingual from the domain or the ledger) is `ui.i18n.Languages`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from ui.i18n import Languages


class CounterLanguages(Languages):
    def __init__(self, language: str = "zh_CN", parent: QObject | None = None) -> None:
        super().__init__(language, parent, catalogue="counter")

"""Style additions for the busy-clerk counter: the big call button, field labels, keyed buttons."""

from __future__ import annotations

from ui.theme import NORMAL as T

BUSY_STYLE = f"""
QPushButton[call="true"] {{ font-size: 22pt; font-weight: bold; min-height: 76px; padding: 8px 28px;
                            background: {T.primary}; color: {T.on_primary}; border: 2px solid {T.header}; }}
QPushButton[call="true"]:disabled {{ background: {T.disabled_bg}; color: {T.disabled_text}; }}
QLabel[field="true"] {{ font-weight: bold; color: {T.muted}; padding: 0 2px; }}
QHeaderView::section {{ background: {T.secondary}; color: {T.on_secondary}; padding: 4px 8px; font-weight: bold;
                        border: none; border-right: 1px solid {T.border}; }}
QTableWidget {{ alternate-background-color: {T.window}; gridline-color: {T.border}; }}
"""

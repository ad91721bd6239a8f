"""The counter's style sheet: the shared theme's colours at desktop sizes (a counter PC is read
at arm's length with a mouse, not touched like a kiosk)."""

from __future__ import annotations

from counter_app.busy_style import BUSY_STYLE
from ui.theme import NORMAL as T

STYLE = f"""
#counter-window, QWidget {{ background: {T.window}; color: {T.text}; font-family: "Noto Sans CJK SC";
                            font-size: 11pt; }}
QLabel#header {{ background: {T.header}; color: {T.on_header}; font-size: 14pt; padding: 6px 10px; }}
QLabel#title {{ font-size: 16pt; font-weight: bold; padding: 4px 0; }}
QLabel#banner {{ background: {T.info_bg}; padding: 6px; border-radius: 4px; }}
QLabel#banner[kind="error"] {{ background: {T.offline_bg}; }}
QLabel[big="true"] {{ font-size: 20pt; font-weight: bold; color: {T.primary}; }}
QLabel[warn="true"] {{ color: {T.danger}; }}
QLabel#sync-state[offline="true"] {{ background: {T.offline_bg}; padding: 2px 6px; }}
QPushButton {{ background: {T.secondary}; color: {T.on_secondary}; border: 1px solid {T.border};
               border-radius: 4px; padding: 6px 12px; min-height: 28px; }}
QPushButton[primary="true"] {{ background: {T.primary}; color: {T.on_primary}; }}
QPushButton:disabled {{ background: {T.disabled_bg}; color: {T.disabled_text}; }}
QListWidget#menu {{ background: {T.surface}; font-size: 12pt; }}
QListWidget#menu::item {{ padding: 8px; }}
QListWidget#menu::item:selected {{ background: {T.primary}; color: {T.on_primary}; }}
QTableWidget, QLineEdit, QPlainTextEdit, QComboBox {{ background: {T.surface}; }}
"""
STYLE += BUSY_STYLE

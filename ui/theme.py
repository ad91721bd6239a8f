"""The visual theme: colours, type sizes and touch-target sizes, normal and elderly mode.

One `Theme` value describes a mode; `stylesheet(theme)` turns it into the application's Qt
style sheet, so every size and colour on screen comes from here (the accessibility test reads
the same figures). Elderly mode follows the MIIT 2021 适老化 rules (BRIEF §7): body text ≥ 18 pt,
key text ≥ 30 pt, touch targets ≥ 60×60 px, contrast ≥ 4.5:1. Normal mode keeps targets ≥ 44 px.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from PySide6.QtGui import QColor, QFont

FONT_FAMILY = "Noto Sans CJK SC"

# Widget roles used in the style sheet: widget.setProperty("role", ...).
ROLES = ("title", "key", "tile-text", "body", "small", "tile", "primary", "secondary", "danger", "banner-info",
         "banner-warn", "banner-offline", "amount", "header", "footer", "keypad", "chip")


@dataclass(frozen=True)
class Theme:
    """Font sizes and colours of one display theme."""
    name: str
    body_pt: int
    key_pt: int        # key-function text: amounts, primary buttons, tile titles
    title_pt: int
    small_pt: int      # the smallest text on screen (notes, table cells)
    target_px: int     # minimum touch target, both sides
    tile_px: int       # home tiles are square-ish and bigger than any minimum
    # colours, as #rrggbb
    window: str
    surface: str
    text: str
    muted: str
    primary: str
    on_primary: str
    secondary: str
    on_secondary: str
    danger: str
    on_danger: str
    header: str
    on_header: str
    info_bg: str
    warn_bg: str
    offline_bg: str
    border: str
    disabled_bg: str
    disabled_text: str
    button_pt: int = 0  # every button's text (0: body_pt); elderly mode: ≥ 30 pt (适老化 key text)

    def color_pairs(self) -> dict[str, tuple[str, str]]:
        """Every (foreground, background) pair the style sheet uses, by name."""
        return {
            "body": (self.text, self.window),
            "muted": (self.muted, self.window),
            "surface": (self.text, self.surface),
            "muted-surface": (self.muted, self.surface),
            "primary": (self.on_primary, self.primary),
            "secondary": (self.on_secondary, self.secondary),
            "danger": (self.on_danger, self.danger),
            "header": (self.on_header, self.header),
            "banner-info": (self.text, self.info_bg),
            "banner-warn": (self.text, self.warn_bg),
            "banner-offline": (self.text, self.offline_bg),
            "disabled": (self.disabled_text, self.disabled_bg),
            "link": (self.primary, self.surface),
        }


NORMAL = Theme(
    name="normal", body_pt=14, key_pt=22, title_pt=26, small_pt=12, target_px=56, tile_px=200,
    window="#eef2f7", surface="#ffffff", text="#1b2430", muted="#4a5565",
    primary="#0b5394", on_primary="#ffffff", secondary="#dde6f1", on_secondary="#0b3a66",
    danger="#b3261e", on_danger="#ffffff", header="#0b3a66", on_header="#ffffff",
    info_bg="#dcebfa", warn_bg="#fde8c4", offline_bg="#f6d8d6", border="#b8c4d3",
    disabled_bg="#e3e6ea", disabled_text="#4d5560",
)

ELDERLY = Theme(
    name="elderly", body_pt=20, key_pt=32, title_pt=36, small_pt=18, target_px=68, tile_px=200,
    window="#ffffff", surface="#ffffff", text="#000000", muted="#2b2b2b",
    primary="#003d7a", on_primary="#ffffff", secondary="#e6edf5", on_secondary="#002a55",
    danger="#8c1c13", on_danger="#ffffff", header="#002a55", on_header="#ffffff",
    info_bg="#e3f0ff", warn_bg="#fff0cc", offline_bg="#ffe0dd", border="#333333",
    disabled_bg="#e6e6e6", disabled_text="#333333", button_pt=30,
)


def theme_for(elderly: bool) -> Theme:
    return ELDERLY if elderly else NORMAL


def relative_luminance(color: str | QColor) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    c = QColor(color)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(fg: str | QColor, bg: str | QColor) -> float:
    a, b = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def app_font(theme: Theme) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSize(theme.body_pt)
    return font


def centre_override(t: Theme) -> str:
    """A centre's own additions (`resources/styles/<theme>.qss`, e.g. its logo colours), if shipped.
    They come after the generated rules, so they win; the accessibility test still checks them."""
    path = resources.files("resources.styles") / f"{t.name}.qss"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def stylesheet(t: Theme) -> str:
    """The application style sheet for one theme (sizes in pt and px, colours from the theme)."""
    return _generated(t) + centre_override(t)


def _generated(t: Theme) -> str:
    return f"""
QWidget {{ font-family: "{FONT_FAMILY}"; font-size: {t.body_pt}pt; color: {t.text}; }}
QMainWindow, QStackedWidget, QWidget#screen {{ background: {t.window}; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {t.title_pt}pt; font-weight: bold; }}
QLabel[role="key"], QLabel[role="amount"] {{ font-size: {t.key_pt}pt; font-weight: bold; }}
QLabel[role="small"] {{ font-size: {t.small_pt}pt; color: {t.muted}; }}
QWidget#header {{ background: {t.header}; }}
QWidget#header QLabel, QWidget#header QPushButton {{ color: {t.on_header}; }}
QWidget#header QPushButton {{ background: {t.header}; border: 2px solid {t.on_header}; border-radius: 8px;
    padding: 4px 16px; min-height: {t.target_px}px; min-width: {t.target_px}px; }}
QWidget#header QPushButton:checked {{ background: {t.on_header}; color: {t.header}; }}
QWidget#footer {{ background: {t.surface}; border-top: 1px solid {t.border}; }}
QFrame[role="card"] {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 12px; }}
QFrame[role="card"] QLabel[role="small"] {{ color: {t.muted}; }}
QPushButton {{ min-height: {t.target_px}px; min-width: {t.target_px}px; border-radius: 10px;
    padding: 6px 20px; background: {t.secondary}; color: {t.on_secondary}; border: 2px solid {t.border};
    font-size: {t.button_pt or t.body_pt}pt; }}
QCheckBox {{ font-size: {t.button_pt or t.body_pt}pt; }}
QPushButton[role="primary"] {{ background: {t.primary}; color: {t.on_primary}; border: none;
    font-size: {t.key_pt}pt; font-weight: bold; }}
QPushButton[role="danger"] {{ background: {t.danger}; color: {t.on_danger}; border: none; }}
QPushButton[role="tile"] {{ background: {t.surface}; color: {t.text}; border: 2px solid {t.border};
    border-radius: 16px; min-height: {t.tile_px}px; min-width: {t.tile_px}px; font-size: {t.key_pt}pt;
    font-weight: bold; text-align: center; }}
QLabel[role="tile-text"] {{ font-size: {t.button_pt or t.key_pt}pt; font-weight: bold; color: {t.text}; }}
QLabel[role="tile-text"]:disabled {{ color: {t.disabled_text}; }}
QPushButton[role="keypad"] {{ background: {t.surface}; color: {t.text}; font-size: {t.key_pt}pt;
    font-weight: bold; min-height: {t.target_px}px; min-width: {t.target_px + 30}px; }}
QPushButton[role="chip"] {{ background: {t.surface}; color: {t.text}; }}
QPushButton[role="chip"]:checked {{ background: {t.primary}; color: {t.on_primary}; border-color: {t.primary}; }}
QPushButton:disabled, QPushButton[role="tile"]:disabled {{ background: {t.disabled_bg};
    color: {t.disabled_text}; border-color: {t.disabled_bg}; }}
QLabel[role="banner-info"] {{ background: {t.info_bg}; color: {t.text}; padding: 10px 16px; border-radius: 8px; }}
QLabel[role="banner-warn"] {{ background: {t.warn_bg}; color: {t.text}; padding: 10px 16px; border-radius: 8px;
    font-weight: bold; }}
QLabel[role="banner-offline"] {{ background: {t.offline_bg}; color: {t.text}; padding: 10px 16px;
    border-radius: 8px; font-weight: bold; }}
QLineEdit {{ background: {t.surface}; color: {t.text}; border: 2px solid {t.border}; border-radius: 8px;
    padding: 6px 12px; min-height: {t.target_px}px; font-size: {t.key_pt}pt; }}
QComboBox {{ background: {t.surface}; color: {t.text}; border: 2px solid {t.border}; border-radius: 8px;
    padding: 4px 12px; min-height: {t.target_px}px; }}
QTableView, QTableWidget {{ background: {t.surface}; color: {t.text}; gridline-color: {t.border};
    font-size: {t.small_pt}pt; alternate-background-color: {t.window}; }}
QHeaderView::section {{ background: {t.secondary}; color: {t.on_secondary}; padding: 6px;
    font-size: {t.small_pt}pt; font-weight: bold; border: none; }}
QScrollBar:vertical {{ width: {max(24, t.target_px // 2)}px; }}
"""


# Status chips and result panels (the counter's one status vocabulary, domain.case_status.Tone):
# (text, background, accent) per tone; text on background ≥ 4.5:1 (tests/ui/test_status_widgets.py).
TONES: dict[str, tuple[str, str, str]] = {
    "neutral": ("#1b2430", "#e3e6ea", "#5f6b7a"),
    "pending": ("#0b3a66", "#dcebfa", "#0b5394"),
    "warn": ("#5c3b00", "#fde8c4", "#b26a00"),
    "ok": ("#0f4d1f", "#d6f0dc", "#1e7b34"),
    "danger": ("#7a1410", "#f6d8d6", "#b3261e"),
}

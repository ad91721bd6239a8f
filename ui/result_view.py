"""One result pattern for every outcome a member meets (issue 13 item 2).

`ResultView` shows an outcome the same way everywhere: a large icon and colour band for its kind,
the title, then up to three plain sentences — what happens next, when, and where the money goes
(or, for a refusal, the rule's clause). The kinds:

    success   ✓ green    approved, paid, printed
    pending   ◷ amber    a clerk will check it: how long and what happens (from policy)
    refused   ✗ red      not possible: the reason with its clause
    queued    ⇡ blue     saved on this terminal, sent when the centre is reachable
    info      ℹ blue     a state that asks something of the member (take your card …)
    warn      ⚠ amber    a device or network problem, with the alternative

Screens fill it from `ResultSpec`, a plain value with both languages, so the copy can be tested
without Qt and the voice prompt (`ResultSpec.voice`) never carries personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.widgets import label

KINDS: dict[str, tuple[str, str, str]] = {  # kind -> (icon, colour, pale background)
    "success": ("✓", "#1b7f3b", "#e7f5ec"),
    "pending": ("◷", "#8a5a00", "#fff4dc"),
    "refused": ("✗", "#b3261e", "#fdecea"),
    "queued": ("⇡", "#0b5cad", "#e6f0fb"),
    "info": ("ℹ", "#0b5cad", "#e6f0fb"),
    "warn": ("⚠", "#8a5a00", "#fff4dc"),
}


@dataclass(frozen=True)
class Text:
    """One sentence in both languages."""

    zh: str
    en: str

    def pick(self, chinese: bool) -> str:
        return self.zh if chinese else self.en


@dataclass(frozen=True)
class ResultSpec:
    kind: str
    title: Text
    next: Text | None = None     # what happens next
    when: Text | None = None     # and when
    money: Text | None = None    # where the money goes (or, refused: the clause)
    voice_text: Text | None = None  # what is read aloud; the title when None. Never personal data.

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown result kind {self.kind!r}; use one of {', '.join(KINDS)}")

    def lines(self, chinese: bool) -> list[str]:
        return [t.pick(chinese) for t in (self.next, self.when, self.money) if t is not None and t.pick(chinese)]

    def voice(self, chinese: bool) -> str:
        return (self.voice_text or self.title).pick(chinese)


class ResultView(QFrame):
    """The outcome panel: icon, colour, title and the next/when/money sentences."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("result-view")
        self.spec: ResultSpec | None = None
        self._chinese = True
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        outer.setSpacing(24)
        self.icon = QLabel()
        self.icon.setObjectName("result-icon")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.icon.setFixedSize(96, 96)
        outer.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        self.title = label("", "title")
        self.title.setObjectName("result-title")
        self.next = label("", "key")
        self.next.setObjectName("result-next")
        self.when = label("", "body")
        self.when.setObjectName("result-when")
        self.money = label("", "body")
        self.money.setObjectName("result-money")
        for w in (self.title, self.next, self.when, self.money):
            text.addWidget(w)
        outer.addLayout(text, 1)
        self.hide()

    @property
    def kind(self) -> str:
        return self.spec.kind if self.spec is not None else ""

    def show_result(self, spec: ResultSpec, chinese: bool) -> None:
        self.spec, self._chinese = spec, chinese
        icon, colour, pale = KINDS[spec.kind]
        self.setProperty("kind", spec.kind)
        self.setStyleSheet(f"#result-view{{background:{pale};border:3px solid {colour};border-radius:12px}}"
                           f"#result-icon{{color:#ffffff;background:{colour};border-radius:48px;font-size:44pt;"
                           f"font-weight:bold}} #result-title{{color:{colour}}}")
        self.icon.setText(icon)
        self.title.setText(spec.title.pick(chinese))
        for widget, text in ((self.next, spec.next), (self.when, spec.when), (self.money, spec.money)):
            words = text.pick(chinese) if text is not None else ""
            widget.setText(words)
            widget.setVisible(bool(words))
        self.show()

    def retranslate(self, chinese: bool) -> None:
        if self.spec is not None:
            self.show_result(self.spec, chinese)

    def clear(self) -> None:
        self.spec = None
        for w in (self.icon, self.title, self.next, self.when, self.money):
            w.setText("")
        self.hide()

    def voice(self) -> str:
        return self.spec.voice(self._chinese) if self.spec is not None else ""

"""The counter's UI language: English source strings in `tr()`, Chinese from counter_zh_CN.qm.

Texts that come from the domain or the ledger carry both languages already; `pick(zh, en)` takes
the right one. Switching installs or removes the translator and emits `changed`; the window then
asks every screen to `retranslate()`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTranslator, Signal

from infra.logs import get_logger

log = get_logger("counter")

LANGUAGES = ("zh_CN", "en")


def qm_path(language: str) -> Path:
    return Path(str(resources.files("resources.i18n") / f"counter_{language}.qm"))


class CounterLanguages(QObject):
    changed = Signal(str)

    def __init__(self, language: str = "zh_CN", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translator: QTranslator | None = None
        self._language = "en"
        self.set_language(language)

    @property
    def current(self) -> str:
        return self._language

    @property
    def is_chinese(self) -> bool:
        return self._language.startswith("zh")

    def pick(self, zh: str, en: str) -> str:
        return zh if self.is_chinese else en

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}; use one of {', '.join(LANGUAGES)}")
        if language == self._language:
            return
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None
        if language != "en":
            translator = QTranslator(self)
            if translator.load(str(qm_path(language))):
                QCoreApplication.installTranslator(translator)
                self._translator = translator
            else:  # a packaging fault: the counter stays usable in English
                log.error("counter translation missing or unreadable: %s", qm_path(language).name)
        self._language = language
        self.changed.emit(language)

    def toggle(self) -> None:
        self.set_language("en" if self.is_chinese else "zh_CN")

"""Languages: Qt translators for the UI strings, and picking the right half of zh/en pairs.

UI source strings are English inside `tr()`; Chinese comes from `resources/i18n/hpf_zh_CN.qm`, and
English plurals ("%n second(s)" → "1 second" / "5 seconds") from `hpf_en.qm`
(resources/i18n/english_plurals.py writes it).
Texts that arrive from the domain or the ledger already carry both languages (`zh`, `en`), and
`Languages.pick` chooses one. Switching installs or removes the translator; Qt then sends every
widget a LanguageChange event, and screens re-set their texts in `retranslate()`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTranslator, Signal

from infra.logs import get_logger
from ui.qtcompat import emit

log = get_logger("ui")

LANGUAGES = ("zh_CN", "en")
_CURRENT = ["en"]  # the language last set by any `Languages` (shared widgets in ui/ read it)


def bilingual(zh: str, en: str) -> str:
    """The half of a zh/en pair for the application's current language (for shared widgets that
    carry their own short texts, such as the pager's 上一页/下一页)."""
    return zh if _CURRENT[0].startswith("zh") else en


def qm_path(language: str, catalogue: str = "hpf") -> Path:
    """The compiled translation of one catalogue: `hpf` (kiosk and ui/) or `counter`."""
    return Path(str(resources.files("resources.i18n") / f"{catalogue}_{language}.qm"))


class Languages(QObject):
    """The current UI language of the application."""

    changed = Signal(str)

    def __init__(self, language: str = "zh_CN", parent: QObject | None = None, *, catalogue: str = "hpf") -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._translator: QTranslator | None = None
        self._language = ""  # none yet: English too installs its (plurals) file
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
        app = QCoreApplication.instance()
        if self._translator is not None and app is not None:
            QCoreApplication.removeTranslator(self._translator)
        self._translator = None
        # English is the source language; its file only holds plural forms ("1 second", "%n seconds")
        if language != "en" or qm_path(language, self._catalogue).exists():
            translator = QTranslator(self)
            path = qm_path(language, self._catalogue)
            if translator.load(str(path)):
                QCoreApplication.installTranslator(translator)
                self._translator = translator
            else:  # a packaging fault: the UI stays usable in English
                log.error("translation file missing or unreadable: %s", path.name)
        self._language = language
        _CURRENT[0] = language
        emit(self.changed, language)

    def toggle(self) -> None:
        self.set_language("en" if self.is_chinese else "zh_CN")

    def release(self) -> None:
        """Uninstall this object's translator (its window is closing for good)."""
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None

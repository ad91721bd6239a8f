"""Voice prompts through Qt TextToSpeech where an engine exists; silent otherwise.

Elderly mode reads the key sentence of each screen aloud (BRIEF §7: read-aloud at least for the
body text). A terminal without a speech engine stays silent rather than failing. Tests use
Qt's "mock" engine.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, QLoggingCategory, QObject

from infra.logs import get_logger

log = get_logger("ui")

# Qt Multimedia probes for PipeWire when TextToSpeech loads and warns if the library is absent;
# kiosks use PulseAudio or speech-dispatcher, so that warning is harmless noise.
QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")

PREFERRED_ENGINES = ("speechd", "flite", "sapi", "winrt", "darwin")


class Voice(QObject):
    """Speaks when enabled (elderly mode); the engine is created the first time it is needed."""

    def __init__(self, engine: str | None = None, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spoken: list[str] = []  # the last prompts, for tests and the technician screen
        self._wanted_engine = engine
        self._tts: Any = None
        self._tried = False
        self._locale = ""
        self.engine = ""
        self._enabled = False
        self.enabled = enabled

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self._enabled = on
        if on and not self._tried:
            self._create()
        if not on:
            self.stop()

    def _create(self) -> None:
        self._tried = True
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError as exc:  # missing system library (libpulse): stay silent
            log.info("voice prompts off: %s", exc)
            return
        available = QTextToSpeech.availableEngines()
        wanted = self._wanted_engine
        candidates = [wanted] if wanted in available else [e for e in PREFERRED_ENGINES if e in available]
        for choice in candidates:
            tts = QTextToSpeech(choice, self)
            if tts.state() != QTextToSpeech.State.Error:  # a plug-in can be listed but unusable
                self._tts, self.engine = tts, choice
                break
            tts.deleteLater()
        if self._tts is None:
            log.info("voice prompts off: no working speech engine (found %s)", ", ".join(available) or "none")
            return
        if self._locale:
            self._tts.setLocale(QLocale(self._locale))

    @property
    def available(self) -> bool:
        return self._tts is not None

    def set_language(self, language: str) -> None:
        self._locale = language
        if self._tts is not None:
            self._tts.setLocale(QLocale(language))

    def say(self, text: str) -> None:
        if not self._enabled or self._tts is None or not text:
            return
        self.spoken.append(text)
        del self.spoken[:-20]
        self._tts.stop()
        self._tts.say(text)

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()

    def forget(self) -> None:
        """Drop the spoken history: it can hold a member's balance (session wipe)."""
        self.stop()
        self.spoken.clear()

"""Voice prompts through Qt TextToSpeech where an engine exists; silent otherwise.

Elderly mode reads the key sentence of each screen aloud (BRIEF §7: read-aloud at least for the
body text). On a Debian kiosk the engine is Qt's "speechd" (speech-dispatcher with espeak-ng,
installed by `./dev` and the kiosk package); its Mandarin voice must be chosen by name, because
Qt lists it without a Chinese locale (resources/i18n/voices.toml says which names, and why).
A terminal without a speech engine stays silent rather than failing, and says so on the
maintenance screen (`describe`). Most tests use Qt's "mock" engine; tests/ui/test_voice_speechd.py
drives the real one.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from PySide6.QtCore import QLocale, QLoggingCategory, QObject, Signal

from infra.logs import get_logger
from ui.qtcompat import emit

log = get_logger("ui")

# Qt Multimedia probes for PipeWire when TextToSpeech loads and warns if the library is absent;
# kiosks use PulseAudio or speech-dispatcher, so that warning is harmless noise.
QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")

PREFERRED_ENGINES = ("speechd", "flite", "sapi", "winrt", "darwin")
SPEECHD_PROBE_S = 3.0  # a healthy speech-dispatcher lists its modules in well under a second
# Engines whose daemon is asked first (speechd_answers), on a worker: the GUI thread never waits for it.
PROBED_ENGINES = frozenset({"speechd"})


def speechd_answers(timeout_s: float | None = None) -> bool:
    """Whether speech-dispatcher answers (starting it if needed), asked in a child process.

    Qt's speechd plug-in connects in its constructor and blocks for as long as the daemon does; a
    wedged daemon (seen on a machine without a sound card) would freeze the kiosk's GUI thread. The
    child is killed after `timeout_s`, and `Voice` asks on a worker thread, so the worst case is
    silent prompts, never a pause of the screen."""
    import subprocess  # (and locale): when a speech engine is chosen, not at import

    spd_say = shutil.which("spd-say")
    if spd_say is None:
        return True  # nothing to ask with; the plug-in's own state check still applies
    try:
        done = subprocess.run([spd_say, "-O"], capture_output=True, check=False,
                              timeout=SPEECHD_PROBE_S if timeout_s is None else timeout_s)
    except (subprocess.TimeoutExpired, OSError):
        return False
    return done.returncode == 0


@dataclass(frozen=True)
class VoiceChoice:
    """Which voices suit a locale, and which to refuse."""
    locale: str
    names: tuple[str, ...]
    refuse: tuple[str, ...]


@cache
def voice_choices() -> dict[str, VoiceChoice]:
    """Per UI language: the voice names to look for, in order (resources/i18n/voices.toml)."""
    text = resources.files("resources.i18n").joinpath("voices.toml").read_text(encoding="utf-8")
    return {lang: VoiceChoice(str(t["locale"]), tuple(t.get("names", ())), tuple(t.get("refuse", ())))
            for lang, t in tomllib.loads(text).items()}


def pick_voice(voices: list[Any], choice: VoiceChoice) -> Any:
    """The first voice whose name is one of `choice.names` (exactly, or as "Name+Variant"); else None."""
    by_name = {v.name(): v for v in voices}
    for wanted in choice.names:
        if wanted in by_name:
            return by_name[wanted]
        for name, voice in by_name.items():
            if name.startswith(wanted + "+") and not any(r in name for r in choice.refuse):
                return voice
    return None


class Voice(QObject):
    """Speaks when enabled (elderly mode); the engine is created the first time it is needed.

    An engine with a daemon (speechd) is created only after the daemon answered `speechd_answers`,
    asked on a worker of the voice's own task manager (ui.taskman): the GUI thread goes on meanwhile,
    and the engine is created on the GUI thread when the answer comes (`loaded` then fires). A prompt
    asked for while the daemon is being asked is spoken once the engine is there (the latest one)."""

    state_changed = Signal(str)  # "ready", "speaking", "paused", "error" (tests, technician screen)
    loaded = Signal()  # the engine question is settled: an engine, or silence (technician screens refresh)

    def __init__(self, engine: str | None = None, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spoken: list[str] = []  # the last prompts, for tests and the technician screen
        self._wanted_engine = engine
        self._tts: Any = None
        self._tried = False
        self._locale = "zh_CN"  # Chinese first (the counter's hall announcements never switch)
        self.engine = ""
        self.voice_name = ""  # the voice in use for the current language ("" = the engine's default)
        self.unanswered = ""  # an engine skipped because its daemon did not answer (technician screen)
        self.probing = False  # a daemon is being asked on the worker
        self._pending = ""  # the latest prompt asked for while probing
        self._tasks: Any = None  # ui.taskman.TaskManager, made with the first probe
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
            emit(self.loaded)
            return
        available = QTextToSpeech.availableEngines()
        wanted = self._wanted_engine
        candidates = [wanted] if wanted in available else [e for e in PREFERRED_ENGINES if e in available]
        self._try(candidates, available)

    def _try(self, candidates: list[str], available: list[str], answered: bool = False) -> None:
        """Create the first engine of `candidates` that works, on the GUI thread; an engine with a daemon
        goes to the worker first, and this goes on with the daemon's answer (`answered`)."""
        from PySide6.QtTextToSpeech import QTextToSpeech

        for n, choice in enumerate(candidates):
            if choice in PROBED_ENGINES and not answered:
                self._probe_daemon(candidates[n:], available)
                return
            answered = False  # the answer was for this engine only
            tts = QTextToSpeech(choice, self)
            if tts.state() != QTextToSpeech.State.Error:  # a plug-in can be listed but unusable
                self._tts, self.engine = tts, choice
                break
            tts.deleteLater()
        if self._tts is None:
            log.info("voice prompts off: no working speech engine (found %s); on Debian install "
                     "speech-dispatcher, espeak-ng and speech-dispatcher-espeak-ng", ", ".join(available) or "none")
            self._pending = ""
            emit(self.loaded)
            return
        self._tts.stateChanged.connect(self._state)
        if self._locale:
            self._choose_voice(self._locale)
        emit(self.loaded)
        pending, self._pending = self._pending, ""
        if pending:
            self.say(pending)

    def _probe_daemon(self, candidates: list[str], available: list[str]) -> None:
        """Ask the daemon of candidates[0] on a worker; the rest of `_try` follows on the GUI thread."""
        from ui.taskman import TaskManager

        if self._tasks is None:
            self._tasks = TaskManager(self, lanes=("voice",))
        self.probing = True
        timeout_s = SPEECHD_PROBE_S  # read now: a test may shorten it

        def answered(future: Any) -> None:
            self.probing = False
            ok = future.exception() is None and bool(future.result())
            if ok:
                self._try(candidates, available, answered=True)
                return
            self.unanswered = candidates[0]
            log.info("voice prompts off: speech-dispatcher did not answer within %.0f s", timeout_s)
            self._try(candidates[1:], available)

        self._tasks.run_in_background(lambda: speechd_answers(timeout_s), answered, lane="voice")

    def probe(self) -> None:
        """Load the engine without enabling prompts (the maintenance screen shows what a member would hear)."""
        if not self._tried:
            self._create()

    def _state(self, state: Any) -> None:
        emit(self.state_changed, str(getattr(state, "name", state)).lower())

    def _choose_voice(self, language: str) -> None:
        """The language's voice by name (speechd lists Mandarin under no Chinese locale), else by locale."""
        tts = self._tts
        choice = voice_choices().get(language)
        locale = QLocale(choice.locale if choice is not None else language)
        tts.setLocale(locale)
        voice = None
        if choice is not None:
            voice = pick_voice(list(tts.allVoices(locale)), choice)
            if voice is None:  # speechd's Mandarin has the locale "C"
                voice = pick_voice(list(tts.allVoices(QLocale.c())), choice)
        if voice is not None:
            tts.setVoice(voice)
        current = tts.voice().name()
        if self.engine == "mock":  # Qt's test engine "speaks" every language
            self.voice_name = current or "mock"
            return
        if choice is not None and (voice is None and tts.locale().language() != locale.language()
                                   or any(r in current for r in choice.refuse)):
            log.info("voice prompts: no %s voice in the %s engine; prompts in this language stay silent",
                     language, self.engine)
            self.voice_name = ""
            return
        self.voice_name = current

    def describe(self) -> tuple[str, str]:
        """Engine and voice in use, for the technician, in (zh, en)."""
        if self._tts is None:
            if self.probing:
                return "正在检查语音服务…", "Checking the speech service…"
            if not self._tried:
                return "语音播报未启用（仅长者模式朗读）", "Voice prompts off (read aloud in elderly mode only)"
            if self.unanswered:
                return ("语音服务 speech-dispatcher 无响应，播报静音（请重启该服务）",
                        "The speech service (speech-dispatcher) does not answer: prompts are silent (restart it)")
            return ("无语音引擎，播报静音（需安装 speech-dispatcher 和 espeak-ng）",
                    "No speech engine: prompts are silent (install speech-dispatcher and espeak-ng)")
        if not self.voice_name:
            return (f"引擎 {self.engine}，无当前语言的语音，播报静音",
                    f"Engine {self.engine}; no voice for this language, prompts are silent")
        return f"引擎 {self.engine}，语音 {self.voice_name}", f"Engine {self.engine}, voice {self.voice_name}"

    @property
    def available(self) -> bool:
        return self._tts is not None

    def set_language(self, language: str) -> None:
        self._locale = language
        if self._tts is not None:
            self._choose_voice(language)

    def say(self, text: str) -> None:
        if self._enabled and self.probing and text:
            self._pending = text  # spoken when the engine comes (the latest prompt only)
            return
        if not self._enabled or self._tts is None or not text or not self.voice_name:
            return
        self.spoken.append(text)
        del self.spoken[:-20]
        self._tts.stop()
        self._tts.say(text)

    def stop(self) -> None:
        self._pending = ""
        if self._tts is not None:
            self._tts.stop()

    def forget(self) -> None:
        """Drop the spoken history: it can hold a member's balance (session wipe)."""
        self.stop()
        self.spoken.clear()
        self._pending = ""

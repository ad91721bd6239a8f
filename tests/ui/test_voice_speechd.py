"""The real speech engine: Qt's "speechd" (speech-dispatcher + espeak-ng), as on a Debian kiosk.

A private speech-dispatcher runs for these tests (its own socket and configuration, audio to
libao's "null" driver, because a test machine has no sound card): the kiosk's Voice must pick
espeak-ng's Mandarin voice by name (Qt lists it under no Chinese locale, and speech-dispatcher's
default voice cannot read Chinese), and a Chinese prompt must go Speaking → Ready. Whether a
loudspeaker then sounds is more than a machine without a sound card can prove.
`./dev` (and so CI) installs speech-dispatcher, espeak-ng and speech-dispatcher-espeak-ng.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui.voice import Voice, pick_voice, voice_choices

SYSTEM_CONFIG = Path("/etc/speech-dispatcher")


def _missing() -> str:
    if shutil.which("speech-dispatcher") is None:
        return "speech-dispatcher is not installed (./dev setup installs it on Debian)"
    if not (SYSTEM_CONFIG / "modules" / "espeak-ng.conf").is_file():
        return "speech-dispatcher-espeak-ng is not installed (./dev setup installs it on Debian)"
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:
        return f"Qt TextToSpeech cannot load: {exc}"
    if "speechd" not in QTextToSpeech.availableEngines():
        return "Qt's speechd plug-in is not available (libspeechd2 missing)"
    return ""


@pytest.fixture
def speechd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private speech-dispatcher with the espeak-ng module and silent (null) audio; yields its socket."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    conf, home = tmp_path / "conf", tmp_path / "home"
    shutil.copytree(SYSTEM_CONFIG / "modules", conf / "modules")
    conf.joinpath("speechd.conf").write_text(
        'AudioOutputMethod "libao"\n'
        'AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"\n'
        'DefaultModule espeak-ng\n', encoding="utf-8")
    home.mkdir()
    home.joinpath(".libao").write_text("default_driver=null\n", encoding="utf-8")
    sock = tmp_path / "speechd.sock"
    proc = subprocess.Popen(
        ["speech-dispatcher", "-s", "-c", "unix_socket", "-S", str(sock), "-C", str(conf), "-L", str(tmp_path),
         "-t", "0"], env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while not sock.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if not sock.exists():
            pytest.skip(f"speech-dispatcher did not start (exit code {proc.poll()}); see its log in {tmp_path}")
        monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{sock}")
        yield str(sock)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_mandarin_voice_is_chosen_and_a_chinese_prompt_is_spoken(qtbot: QtBot, speechd: str) -> None:
    voice = Voice("speechd", enabled=True)
    qtbot.wait_until(lambda: not voice.probing, timeout=15_000)  # the daemon is asked on a worker
    voice.set_language("zh_CN")
    assert voice.available and voice.engine == "speechd"
    assert voice.voice_name.startswith("Chinese (Mandarin"), voice.voice_name  # not the default voice
    assert "Mandarin" in voice.describe()[1] and "speechd" in voice.describe()[0]
    states: list[str] = []
    voice.state_changed.connect(states.append)
    voice.say("请插入身份证，或扫描二维码")
    qtbot.wait_until(lambda: states[-1:] == ["ready"] and "speaking" in states, timeout=15_000)
    assert states.index("speaking") < len(states) - 1 and "error" not in states
    voice.set_language("en")  # and back to English: an English voice, by name
    assert voice.voice_name.startswith("English"), voice.voice_name
    voice.stop()


def test_voice_choice_refuses_the_cantonese_voice_for_mandarin() -> None:
    class Named:
        def __init__(self, name: str) -> None:
            self._name = name

        def name(self) -> str:
            return self._name

    zh = voice_choices()["zh_CN"]
    voices = [Named("Chinese (Cantonese)"), Named("Chinese (Mandarin, latin as English)+Annie")]
    assert pick_voice(voices, zh).name() == "Chinese (Mandarin, latin as English)+Annie"
    assert pick_voice([Named("Chinese (Cantonese)"), Named("Hindi")], zh) is None


def test_without_an_engine_the_technician_is_told_why_it_is_silent(qtbot: QtBot,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtTextToSpeech import QTextToSpeech

    voice = Voice("mock", enabled=False)
    assert "elderly" in voice.describe()[1]  # not loaded until needed
    voice.probe()
    voice.set_language("zh_CN")
    assert voice.engine == "mock" and voice.voice_name and "mock" in voice.describe()[1]
    monkeypatch.setattr(QTextToSpeech, "availableEngines", staticmethod(lambda: []))
    silent = Voice(None, enabled=True)
    silent.say("请插入身份证")
    assert not silent.available and silent.spoken == []
    assert "speech-dispatcher" in silent.describe()[1] and "静音" in silent.describe()[0]


def _fake_spd_say(tmp_path: Path, body: str) -> None:
    script = tmp_path / "spd-say"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)


def test_a_daemon_that_does_not_answer_leaves_the_kiosk_silent_not_frozen(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A wedged speech-dispatcher blocks Qt's plug-in forever: the probe in a child process gives up."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    import ui.voice as voice_module

    _fake_spd_say(tmp_path, "sleep 30")
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert voice_module.speechd_answers(timeout_s=0.5) is False
    monkeypatch.setattr(voice_module, "SPEECHD_PROBE_S", 0.5)  # the same wedged fake, answered by the default
    monkeypatch.setattr(QTextToSpeech, "availableEngines", staticmethod(lambda: ["speechd"]))
    voice = Voice("speechd", enabled=True)
    voice.say("请插入身份证")
    assert voice.probing and "Checking" in voice.describe()[1]  # asked on a worker: the GUI goes on
    qtbot.wait_until(lambda: not voice.probing, timeout=10_000)
    assert not voice.available and voice.unanswered == "speechd" and voice.spoken == []
    assert "speech-dispatcher" in voice.describe()[1] and "无响应" in voice.describe()[0]


def test_the_gui_goes_on_while_the_daemon_is_asked_and_the_voice_comes_on_after(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The probe runs on a worker: a callback queued on the GUI thread runs while the (held) daemon has
    not answered, and the engine comes, on the GUI thread, only after the answer; the prompt asked for
    meanwhile is then spoken."""
    import threading

    from PySide6.QtCore import QTimer

    import ui.voice as voice_module

    go = tmp_path / "go"  # the fake daemon answers only once the GUI thread has created this file
    _fake_spd_say(tmp_path, f"while [ ! -e '{go}' ]; do sleep 0.02; done\necho 'OUTPUT MODULES'")
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    monkeypatch.setattr(voice_module, "SPEECHD_PROBE_S", 30.0)
    monkeypatch.setattr(voice_module, "PROBED_ENGINES", frozenset({"mock"}))  # Qt's test engine stands in
    events: list[str] = []
    gui = threading.get_ident()

    def on_timer() -> None:
        events.append(f"timer (probing={voice.probing})")
        go.touch()

    voice = Voice("mock", enabled=False)
    voice.loaded.connect(lambda: events.append(f"loaded (gui thread={threading.get_ident() == gui})"))
    voice.enabled = True  # elderly mode: returns at once, the daemon is asked on the worker
    events.append("enabled")
    voice.say("请插入身份证")  # the screen's prompt, kept until the engine is there
    assert voice.probing and not voice.available and voice.spoken == []
    QTimer.singleShot(0, on_timer)
    qtbot.wait_until(lambda: voice.available, timeout=30_000)
    assert events == ["enabled", "timer (probing=True)", "loaded (gui thread=True)"]
    assert voice.engine == "mock" and voice.spoken == ["请插入身份证"]


def test_a_daemon_that_answers_passes_the_probe(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import ui.voice as voice_module

    _fake_spd_say(tmp_path, "echo 'OUTPUT MODULES'; echo espeak-ng")
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert voice_module.speechd_answers(timeout_s=5) is True
    _fake_spd_say(tmp_path, "exit 1")
    assert voice_module.speechd_answers(timeout_s=5) is False

"""Translations: every string of the .ts is finished, the .qm is committed and up to date."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from ui.i18n import Languages, qm_path

TS_FILES = sorted((Path(__file__).resolve().parents[2] / "resources" / "i18n").glob("*.ts"))


def test_there_are_translation_files() -> None:
    assert "hpf_zh_CN.ts" in [p.name for p in TS_FILES]


def test_no_translation_is_unfinished_or_empty() -> None:
    for ts in TS_FILES:
        unfinished = []
        for message in ET.parse(ts).getroot().iter("message"):
            translation = message.find("translation")
            source = message.findtext("source")
            assert translation is not None
            texts = [translation.text or ""] + [n.text or "" for n in translation.findall("numerusform")]
            if translation.get("type") in ("unfinished", "vanished", "obsolete") or not any(t.strip() for t in texts):
                unfinished.append(source)
        assert unfinished == [], f"{ts.name}: translate these in Qt Linguist, then run pyside6-lrelease"


def test_the_compiled_file_is_newer_than_its_source() -> None:
    for ts in TS_FILES:
        qm = ts.with_suffix(".qm")
        assert qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime - 1


def test_switching_language_translates_and_back(qtbot: QtBot) -> None:
    languages = Languages("en")
    assert QCoreApplication.translate("KioskWindow", "Finish") == "Finish"
    with qtbot.wait_signal(languages.changed) as changed:
        languages.set_language("zh_CN")
    assert changed.args == ["zh_CN"]
    assert QCoreApplication.translate("KioskWindow", "Finish") == "结束办理"
    assert languages.pick("中", "en") == "中"
    languages.set_language("en")
    assert QCoreApplication.translate("KioskWindow", "Finish") == "Finish"
    assert qm_path("zh_CN").exists()


def test_english_says_1_second_and_5_seconds_never_second_s(qtbot: QtBot) -> None:
    languages = Languages("en")
    source = "No activity: this session ends in %n second(s). Touch the screen to continue."
    assert QCoreApplication.translate("KioskWindow", source, "", 1).startswith("No activity: this session ends in 1 "
                                                                                "second.")
    assert "5 seconds." in QCoreApplication.translate("KioskWindow", source, "", 5)
    languages.set_language("zh_CN")
    assert "5 秒" in QCoreApplication.translate("KioskWindow", source, "", 5)
    languages.set_language("en")
    assert "1 second." in QCoreApplication.translate("KioskWindow", source, "", 1)
    languages.release()


def test_every_plural_message_has_its_english_forms() -> None:
    """A new "%n …(s)" string needs `python -m resources.i18n.english_plurals` and pyside6-lrelease."""
    from resources.i18n.english_plurals import english_ts

    for zh in TS_FILES:
        if not zh.name.endswith("_zh_CN.ts"):
            continue
        expected = english_ts(zh)
        en = zh.with_name(zh.name.replace("_zh_CN", "_en"))
        if "<message" in expected:
            assert en.exists() and en.read_text(encoding="utf-8") == expected, f"{en.name} is out of date"
            assert "(s)" not in "".join(n.text or "" for n in ET.parse(en).getroot().iter("numerusform"))

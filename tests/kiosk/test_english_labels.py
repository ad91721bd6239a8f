"""English screens show data labels in English (domain.labels): provinces, cities and centres on the
transfer screen, device statuses and the voice in use on the maintenance screen; never raw codes."""

from __future__ import annotations

from tests.kiosk.conftest import Kiosk, LedgerFixture
from tests.kiosk.test_transfer_flow import normal_members, open_transfer_with_card


def test_the_transfer_screen_names_places_in_the_screen_language(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    k = kiosk_devices
    open_transfer_with_card(k, normal_members(ledger)[1])
    screen = k.screen()
    assert screen.province_buttons["61"].text() == "陕西省"
    k.window.ctx.languages.set_language("en")
    k.qtbot.wait_until(lambda: screen.province_buttons["61"].text() == "Shaanxi", timeout=5_000)
    assert screen.province_buttons["14"].text() == "Shanxi"
    k.click(screen.province_buttons["14"])
    assert screen.city_buttons["140400"].text() == "Changzhi"  # not pypinyin's "Zhangzhi"
    k.click(screen.city_buttons["140700"])
    assert "Jinzhong Housing Provident Fund Management Centre" in screen.centre.text()
    k.window.ctx.languages.set_language("zh_CN")
    k.qtbot.wait_until(lambda: "晋中市住房公积金管理中心" in screen.centre.text(), timeout=5_000)


def test_the_maintenance_screen_shows_statuses_in_words_and_the_voice(kiosk_devices: Kiosk) -> None:
    k = kiosk_devices
    k.window.ctx.languages.set_language("en")
    k.window.go("maintenance")
    screen = k.window.screens["maintenance"]
    k.qtbot.wait_until(lambda: screen.rows["printer"][1].text().startswith("Working"), timeout=5_000)
    printer = screen.rows["printer"][1].text()
    assert printer.startswith("Working") and "online" not in printer and "ok" not in printer.split()
    assert "not_supported" not in printer and "_" not in printer
    assert screen.voice.text().startswith("Engine mock") or "elderly" in screen.voice.text()
    k.window.ctx.languages.set_language("zh_CN")
    k.window.go("maintenance")
    k.qtbot.wait_until(lambda: screen.rows["printer"][1].text().startswith("正常"), timeout=5_000)

"""English counter screens name the hall (the terminal's outlet, data in Chinese) in English, through
domain.labels as the kiosk does: the window's header and the hall display's English line. The same
"Chinese on an English screen" check as the kiosk's layout walk (ui.layoutcheck) runs on them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from shiboken6 import isValid

from counter_app.i18n import CounterLanguages
from tests.counter_app.conftest import STAFF, Counter
from ui.layoutcheck import check_window

# personal data and the language switch (it names Chinese in Chinese) may stay Chinese
EXEMPT = ("中文", *(name for name, _role, _password in STAFF.values()))


def chinese_on(widget: object) -> list[str]:
    return [str(p) for p in check_window(widget, elderly=False, english=True, exempt=EXEMPT)  # type: ignore[arg-type]
            if p.kind == "chinese"]


def test_the_counter_header_names_the_hall_in_english(counter: Counter) -> None:
    counter.desk.settings.outlet = "迎泽分中心服务大厅"
    languages = counter.app.ctx.languages
    counter.window.retranslate()
    assert counter.window.heading.text().endswith("· 迎泽分中心服务大厅")
    languages.set_language("en")
    assert counter.window.heading.text() == "Counter · window 3 · Yingze Branch Service Hall"
    assert chinese_on(counter.window) == []  # the sign-in screen
    counter.sign_in("clerk-01")
    for key in ("queue", "worklist"):
        counter.window.show_screen(key)
        counter.qtbot.wait_until(lambda: not counter.app.ctx.ops.busy, timeout=10_000)
        assert chinese_on(counter.window) == [], key
    languages.set_language("zh_CN")
    assert counter.window.heading.text() == "柜台 · 3 号窗口 · 迎泽分中心服务大厅"


def test_the_hall_display_gives_the_hall_in_english_under_its_chinese_name(counter: Counter) -> None:
    counter.desk.settings.outlet = "总部服务大厅"
    hall = counter.app.hall
    hall.refresh()
    assert hall.heading.text().endswith("· 总部服务大厅")
    assert hall.heading_en.text() == "Taiyuan Housing Provident Fund Management Centre · Head Office Service Hall"


def test_a_closed_counter_translates_nothing_any_more(counter: Counter) -> None:
    """The order that left a Chinese header on an English screen: a counter in Chinese closed (as
    tests/counter_app/test_startup.py closes its own) and, before an event loop turn had Qt delete its
    windows (and with them its translator), the next counter's language set to English."""
    def sign_out() -> str:
        return QCoreApplication.translate("CounterWindow", "Sign out")

    assert sign_out() == "退出登录"  # the open counter, in Chinese
    counter.app.close()
    assert isValid(counter.window)  # not deleted yet: nothing has run the event loop since
    assert sign_out() == "Sign out"
    english = CounterLanguages("en")
    try:
        assert sign_out() == "Sign out"
    finally:
        english.release()


def test_a_generic_hall_name_reads_hall_in_english_not_its_pinyin(counter: Counter) -> None:
    """The tests' outlet 大厅-xxxxxx: 大厅 is a word ("hall"), not a place to romanise ("Dating")."""
    outlet = counter.desk.settings.outlet
    assert outlet.startswith("大厅-")
    counter.app.ctx.languages.set_language("en")
    assert counter.window.heading.text() == f"Counter · window 3 · Hall-{outlet[len('大厅-'):]}"
    assert "Dating" not in counter.window.heading.text()
    counter.app.hall.refresh()
    assert counter.app.hall.heading_en.text().endswith(f" · Hall-{outlet[len('大厅-'):]}")
    counter.app.ctx.languages.set_language("zh_CN")
    assert counter.window.heading.text().endswith(f"· {outlet}")

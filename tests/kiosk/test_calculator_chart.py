"""The calculator's chart: a years axis, a legend naming both methods, redrawn in the new language."""

from __future__ import annotations

from tests.kiosk.conftest import Kiosk


def test_the_chart_has_a_years_axis_and_a_legend_and_follows_the_language(kiosk: Kiosk) -> None:
    k = kiosk
    k.click(k.window.screens["home"].tiles["calculator"])
    calc = k.screen()
    chart = calc.chart
    assert chart.legend().isVisible() and len(chart.series()) == 2
    x_axis = chart.axes()[0]
    assert x_axis.titleText() == "年" and x_axis.max() == 30 and x_axis.min() == 0  # the 30-year default
    assert {s.name().split(" · ")[0] for s in chart.series()} == {"等额本息", "等额本金"}
    k.window.ctx.languages.set_language("en")
    k.qtbot.wait_until(lambda: calc.chart.axes() and calc.chart.axes()[0].titleText() == "Years", timeout=5_000)
    names = " ".join(s.name() for s in calc.chart.series())
    assert "等额" not in names and "interest" in names
    assert calc.chart.axes()[1].titleText() == "Monthly payment (yuan)"
    k.window.ctx.languages.set_language("zh_CN")
    k.qtbot.wait_until(lambda: calc.chart.axes()[0].titleText() == "年", timeout=5_000)
    assert "等额本息" in " ".join(s.name() for s in calc.chart.series())


def test_a_language_switch_leaves_exactly_two_axes(kiosk: Kiosk) -> None:
    k = kiosk
    k.click(k.window.screens["home"].tiles["calculator"])
    calc = k.screen()
    for language in ("en", "zh_CN", "en"):
        k.window.ctx.languages.set_language(language)
        title = "Years" if language == "en" else "年"
        k.qtbot.wait_until(lambda t=title: calc.chart.axes()[0].titleText() == t, timeout=5_000)
        assert len(calc.chart.axes()) == 2, [a.titleText() for a in calc.chart.axes()]
        scene_texts = [i.toPlainText() for i in calc.chart_view.scene().items() if hasattr(i, "toPlainText")]
        assert len([t for t in scene_texts if t in ("Years", "年")]) <= 1, scene_texts

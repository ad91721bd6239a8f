"""ui.lazy_widgets: a key's widget is built once, on first use; looking at the keys builds nothing."""

from __future__ import annotations

from dataclasses import dataclass

from ui.lazy_widgets import LazyWidgets


class Home:
    pass


class Account:
    pass


@dataclass(frozen=True)
class Ref:
    loaded: list[str]

    def load(self) -> type:
        self.loaded.append("account")
        return Account


def test_widgets_are_built_once_on_first_use_and_refs_load_then() -> None:
    loaded: list[str] = []
    built: list[type] = []

    def build(cls: type) -> object:
        built.append(cls)
        return cls()

    widgets: LazyWidgets[type, object] = LazyWidgets({"home": Home, "account": Ref(loaded)}, build)
    assert list(widgets) == ["home", "account"] and len(widgets) == 2 and "account" in widgets
    assert built == [] and loaded == [] and widgets.get_built("account") is None
    assert widgets.unbuilt() == ["home", "account"]
    account = widgets["account"]
    assert isinstance(account, Account) and loaded == ["account"]
    assert widgets["account"] is account and built == [Account]  # not built a second time
    assert widgets.built() == [account] and widgets.unbuilt() == ["home"]
    assert widgets.classes == {"home": Home, "account": Account} and built == [Account]

"""The counter's main window: a header (who, which window, sync state, language), a menu of the
screens the signed-in role may use, and the screens themselves. Signed out, only sign-in shows.

Only the sign-in screen is built with the window; each menu screen is built (and its module
imported) on first use, or by `warm()` one per event-loop turn once the counter's store is open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.active_case import ActiveCase
from counter_app.context import CounterContext
from counter_app.keys import KeyMap
from counter_app.screens.base import Screen
from counter_app.screens.registry import MENU_REFS
from counter_app.screens.signin import SignInScreen
from counter_app.style import STYLE
from domain.labels import english_hall
from infra import startup_gc
from ui.casebar import ActiveCaseBar
from ui.idle import IdleWatcher
from ui.lazy_widgets import LazyWidgets

if TYPE_CHECKING:
    from sync.staff_store import StaffAccount

STATUS_MS = 2000
# A counter PC left alone signs its clerk out ([counter] idle_sign_out_s), so nobody acts under
# another's name (audit trail).


class CounterWindow(QMainWindow):
    closed = Signal()  # the application quits with its main window (the hall and customer screens follow)

    def __init__(self, ctx: CounterContext, *, filters_after_first_frame: bool = False) -> None:
        """`filters_after_first_frame` (the start-up order, `counter_app.app.start_counter`): the idle
        watcher's application-wide filter is installed by `install_filters()` after the first frame.
        A Python filter on the application sees every event of every widget, and each kind of event
        and object it sees first makes the binding create that Python class (with its enums): time
        the sign-in's first frame does not need (nobody is signed in to be signed out on idle)."""
        super().__init__()
        self.ctx = ctx
        self.setObjectName("counter-window")
        self.setStyleSheet(STYLE)
        central = QWidget()
        outer = QVBoxLayout(central)
        header = QHBoxLayout()
        self.heading = QLabel(objectName="header")
        self.who = QLabel(objectName="who")
        self.sync = QLabel(objectName="sync-state")
        self.language = QPushButton(objectName="language")
        self.sign_out_btn = QPushButton(objectName="sign-out")
        header.addWidget(self.heading, 1)
        for w in (self.who, self.sync, self.language, self.sign_out_btn):
            header.addWidget(w)
        outer.addLayout(header)
        self.active_bar = ActiveCaseBar()  # who is being served: ticket · masked name · business · elapsed
        outer.addWidget(self.active_bar)
        body = QHBoxLayout()
        self.menu = QListWidget(objectName="menu")
        self.menu.setFixedWidth(270)
        self.stack = QStackedWidget()
        body.addWidget(self.menu)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        self.signin = SignInScreen(ctx)
        self.stack.addWidget(self.signin)
        self.screens = LazyWidgets({ref.key: ref for ref in MENU_REFS}, self._build_screen)
        self.active_case = ActiveCase(ctx, self.active_bar)
        self.keys = KeyMap(self)  # F-keys for the frequent actions, shown on their buttons
        self.signin.signed_in.connect(self.signed_in)
        self.menu.currentRowChanged.connect(self._menu_changed)
        self.language.clicked.connect(ctx.languages.toggle)
        self.sign_out_btn.clicked.connect(self.sign_out)
        ctx.languages.changed.connect(lambda _l: self.retranslate())
        ctx.events.review_requested.connect(self.open_review)
        ctx.events.bundle_requested.connect(self.open_bundle)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._show_sync)
        self.timer.start(STATUS_MS)
        counter_cfg = ctx.services.config.counter
        self.idle = IdleWatcher(counter_cfg.idle_sign_out_s, counter_cfg.idle_warning_s, self)
        self.idle.warning.connect(self._idle_warning)
        self.idle.resumed.connect(self._show_who)
        self.idle.expired.connect(self._idle_sign_out)
        if not filters_after_first_frame:
            self.install_filters()
        self.retranslate()
        self.sign_out()

    def install_filters(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        startup_gc.resume()  # closed before the start-up resumed it (infra.startup_gc)
        self.ctx.desk.sign_out()
        self.closed.emit()
        super().closeEvent(event)

    @property
    def current(self) -> str:
        widget = self.stack.currentWidget()
        return widget.key if isinstance(widget, Screen) else ""

    def _build_screen(self, cls: type[Screen]) -> Screen:
        screen = cls(self.ctx)
        self.stack.addWidget(screen)
        keys = getattr(self, "keys", None)
        if keys is not None:
            keys.label()  # its buttons show their F-keys like the others'
        return screen

    def warm(self) -> None:
        """Build the menu screens not built yet, one per event-loop turn (the clerk typing their
        password is not held up), so the menu is ready when they are signed in."""
        missing = self.screens.unbuilt()
        if missing:
            self.screens[missing[0]]
            QTimer.singleShot(0, self, self.warm)

    def screen_for(self, key: str) -> Screen:
        return self.signin if key == "signin" else self.screens[key]

    def retranslate(self) -> None:
        desk = self.ctx.desk
        hall = desk.settings.outlet if self.ctx.languages.is_chinese else english_hall(desk.settings.outlet)
        self.heading.setText(self.tr("Counter · window %1").replace("%1", desk.settings.window) + f" · {hall}")
        self.language.setText("English" if self.ctx.languages.is_chinese else "中文")
        self.sign_out_btn.setText(self.tr("Sign out"))
        self.setWindowTitle(self.tr("HPF counter"))
        self.signin.retranslate()
        for s in self.screens.built():  # the others are translated when built
            s.retranslate()
        self._fill_menu()
        self._show_who()
        self._show_sync()

    def _fill_menu(self) -> None:
        role = self.ctx.desk.role
        keep = self.current
        self.menu.blockSignals(True)
        self.menu.clear()
        if role is not None:
            from domain.staff import can
        for key in self.screens if role is not None else ():  # signed in: every screen's title (builds them)
            screen = self.screens[key]
            if screen.permission is None or can(role, screen.permission):
                item = QListWidgetItem(screen.menu_title())
                item.setData(256, key)
                self.menu.addItem(item)
        self.menu.blockSignals(False)
        self.menu.setVisible(role is not None)
        self.active_bar.setVisible(role is not None)
        self.active_case.show()
        if keep in self.screens:
            self._select_menu(keep)
        self.keys.label()

    def _select_menu(self, key: str) -> None:
        for row in range(self.menu.count()):
            if self.menu.item(row).data(256) == key:
                self.menu.blockSignals(True)
                self.menu.setCurrentRow(row)
                self.menu.blockSignals(False)

    def _menu_changed(self, row: int) -> None:
        if row >= 0:
            self.show_screen(self.menu.item(row).data(256))

    def show_screen(self, key: str) -> None:
        screen = self.screen_for(key)
        self.stack.setCurrentWidget(screen)
        self._select_menu(key)
        screen.enter()

    def signed_in(self, account: StaffAccount) -> None:
        self.idle.arm()
        self._fill_menu()
        self._show_who()
        self.sign_out_btn.show()
        first = {"supervisor": "worklist", "technician": "devices"}.get(account.role.value, "queue")
        if first in self.screens and self.menu.count():
            self.show_screen(first)

    def sign_out(self) -> None:
        self.idle.disarm()
        self.ctx.desk.sign_out()
        for screen in self.screens.built():  # one never built shows nobody
            screen.reset()
        self.ctx.ops.cancel_all()
        self.active_case.clear()
        self.sign_out_btn.hide()
        self._fill_menu()
        self._show_who()
        self.stack.setCurrentWidget(self.signin)
        self.signin.staff_id.setFocus()
        self.signin.staff_id.selectAll()  # the next person types over the last staff id

    def _idle_warning(self, seconds: int) -> None:
        self.who.setText(self.tr("Signing out in %n second(s) without input", "", seconds))

    def _idle_sign_out(self) -> None:
        if self.ctx.desk.account is None:
            return
        self.sign_out()
        self.signin.inform(lambda: self.tr("Signed out after %1 minutes without input.").replace(
            "%1", str(self.ctx.services.config.counter.idle_sign_out_s // 60)))

    def open_review(self, case_id: str) -> None:
        from counter_app.screens.review import ReviewScreen

        review = self.screens["review"]
        assert isinstance(review, ReviewScreen)
        self.show_screen("review")
        review.load(case_id)

    def open_bundle(self, parent_id: str) -> None:
        from counter_app.screens.bundle import BundleScreen

        bundle = self.screens["bundle"]
        assert isinstance(bundle, BundleScreen)
        self.show_screen("bundle")
        bundle.load(parent_id)

    def _show_who(self) -> None:
        a = self.ctx.desk.account
        offline = self.tr(" · signed in offline") if getattr(self.ctx.desk, "signed_in_offline", False) else ""
        self.who.setText("" if a is None else f"{a.name} ({self.ctx.pick(a.role.zh, a.role.value)}){offline}")

    def _show_sync(self) -> None:
        status = getattr(self.ctx.services.runtime, "status", None)
        if status is None:
            self.sync.setText(self.tr("No connection to the centre"))
            return
        zh, en = status.text
        unsent = self.tr("%1 unsent").replace("%1", str(status.unsent)) if status.unsent else ""
        self.sync.setText(" · ".join(x for x in (self.ctx.pick(zh, en), unsent) if x))
        self.sync.setProperty("offline", status.state != "online")

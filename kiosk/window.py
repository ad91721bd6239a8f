"""The kiosk's main window: header, screen stack, footer, idle countdown, session wipe.

Navigation is by screen name (`go("account")`); a screen that needs a member routes through
identification first and continues to where the member was going. The window owns the session
lifecycle: it arms the idle watcher while anyone is using the terminal, shows the countdown as a
banner (not a pop-up: elderly mode forbids them), and wipes every screen and the session on
idle timeout, card removal and "finish".
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, QTimeZone, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QFontMetrics,
    QInputEvent,
    QKeyEvent,
    QResizeEvent,
    QShowEvent,
    QSinglePointEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QMainWindow,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from domain.labels import shorter_names
from infra import startup_gc
from infra.logs import get_logger
from kiosk.context import KioskContext
from kiosk.flows import FlowTracker
from kiosk.screens.base import Screen
from kiosk.window_states import StatesMixin
from ui.device_bridge import DeviceBridge
from ui.device_state import TerminalState
from ui.idle import IdleWatcher
from ui.lazy_widgets import LazyWidgets
from ui.qtcompat import emit
from ui.step_indicator import StepIndicator
from ui.sync_bridge import SyncBridge
from ui.theme import Theme, app_font, stylesheet, theme_for
from ui.widgets import Banner, button, label

if TYPE_CHECKING:  # the wedge filter pulls in the scanner package (OpenCV): only when a wedge is installed
    from ui.wedge import WedgeFilter

log = get_logger("kiosk")

# Keys that would leave or disturb a kiosk application; swallowed in kiosk mode.
_ESCAPE_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_F4, Qt.Key.Key_F11, Qt.Key.Key_Tab, Qt.Key.Key_Q,
                Qt.Key.Key_W, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Menu}
_TOUCH_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}
TECHNICIAN_TAPS = 5
TECHNICIAN_WINDOW_S = 4.0


class _InputFilter(QObject):
    """Counts touches (README touch counts) and swallows escape shortcuts in kiosk mode."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype in _TOUCH_EVENTS and isinstance(watched, QWidget) and watched.window() is self.window:
            self.window.note_touch(event)
        if self.window.kiosk_mode and etype in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            mods = event.modifiers()
            if event.key() in _ESCAPE_KEYS and (mods & (Qt.KeyboardModifier.AltModifier
                                                        | Qt.KeyboardModifier.ControlModifier
                                                        | Qt.KeyboardModifier.MetaModifier)
                                                or event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F11)):
                event.accept()
                return True
        return False


def _scroll_frame(name: str) -> QScrollArea:
    """Each screen sits in a touch-scrollable frame, so large type (elderly mode) or a portrait
    screen never pushes the window beyond the display: the content scrolls instead."""
    frame = QScrollArea()
    frame.setObjectName(f"frame-{name}")
    frame.setWidgetResizable(True)
    frame.setFrameShape(QFrame.Shape.NoFrame)
    frame.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return frame


def _grab_touch_scrolling(frame: QScrollArea) -> None:
    """Touch drags scroll the frame. (The first `viewport()` call makes the binding create every
    widget class it knows, ~15 ms: the window does it after its first frame, see `_first_frame_done`.)"""
    QScroller.grabGesture(frame.viewport(), QScroller.ScrollerGestureType.TouchGesture)


def _time_zone(name: str) -> Any:
    """The header clock's zone: Qt's (QtCore is loaded anyway; zoneinfo's import costs start-up time),
    or zoneinfo's for a name Qt does not know (which raises for a name nobody knows, as before)."""
    zone = QTimeZone(name.encode())
    if zone.isValid():
        return zone
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


class KioskWindow(StatesMixin, QMainWindow):
    screen_changed = Signal(str)
    session_wiped = Signal(str)  # reason: "idle", "card_removed", "finish", "crash"

    def __init__(self, ctx: KioskContext, screens: list[type[Screen]], *, kiosk_mode: bool = False,
                 filters_after_first_frame: bool = False) -> None:
        """`filters_after_first_frame` (the start-up order, `kiosk.app.start_kiosk`): the application-wide
        event filters (idle watcher, touch counting and kiosk-mode key swallowing, a keyboard-wedge
        scanner's) are installed two event-loop turns after the window first shows, not at once.
        A Python filter on the application sees every event of every widget, and each kind of
        event and object it sees first makes the binding create that Python class (with its
        enums): ~50 ms the first frame does not need. A keyboard-wedge scanner listens from the
        first frame all the same: until then its filter sits on the window's native window,
        where every key press arrives first (`_place_wedge`)."""
        super().__init__()
        self.ctx = ctx
        ctx.window = self
        self.kiosk_mode = kiosk_mode
        self.theme: Theme = theme_for(ctx.config.kiosk.elderly_mode)
        self.setObjectName("kiosk-window")
        self._history: list[tuple[str, dict[str, Any]]] = []
        self._current = ""
        self._last_touch_key: tuple[int, int, int] | None = None
        self._technician_taps: list[float] = []
        self._zone: Any = None  # the header clock's zone, looked up on its first use (`_tz`)
        self._first_frame_done = False
        self._filters_later = filters_after_first_frame

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._build_header())
        self.idle_banner = Banner("banner-warn")
        self.idle_banner.setObjectName("idle-banner")
        self.idle_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.idle_banner)
        self.notice = Banner("banner-info")
        self.notice.setObjectName("window-notice")
        outer.addWidget(self.notice)
        self.steps = StepIndicator()  # the flow's steps (kiosk.flows), one for every screen
        self.steps.setContentsMargins(48, 4, 48, 0)
        self.flow = FlowTracker(self.steps)
        outer.addWidget(self.steps)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        outer.addWidget(self._build_footer())
        self.setCentralWidget(central)

        self._frames: dict[str, QScrollArea] = {}
        # each built on first use, not before the first frame
        self.screens = LazyWidgets({cls.name: cls for cls in screens}, self._build_screen)

        self.idle = IdleWatcher(ctx.config.kiosk.idle_timeout_s, ctx.config.kiosk.idle_warning_s, self)
        self.idle.warning.connect(self._idle_warning)
        self.idle.resumed.connect(self._idle_resumed)
        self.idle.expired.connect(lambda: self.wipe_session("idle"))
        self._filter = _InputFilter(self)

        self.state = TerminalState(self)  # the one source of device and network state (ui.device_state)
        self.devices = DeviceBridge(self)
        self.devices.status.connect(self.state.device_status)
        self.devices.data.connect(self._device_data)
        self.devices.status.connect(self._device_status)
        self.devices.error.connect(self._device_error)
        manager = getattr(ctx.services, "devices", None)
        if manager is not None and hasattr(manager, "events"):  # every device, also one that starts later
            self.devices.attach(manager.events)
        else:
            for device in (ctx.services.id_reader, ctx.services.scanner, ctx.services.printer):
                if device is not None and hasattr(device, "subscribe"):
                    self.devices.attach(device)
        self.wedge: WedgeFilter | None = None

        self.sync = SyncBridge(self)
        self.sync.changed.connect(self._show_sync)
        if ctx.services.engine is not None:
            self.sync.attach(ctx.services.engine)
        self.fit_devices()

        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)

        ctx.languages.changed.connect(self._language_changed)
        self.apply_theme(self.theme)
        self.retranslate()
        self.show_countdown()
        self._show_sync()
        # what the first frame can do without: the clock's time zone and the frames' touch scrolling
        # (two turns on, as kiosk.app's start-up work: the first frame painted, a first touch handled)
        QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self._after_first_frame))
        self.go("home")  # builds the home screen (and what its tiles ask about) …
        if not self._filters_later:  # … before the application-wide filters see every event of the construction
            self._install_filters()

    def _install_filters(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
            app.installEventFilter(self._filter)

    # --- construction -----------------------------------------------------------------------

    def _build_screen(self, cls: type[Screen]) -> Screen:
        screen = cls(self.ctx)
        # the frame joins the window before the screen joins the frame: a widget moved into the
        # window is re-styled with everything it holds, so the screen's widgets are styled once, not twice
        self._frames[cls.name] = frame = _scroll_frame(cls.name)
        self.stack.addWidget(frame)
        frame.setWidget(screen)
        if self._first_frame_done:
            _grab_touch_scrolling(frame)
        return screen

    def _after_first_frame(self) -> None:
        self._first_frame_done = True
        startup_gc.resume()  # paused by the program's entry (kiosk/__main__.py; infra.startup_gc)
        if self._filters_later:
            self._install_filters()
            self._place_wedge()
        for frame in self._frames.values():
            _grab_touch_scrolling(frame)
        self._tick()

    def _place_wedge(self) -> None:
        """The keyboard-wedge filter on the application (every window, every dialog), or, until the
        first frame is done in the start-up order, on this window's native window: every key press
        reaches that before any widget, so a scan is caught from the first frame on."""
        wedge, app = self.wedge, QApplication.instance()
        if wedge is None or app is None:
            return
        handle = self.windowHandle()
        if self._first_frame_done or not self._filters_later:
            if handle is not None:
                handle.removeEventFilter(wedge)
            wedge.window_handle = None
            app.installEventFilter(wedge)
        elif handle is not None:
            wedge.window_handle = handle
            handle.installEventFilter(wedge)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.wedge is not None and not self._first_frame_done and self._filters_later:
            self._place_wedge()  # a native window made (again: kiosk mode's window flags make a new one)

    @property
    def _tz(self) -> Any:
        """The header clock's zone (`terminal.timezone`), looked up on first use: the zone database's
        first read is not needed for the first frame."""
        if self._zone is None:
            self._zone = _time_zone(self.ctx.config.terminal.timezone)
        return self._zone

    def _build_header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # portrait (`orientation`): the centre's name above the status and switches, not beside them
        self._header_layout = outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, header)
        outer.setContentsMargins(24, 6, 24, 6)
        self.centre_label = label("", "key")  # a long English name takes two lines, not a wider window
        self.centre_label.setObjectName("centre-name")
        self.centre_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.centre_label.installEventFilter(self)  # the hidden technician gesture lives here
        outer.addWidget(self.centre_label, 1)  # the room the status and switches leave: one line where it fits
        lay = QHBoxLayout()
        outer.addLayout(lay)
        lay.addStretch(1)
        self.sync_label = label("", "body", wrap=False)
        self.sync_label.setObjectName("sync-status")
        lay.addWidget(self.sync_label)
        lay.addSpacing(24)
        self.clock_label = label("", "key", wrap=False)
        self.clock_label.setObjectName("clock")
        lay.addWidget(self.clock_label)
        lay.addSpacing(24)
        self.language_button = button("", "header")
        self.language_button.setObjectName("language-switch")
        self.language_button.clicked.connect(self.ctx.languages.toggle)
        lay.addWidget(self.language_button)
        self.elderly_button = button("", "header")
        self.elderly_button.setObjectName("elderly-switch")
        self.elderly_button.setCheckable(True)
        self.elderly_button.setChecked(self.ctx.config.kiosk.elderly_mode)
        self.elderly_button.toggled.connect(self.set_elderly)
        lay.addWidget(self.elderly_button)
        return header

    def _build_footer(self) -> QWidget:
        footer = QWidget()
        footer.setObjectName("footer")
        footer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # landscape: one row (back, home · hotline, countdown · call staff, finish); portrait (1080 px
        # wide, too narrow for four elderly-mode buttons and the countdown): hotline and countdown on a
        # row of their own above the buttons (`_arrange_footer`)
        self._footer_grid = lay = QGridLayout(footer)
        lay.setContentsMargins(24, 4, 24, 4)
        lay.setHorizontalSpacing(12)
        lay.setVerticalSpacing(2)
        self.back_button = button("", "secondary")
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self.back)
        self.home_button = button("", "secondary")
        self.home_button.setObjectName("home")
        self.home_button.clicked.connect(self.home)
        self.finish_button = button("", "danger")
        self.finish_button.setObjectName("finish")
        self.finish_button.clicked.connect(self.finish)
        self.hotline_label = label("", "body", wrap=False)
        self.hotline_label.setObjectName("hotline")
        self.session_label = label("", "key", wrap=False)  # the whole session's countdown (not only the last 15 s)
        self.session_label.setObjectName("session-countdown")
        info = QHBoxLayout()
        info.addStretch(1)
        info.addWidget(self.hotline_label)
        info.addSpacing(24)
        info.addWidget(self.session_label)
        info.addStretch(1)
        self._footer_info = info
        self.help_button = button("", "secondary")
        self.help_button.setObjectName("call-staff")
        self.help_button.clicked.connect(self.call_staff)
        self._footer_portrait: bool | None = None
        self._arrange_footer(False)
        return footer

    def _arrange_footer(self, portrait: bool) -> None:
        if portrait == self._footer_portrait:
            return
        self._footer_portrait = portrait
        lay = self._footer_grid
        for w in (self.back_button, self.home_button, self.help_button, self.finish_button):
            lay.removeWidget(w)
        lay.removeItem(self._footer_info)
        for c in range(6):
            lay.setColumnStretch(c, 0)
        if portrait:
            lay.addLayout(self._footer_info, 0, 0, 1, 5)
            for c, w in enumerate((self.back_button, self.home_button, None, self.help_button, self.finish_button)):
                if w is not None:
                    lay.addWidget(w, 1, c)
            lay.setColumnStretch(2, 1)
        else:
            for c, w in enumerate((self.back_button, self.home_button, None, self.help_button, self.finish_button)):
                if w is not None:
                    lay.addWidget(w, 0, c)
            lay.addLayout(self._footer_info, 0, 2)
            lay.setColumnStretch(2, 1)

    # --- navigation -------------------------------------------------------------------------

    @property
    def current(self) -> str:
        return self._current

    def current_screen(self) -> Screen:
        return self.screens[self._current]

    def unavailable_reason(self, name: str) -> str:
        """Why the service behind screen `name` can't be used now ("" when it can): the screen's own
        answer once it is built, before that the same answer from `kiosk.availability` (the home
        screen's tiles ask for screens nobody has opened yet)."""
        built = self.screens.get_built(name)
        if built is None:
            from kiosk.availability import REASONS

            if name in REASONS:
                return REASONS[name](self.ctx)
        return self.screens[name].unavailable_reason()

    def go(self, name: str, *, remember: bool = True, **params: Any) -> None:
        if name not in self.screens:
            raise KeyError(f"no such screen: {name}")
        target = self.screens[name]
        if target.needs_member and not self.ctx.session.active:
            params = {"then": name, "then_params": params}
            name, target = "identify", self.screens["identify"]
        if self._current and self._current != name:
            self.screens[self._current].leave()
            if remember:
                self._history.append((self._current, {}))
                del self._history[:-20]
        self._current = name
        self.stack.setCurrentWidget(self._frames[name])
        self._frames[name].verticalScrollBar().setValue(0)
        self.notice.clear_text()
        target.enter(**params)
        self.follow_flow(name, params)
        self._update_chrome()
        if self.ctx.voice.enabled and self.theme.name == "elderly":
            self.ctx.voice.say(target.voice_prompt())
        emit(self.screen_changed, name)

    def back(self) -> None:
        while self._history:
            name, params = self._history.pop()
            if name != self._current and (not self.screens[name].needs_member or self.ctx.session.active):
                self.go(name, remember=False, **params)
                return
        self.home()

    def home(self) -> None:
        self._history.clear()
        self.go("home", remember=False)

    def finish(self) -> None:
        """The member is done: rate the service if one was used, else wipe now."""
        if self.finish_to_take_card():
            return
        if self.ctx.session.services_used and "rating" in self.screens and self._current != "rating":
            self.go("rating", then_wipe=True)
            return
        self.wipe_session("finish")

    def _update_chrome(self) -> None:
        at_home = self._current == "home"
        self.back_button.setVisible(not at_home and not self.after_submission())
        self.home_button.setVisible(not at_home)
        self.finish_button.setVisible(self.ctx.session.active)
        self.submission_chrome()
        if at_home and not self.ctx.session.active and self._default_preferences():
            self.idle.disarm()
            self.idle_banner.clear_text()
        elif not self.idle.armed:
            self.idle.arm()  # a changed language or mode also goes back to the default when idle

    def _default_preferences(self) -> bool:
        return (self.ctx.languages.current == self.ctx.config.terminal.language
                and self.theme is theme_for(self.ctx.config.kiosk.elderly_mode))

    # --- session ----------------------------------------------------------------------------

    def wipe_session(self, reason: str, *, keep_preferences: bool = False) -> None:
        """Forget the member: session, every screen's widgets and models, pending callbacks; and
        unless `keep_preferences`, go back to the terminal's default language and mode."""
        log.info("session wiped (%s)", reason)
        self.ctx.ops.cancel_all()
        self.ctx.session.clear()
        self.ctx.voice.forget()
        for screen in self.screens.built():  # a screen never built holds nothing to wipe
            screen.wipe()
        self.idle.disarm()
        self.idle_banner.clear_text()
        if not keep_preferences:  # the next person starts from the defaults, not the last one's choices
            self.ctx.languages.set_language(self.ctx.config.terminal.language)
            self.set_elderly(self.ctx.config.kiosk.elderly_mode)
        self.home()
        emit(self.session_wiped, reason)

    def on_card_removed(self) -> None:
        if self.ctx.session.active and self.ctx.session.method == "card":
            self.wipe_session("card_removed")

    def recover(self, exc: BaseException) -> None:
        """The crash handler's recovery: back to a clean home screen with an apology."""
        self.wipe_session("crash")
        self.notice.show_text(self.tr("Sorry, something went wrong. Please start again."),
                              "banner-warn")

    def note_touch(self, event: QEvent) -> None:
        # A press that a widget ignores is re-delivered to its parents, and the application
        # filter sees each delivery: count one (timestamp, position) once.
        stamp = event.timestamp() if isinstance(event, QInputEvent) else 0
        pos = event.globalPosition() if isinstance(event, QSinglePointEvent) else None
        key = (stamp, int(pos.x()) if pos else 0, int(pos.y()) if pos else 0)
        if key == self._last_touch_key:
            return
        self._last_touch_key = key
        self.ctx.session.touches += 1

    def _idle_warning(self, seconds: int) -> None:
        self.idle_banner.show_text(self.tr("No activity: this session ends in %n second(s). "
                                           "Touch the screen to continue.", "", seconds))

    def _idle_resumed(self) -> None:
        self.idle_banner.clear_text()

    # --- devices -------------------------------------------------------------------------------

    def install_wedge(self, wedge: WedgeFilter) -> None:
        """A keyboard-wedge scanner types into this application: route its codes like scans."""
        self.wedge = wedge
        wedge.scanned.connect(lambda text: self._scanned(text))
        self._place_wedge()

    def _device_data(self, device: str, payload: object) -> None:
        if getattr(self.screens.get(self._current), "takes_device_data", False):
            return  # maintenance: the technician's guided checks use the read
        id_number = getattr(payload, "id_number", None)
        if self.card_expired(payload):
            return
        if isinstance(id_number, str) and id_number:
            self._card_read(id_number)
            return
        text = getattr(payload, "text", None)
        if isinstance(text, str):
            self._scanned(text)

    def _card_read(self, id_number: str) -> None:
        session = self.ctx.session
        if session.active:
            if session.id_number == id_number:
                return  # the same card again: nothing to do
            self.wipe_session("card_changed")
        identify = self.screens["identify"]
        then = self._current if self.screens[self._current].needs_member or self._current == "identify" else ""
        if self._current == "identify":
            self.go("identify", remember=False, keep=True)
        else:
            self.go("identify", then=then or self._pending_target(), remember=False)
        identify.start_card(id_number)  # type: ignore[attr-defined]

    def _pending_target(self) -> str:
        return "account"

    def _scanned(self, text: str) -> None:
        from domain.member_token import looks_like_token  # its module brings cryptography: not before the first frame

        if looks_like_token(text) and self.ctx.session.active and not self.ctx.session.can_apply:
            self.screens["identify"].add_proof(text)  # type: ignore[attr-defined]  # card-only: QR to apply
            return
        if not looks_like_token(text) or self.ctx.session.active:
            return  # other codes (receipt QR …) mean nothing on their own here
        if self._current != "identify":
            self.go("identify", then="account", remember=False)
        self.screens["identify"].start_token(text)  # type: ignore[attr-defined]

    def _device_error(self, event: object) -> None:
        """A card that could not be read says so, with what to do (the HAL's own words)."""
        if getattr(event, "device", "") != "id_reader":
            return
        if self.card_unreadable(event):
            return
        zh = self.ctx.languages.is_chinese
        message = getattr(event, "message_zh" if zh else "message_en", "")
        action = getattr(event, "action_zh" if zh else "action_en", "")
        self.notice.show_text(f"{message} {action}".strip(), "banner-warn")

    def _device_status(self, device: str, status: object) -> None:
        card = getattr(status, "card", None)
        if card is not None and getattr(card, "value", card) == "absent":
            self.on_card_removed()
        current = self.screens.get(self._current)
        if current is not None and hasattr(current, "device_status"):
            current.device_status(device, status)

    # --- look and language ------------------------------------------------------------------

    def set_elderly(self, on: bool) -> None:
        if theme_for(on) is not self.theme:  # re-styling every widget is not free: only on a change
            self.apply_theme(theme_for(on))
        self.ctx.voice.enabled = on and self.ctx.config.kiosk.voice
        if self.elderly_button.isChecked() != on:
            self.elderly_button.setChecked(on)
        if self._current:
            self._update_chrome()

    @property
    def orientation(self) -> str:
        """"portrait" when the window is taller than wide (a 1080×1920 screen), else "landscape"."""
        return "portrait" if self.height() > self.width() else "landscape"

    def resizeEvent(self, event: QResizeEvent) -> None:
        portrait = event.size().height() > event.size().width()
        self._header_layout.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                         else QBoxLayout.Direction.LeftToRight)
        self._arrange_footer(portrait)
        super().resizeEvent(event)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setFont(app_font(theme))
            app.setStyleSheet(stylesheet(theme))
        # the centre's name is no action and is read once: in elderly mode a size that keeps the long
        # English name on one line (two lines took ~60 px from every screen in landscape); still ≥ 30 pt
        self.centre_label.setStyleSheet(f"font-size: {theme.button_pt}pt" if theme.name == "elderly" else "")
        self._fit_centre_name()
        self.steps.set_text_role("small" if theme.name == "elderly" else "body")  # 18 pt in elderly mode

    def _language_changed(self, language: str) -> None:
        self.ctx.voice.set_language(language)
        self.retranslate()
        if self._current:
            self._update_chrome()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        t = self.ctx.config.terminal
        self._centre_names = [t.centre_name] if self.ctx.languages.is_chinese else shorter_names(t.centre_name_en)
        self.centre_label.setAccessibleName(self._centre_names[0])
        self._fit_centre_name()
        # each language is named in itself, so nobody needs to read the other one to find theirs
        self.language_button.setText("English" if self.ctx.languages.is_chinese else "中文")
        self.elderly_button.setText(self.tr("Large text"))
        self.back_button.setText(self.tr("Back"))
        self.home_button.setText(self.tr("Home"))
        self.finish_button.setText(self.tr("Finish"))
        self.hotline_label.setText(self.tr("Hotline %1").replace("%1", t.hotline))
        self.retranslate_states()
        self._show_sync()

    def local_today(self) -> date:
        """Today in the terminal's time zone (the header clock's zone, Qt's or zoneinfo's)."""
        if isinstance(self._tz, QTimeZone):
            today: date = QDateTime.currentDateTime().toTimeZone(self._tz).date().toPython()  # type: ignore[assignment]
            return today
        return datetime.now(UTC).astimezone(self._tz).date()

    def _tick(self) -> None:
        if isinstance(self._tz, QTimeZone):
            self.clock_label.setText(QDateTime.currentDateTime().toTimeZone(self._tz).toString("HH:mm"))
        else:
            self.clock_label.setText(datetime.now(UTC).astimezone(self._tz).strftime("%H:%M"))
        self.show_countdown()

    def _show_sync(self) -> None:
        self.state.sync_status(self.sync.status)
        self.sync_label.setText(self.state.header_text(self.ctx.languages.is_chinese))

    # --- technician gesture and kiosk mode ----------------------------------------------------

    def _fit_centre_name(self) -> None:
        """The centre's name on one line: the longest of its forms (domain.labels.shorter_names) that fits
        the room the header gives it (elderly mode's large type in a 1080 px wide portrait header takes
        "Taiyuan Housing Provident Fund Centre"), the whole name where nothing shorter fits."""
        names = getattr(self, "_centre_names", None)
        if not names:
            return
        label = self.centre_label
        label.ensurePolished()
        room = label.contentsRect().width() - 2 * max(0, label.margin())
        metrics = QFontMetrics(label.font())
        text = next((n for n in names if metrics.horizontalAdvance(n) <= room), names[0])
        if label.text() != text:
            label.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.centre_label and event.type() == QEvent.Type.Resize:
            self._fit_centre_name()
        if watched is self.centre_label and event.type() == QEvent.Type.MouseButtonPress:
            now = time.monotonic()
            self._technician_taps = [t for t in self._technician_taps if now - t < TECHNICIAN_WINDOW_S] + [now]
            if len(self._technician_taps) >= TECHNICIAN_TAPS:
                self._technician_taps.clear()
                if "technician" in self.screens:
                    self.go("technician")
        return super().eventFilter(watched, event)

    def enter_kiosk_mode(self) -> None:
        self.kiosk_mode = True
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        self.showFullScreen()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk_mode and not getattr(self, "_allow_close", False):
            event.ignore()  # Alt+F4 and friends: a kiosk only closes from maintenance mode
            return
        self._clock.stop()
        self.idle.disarm()
        startup_gc.resume()  # closed before its first frame was done
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.removeEventFilter(self._filter)
            if self.wedge is not None:
                app.removeEventFilter(self.wedge)
        self.sync.detach()
        self.ctx.languages.release()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Close for real (maintenance mode's "quit", or the demo's exit)."""
        self._allow_close = True
        self.close()

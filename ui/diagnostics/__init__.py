"""The technicians' diagnostics, one set of widgets for the kiosk's maintenance mode and the
counter's devices screen: devices with live status and history, guided interactive checks, the
ledger connection test, the sync queue inspector, a log viewer, the configuration (secrets hidden)
and the support bundle export. `DiagnosticsPanel(source)` is the whole; `DiagnosticsSource` is
what an app hands it."""

from ui.diagnostics.panel import DiagnosticsPanel
from ui.diagnostics.source import DiagnosticsSource

__all__ = ["DiagnosticsPanel", "DiagnosticsSource"]

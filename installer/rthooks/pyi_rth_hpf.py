"""PyInstaller runtime hook of the HPF programs: runs before any application code.

python-escpos finds its printer-capabilities file through a symlink inside its package, which
packaged builds lose; it honours ESCPOS_CAPABILITIES_FILE first, so point that at the copy HPF
ships in resources/printer/. A value already set (a technician's override) is kept.
"""

import os
import sys

_bundle = getattr(sys, "_MEIPASS", os.path.dirname(os.path.abspath(sys.executable)))
os.environ.setdefault("ESCPOS_CAPABILITIES_FILE",
                      os.path.join(_bundle, "resources", "printer", "capabilities.json"))

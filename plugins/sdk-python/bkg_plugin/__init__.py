"""Write bkg plugins in Python, with nothing but the standard library.

A plugin is its own process that speaks newline-delimited JSON with ``bkgd`` over stdin and
stdout (docs/PROTOCOL.md); this package does the handshake, runs requests concurrently (sync
handlers on threads, async handlers on one asyncio loop), streams chunks, honours cancels,
applies live configuration, calls daemon services, reports metrics and logs JSON lines on
stderr. ``bkg_plugin.testing`` plays the daemon's side for tests.
"""

from . import log
from .errors import PluginError, bad_input, cancelled, internal
from .plugin import PROTOCOL, Plugin
from .session import CALLBACKS, CANCEL, CONFIG_LIVE, METRICS, Ctx, Session

__all__ = [
    "CALLBACKS", "CANCEL", "CONFIG_LIVE", "METRICS", "PROTOCOL", "Ctx", "Plugin", "PluginError",
    "Session", "bad_input", "cancelled", "internal", "log",
]

"""The error a capability answers a request with, and the codes the SDK itself uses.

An error becomes the protocol's ``error`` message: ``code`` is short and machine-readable,
``client_error`` says the caller's input was at fault (the daemon then answers 4xx, not 502).
"""

# Codes with a fixed meaning (docs/PROTOCOL.md); plugins add their own.
BAD_INPUT = "bad_input"
INTERNAL = "internal"
CANCELLED = "cancelled"
PANIC = "panic"
UNKNOWN_CAPABILITY = "unknown_capability"
DUPLICATE_ID = "duplicate_id"
SHUTTING_DOWN = "shutting_down"
UNSUPPORTED = "unsupported"
FEATURE_NOT_NEGOTIATED = "feature_not_negotiated"
DAEMON_GONE = "daemon_gone"
PATH_NOT_ALLOWED = "path_not_allowed"


class PluginError(Exception):
    """Raise it from a handler to answer the request with an error."""

    def __init__(self, code, message, client_error=False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.client_error = client_error

    def __repr__(self):
        return "PluginError(%r, %r, client_error=%r)" % (self.code, self.message, self.client_error)

    def to_json(self):
        return {"code": self.code, "message": self.message, "client_error": self.client_error}

    @classmethod
    def from_json(cls, error):
        error = error if isinstance(error, dict) else {}
        return cls(str(error.get("code", INTERNAL)), str(error.get("message", "")), bool(error.get("client_error")))


def bad_input(message):
    """The caller's input was wrong (``client_error``)."""
    return PluginError(BAD_INPUT, message, client_error=True)


def internal(message):
    """A failure inside the plugin."""
    return PluginError(INTERNAL, message)


def cancelled():
    """The daemon cancelled the request; the SDK sends this for every cancelled request."""
    return PluginError(CANCELLED, "the request was cancelled")

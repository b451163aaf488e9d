"""Structured logs: one JSON line per call on stderr, which the daemon records as the plugin's
log with the level and the extra fields kept. Never print to stdout: it carries the protocol.
"""

import json
import sys
import threading

_lock = threading.Lock()


def log(level, message, **fields):
    """Writes ``{"level", "message", **fields}`` as one line; values that are not JSON are
    written as their ``repr``."""
    line = json.dumps({"level": level, "message": str(message), **fields}, default=repr) + "\n"
    with _lock:
        try:
            sys.stderr.write(line)
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):
            # The daemon is gone (or stderr closed); there is nobody left to tell.
            pass


def trace(message, **fields):
    log("trace", message, **fields)


def debug(message, **fields):
    log("debug", message, **fields)


def info(message, **fields):
    log("info", message, **fields)


def warn(message, **fields):
    log("warn", message, **fields)


def error(message, **fields):
    log("error", message, **fields)

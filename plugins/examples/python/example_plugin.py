#!/usr/bin/env python3
"""A bkg plugin in Python with nothing but the standard library.

It speaks the plugin protocol (docs/PROTOCOL.md) over stdin/stdout: newline-delimited JSON,
the daemon's hello first, then ours. Requests run concurrently on threads; cancels, live
configuration, metrics and goodbye are honoured. stdout carries only protocol messages; logs
go to stderr as JSON lines.

Capabilities:
  word_count      {text}  -> {words, lines, characters}
  reverse_stream  {text}  -> one chunk per word of the reversed text, then {text, words}
  slow            {ms}    -> sleeps ms milliseconds, stops early when cancelled
"""

import json
import os
import sys
import threading
import traceback

PROTOCOL = "1.1"
NAME = "pyexample"
VERSION = "0.1.0"

# Kept identical to the [[capabilities]] of plugin.toml (a test compares them).
CAPABILITIES = [
    {
        "name": "word_count",
        "description": "Counts the words, lines and characters of a text",
        "inputSchema": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}},
            "additionalProperties": False,
        },
        "outputSchema": {
            "type": "object",
            "properties": {
                "words": {"type": "integer"},
                "lines": {"type": "integer"},
                "characters": {"type": "integer"},
            },
        },
        "streaming": False,
    },
    {
        "name": "reverse_stream",
        "description": "Streams the reversed text one word per chunk",
        "inputSchema": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}},
            "additionalProperties": False,
        },
        "outputSchema": {
            "type": "object",
            "properties": {"text": {"type": "string"}, "words": {"type": "integer"}},
        },
        "streaming": True,
    },
    {
        "name": "slow",
        "description": "Sleeps for ms milliseconds; honours cancel",
        "inputSchema": {
            "type": "object",
            "required": ["ms"],
            "properties": {"ms": {"type": "integer", "minimum": 0, "maximum": 3600000}},
            "additionalProperties": False,
        },
        "outputSchema": {"type": "object", "properties": {"slept_ms": {"type": "integer"}}},
        "streaming": False,
    },
]

FEATURES = ["cancel", "config.live", "metrics"]

_out_lock = threading.Lock()
_err_lock = threading.Lock()


def send(message):
    """Writes one protocol message. One lock keeps lines from different threads whole."""
    line = json.dumps(message, separators=(",", ":")) + "\n"
    with _out_lock:
        try:
            sys.stdout.write(line)
            sys.stdout.flush()
        except (BrokenPipeError, ValueError):
            # The daemon is gone; its stdin EOF ends the plugin.
            pass


def log(level, message, **fields):
    """Writes one JSON log line to stderr; the daemon keeps the level and the extra fields."""
    line = json.dumps({"level": level, "message": message, **fields}) + "\n"
    with _err_lock:
        try:
            sys.stderr.write(line)
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):
            pass


class PluginError(Exception):
    def __init__(self, code, message, client_error=False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.client_error = client_error

    def to_json(self):
        return {"code": self.code, "message": self.message, "client_error": self.client_error}


def bad_input(message):
    return PluginError("bad_input", message, client_error=True)


def cancelled():
    return PluginError("cancelled", "the request was cancelled")


class Request:
    """What a handler gets: the request id, chunk streaming and the cancel flag."""

    def __init__(self, request_id, cancel_event, plugin):
        self.id = request_id
        self.cancel_event = cancel_event
        self.plugin = plugin

    def chunk(self, data):
        if self.cancel_event.is_set():
            raise cancelled()
        send({"type": "chunk", "id": self.id, "data": data})

    def config(self):
        return self.plugin.config_snapshot()


def text_input(data):
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise bad_input("input must be an object with a string `text`")
    return data["text"]


def word_count(_request, data):
    text = text_input(data)
    return {"words": len(text.split()), "lines": len(text.splitlines()), "characters": len(text)}


def reverse_stream(request, data):
    reversed_text = text_input(data)[::-1]
    if request.config().get("uppercase"):
        reversed_text = reversed_text.upper()
    words = reversed_text.split()
    for word in words:
        request.chunk({"word": word})
    return {"text": reversed_text, "words": len(words)}


def slow(request, data):
    ms = data.get("ms") if isinstance(data, dict) else None
    if not isinstance(ms, int) or isinstance(ms, bool) or ms < 0:
        raise bad_input("`ms` must be a non-negative integer")
    # Event.wait returns True as soon as the cancel arrives, so a cancel never waits out the sleep.
    if request.cancel_event.wait(ms / 1000.0):
        raise cancelled()
    return {"slept_ms": ms}


HANDLERS = {"word_count": word_count, "reverse_stream": reverse_stream, "slow": slow}


class Plugin:
    def __init__(self, daemon_hello):
        self.daemon = daemon_hello
        self.features = [f for f in FEATURES if f in daemon_hello.get("features", [])]
        self._config = daemon_hello.get("config") or {}
        self._lock = threading.Lock()
        self._inflight = {}  # request id -> (thread, cancel event)
        self._requests_total = 0
        self.draining = False

    def config_snapshot(self):
        with self._lock:
            return self._config

    def invoke(self, request_id, capability, data):
        if self.draining:
            send({"type": "error", "id": request_id,
                  "error": PluginError("shutting_down", "the plugin is stopping").to_json()})
            return
        event = threading.Event()
        # Daemon threads: after stdin EOF nobody reads our replies, and they must not keep
        # the process alive.
        thread = threading.Thread(target=self._run, args=(request_id, capability, data, event), daemon=True)
        with self._lock:
            self._inflight[request_id] = (thread, event)
        thread.start()

    def _run(self, request_id, capability, data, event):
        try:
            handler = HANDLERS.get(capability)
            if handler is None:
                raise PluginError("unknown_capability", "no capability named %r" % capability, client_error=True)
            output = handler(Request(request_id, event, self), data)
            if event.is_set():
                raise cancelled()
            reply = {"type": "result", "id": request_id, "output": output}
        except PluginError as e:
            reply = {"type": "error", "id": request_id, "error": e.to_json()}
        except Exception as e:  # a bug in a handler answers this request, never kills the plugin
            log("error", "capability %s failed" % capability, traceback=traceback.format_exc())
            reply = {"type": "error", "id": request_id, "error": PluginError("internal", str(e)).to_json()}
        with self._lock:
            self._requests_total += 1
            total = self._requests_total
        if "metrics" in self.features:
            send({"type": "metrics", "counters": {"requests_total": float(total)}})
        send(reply)
        # Only now is the request done: a drain that sees no request in flight may exit at once,
        # so the reply must already be written.
        with self._lock:
            self._inflight.pop(request_id, None)

    def cancel(self, request_id):
        with self._lock:
            entry = self._inflight.get(request_id)
        if entry is not None:
            entry[1].set()

    def configure(self, request_id, config):
        if not isinstance(config, dict):
            error = bad_input("the configuration must be an object")
            send({"type": "error", "id": request_id, "error": error.to_json()})
            return
        with self._lock:
            self._config = config
        log("info", "configuration applied", config=config)
        send({"type": "result", "id": request_id, "output": None})

    def cancel_all(self):
        with self._lock:
            events = [event for _, event in self._inflight.values()]
        for event in events:
            event.set()

    def wait_for_requests(self):
        while True:
            with self._lock:
                threads = [thread for thread, _ in self._inflight.values()]
            if not threads:
                return
            for thread in threads:
                thread.join()


def read_messages():
    """Yields the daemon's messages; skips (and logs) lines that are not JSON objects."""
    for raw in sys.stdin.buffer:
        if not raw.strip():
            continue
        try:
            message = json.loads(raw)
        except ValueError as e:
            log("warn", "ignoring a line that is not JSON", error=str(e))
            continue
        if isinstance(message, dict):
            yield message
        else:
            log("warn", "ignoring a line that is not a JSON object")


def major(version):
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return None


def main():
    messages = read_messages()
    hello = next(messages, None)
    if hello is None:
        log("error", "stdin closed before the daemon's hello")
        return 1
    if hello.get("type") != "hello":
        log("error", "the daemon's first message was not a hello", got=hello.get("type"))
        return 1
    # Answer even an incompatible daemon, so it can name both versions in its error.
    send({"type": "hello", "protocol": PROTOCOL, "name": NAME, "version": VERSION,
          "capabilities": CAPABILITIES, "features": FEATURES})
    if major(hello.get("protocol")) != major(PROTOCOL):
        log("error", "incompatible protocol", daemon=hello.get("protocol"), ours=PROTOCOL)
        return 1

    plugin = Plugin(hello)
    log("info", "ready", plugin_id=hello.get("plugin_id"), run=hello.get("run"))
    for message in messages:
        kind = message.get("type")
        if kind == "invoke":
            plugin.invoke(message.get("id"), message.get("capability"), message.get("input"))
        elif kind == "cancel":
            plugin.cancel(message.get("id"))
        elif kind == "configure":
            plugin.configure(message.get("id"), message.get("config"))
        elif kind == "goodbye":
            log("info", "goodbye from the daemon; finishing in-flight requests", reason=message.get("reason", ""))
            plugin.draining = True
            # Keep reading so cancels still arrive; a drain thread exits once work is done.
            threading.Thread(target=drain_and_exit, args=(plugin,), daemon=True).start()
        elif kind == "call_result":
            log("warn", "ignoring call_result: this plugin makes no calls")
        else:
            log("warn", "ignoring an unknown message", type=kind)

    # stdin closed: the daemon is gone, unless it said goodbye first (then finish the work).
    if plugin.draining:
        plugin.wait_for_requests()
    else:
        plugin.cancel_all()
    return 0


def drain_and_exit(plugin):
    plugin.wait_for_requests()
    with _out_lock:
        sys.stdout.flush()
    log("info", "all requests finished; exiting")
    sys.stderr.flush()
    # os._exit because the main thread is blocked reading stdin, which sys.exit cannot interrupt.
    os._exit(0)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)

#!/usr/bin/env python3
"""A bkg plugin in Python on the Python SDK (plugins/sdk-python, standard library only).

bkgd puts the SDK on every plugin's PYTHONPATH, so this file needs nothing installed. The SDK
speaks the protocol (docs/PROTOCOL.md): the handshake, requests on threads, chunks, cancels,
live configuration, metrics and goodbye; this file only says what the plugin does.

Capabilities:
  word_count      {text}  -> {words, lines, characters}
  reverse_stream  {text}  -> one chunk per word of the reversed text, then {text, words}
  slow            {ms}    -> sleeps ms milliseconds, stops early when cancelled
"""

import threading

from bkg_plugin import METRICS, Plugin, bad_input, cancelled, log

plugin = Plugin("pyexample", "0.1.0").feature(METRICS)

TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}},
        "additionalProperties": False}

_lock = threading.Lock()
_requests = {"total": 0}


def text_input(data):
    # The daemon validates inputs against the schema; a plugin run by something else still
    # answers bad input as bad input.
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise bad_input("input must be an object with a string `text`")
    return data["text"]


def counted(handler):
    """Reports how many requests the plugin answered, after each one."""

    def wrapper(ctx, data):
        try:
            return handler(ctx, data)
        finally:
            with _lock:
                _requests["total"] += 1
                total = _requests["total"]
            ctx.report_metrics({"requests_total": total})

    return wrapper


@plugin.capability("word_count", description="Counts the words, lines and characters of a text",
                   input_schema=TEXT,
                   output_schema={"type": "object", "properties": {"words": {"type": "integer"},
                                                                   "lines": {"type": "integer"},
                                                                   "characters": {"type": "integer"}}})
@counted
def word_count(ctx, data):
    text = text_input(data)
    return {"words": len(text.split()), "lines": len(text.splitlines()), "characters": len(text)}


@plugin.capability("reverse_stream", description="Streams the reversed text one word per chunk",
                   input_schema=TEXT, streaming=True,
                   output_schema={"type": "object", "properties": {"text": {"type": "string"},
                                                                   "words": {"type": "integer"}}})
@counted
def reverse_stream(ctx, data):
    reversed_text = text_input(data)[::-1]
    if ctx.config.get("uppercase"):
        reversed_text = reversed_text.upper()
    words = reversed_text.split()
    for word in words:
        ctx.chunk({"word": word})
    return {"text": reversed_text, "words": len(words)}


@plugin.capability("slow", description="Sleeps for ms milliseconds; honours cancel",
                   input_schema={"type": "object", "required": ["ms"],
                                 "properties": {"ms": {"type": "integer", "minimum": 0, "maximum": 3600000}},
                                 "additionalProperties": False},
                   output_schema={"type": "object", "properties": {"slept_ms": {"type": "integer"}}})
@counted
def slow(ctx, data):
    ms = data.get("ms") if isinstance(data, dict) else None
    if not isinstance(ms, int) or isinstance(ms, bool) or ms < 0:
        raise bad_input("`ms` must be a non-negative integer")
    # wait_cancelled returns as soon as the cancel arrives, so a cancel never waits out the sleep.
    if ctx.wait_cancelled(data["ms"] / 1000.0):
        raise cancelled()
    return {"slept_ms": data["ms"]}


@plugin.on_ready
def ready(session):
    log.info("ready", plugin_id=session.plugin_id, run=session.run)


@plugin.on_configure
def configure(config):
    if not isinstance(config, dict):
        raise bad_input("the configuration must be an object")
    log.info("configuration applied", config=config)


if __name__ == "__main__":
    plugin.main()

#!/usr/bin/env python3
"""A complete small plugin: a plain capability, a streaming one that honours cancel, live
configuration and structured logs. Its test is plugins/sdk-python/tests/test_examples.py."""

from bkg_plugin import Plugin, bad_input, log

plugin = Plugin("shout", "0.1.0")
TEXT = {"type": "object", "required": ["text"], "additionalProperties": False,
        "properties": {"text": {"type": "string"}}}


@plugin.capability("shout", description="Upper-cases a text", input_schema=TEXT)
def shout(ctx, data):
    marks = ctx.config.get("exclamations", 1)
    return {"text": data["text"].upper() + "!" * marks}


@plugin.capability("spell", description="Streams a text letter by letter", input_schema=TEXT, streaming=True)
async def spell(ctx, data):
    for letter in data["text"]:
        # Raises `cancelled` once the daemon cancels, which ends the request.
        ctx.chunk({"letter": letter})
    return {"letters": len(data["text"])}


@plugin.on_configure
def configure(config):
    if not isinstance(config.get("exclamations"), int) or config["exclamations"] < 0:
        raise bad_input("exclamations must be a non-negative integer")
    log.info("configured", config=config)


if __name__ == "__main__":
    plugin.main()

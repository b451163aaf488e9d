#!/usr/bin/env python3
"""The conformance plugin of the Python SDK: the same capabilities, with the same inputs and
answers, as the Rust test plugin (`bkg-testplugin serve`) and the Node SDK's conformance
plugin, so one suite (plugins/sdk/tests/it/conformance.rs) can hold all three SDKs to the
protocol. Sync and async handlers are mixed on purpose: both paths of the SDK are exercised.
"""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from bkg_plugin import CALLBACKS, METRICS, Plugin, PluginError, bad_input, log  # noqa: E402

plugin = Plugin("bkg-conformance-python", "0.2.0").feature(CALLBACKS).feature(METRICS)


def strict(properties, required=()):
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


calls = {"echo": 0}


@plugin.capability("echo", description="Returns its input", input_schema={"type": "object"})
def echo(ctx, data):
    calls["echo"] += 1
    ctx.report_metrics({"echo_calls": calls["echo"]})
    return data


@plugin.capability("stream", description="Sends `count` chunks, then a result with the count", streaming=True,
                   input_schema=strict({"count": {"type": "integer", "minimum": 0}, "text": {"type": "string"}}, ["count"]))
def stream(ctx, data):
    for n in range(data["count"]):
        ctx.chunk({"n": n, "text": data.get("text", "chunk")})
    return {"count": data["count"]}


@plugin.capability("sleep", description="Sleeps `ms` milliseconds; honours cancel",
                   input_schema=strict({"ms": {"type": "integer", "minimum": 0}}, ["ms"]))
async def sleep(ctx, data):
    try:
        await asyncio.sleep(data["ms"] / 1000.0)
    except asyncio.CancelledError:
        log.info("sleep %s cancelled" % ctx.id)
        raise
    return {"slept_ms": data["ms"]}


@plugin.capability("fail", description="Fails with code `requested_failure`",
                   input_schema=strict({"message": {"type": "string"}, "client_error": {"type": "boolean"}}))
def fail(ctx, data):
    raise PluginError("requested_failure", data.get("message", "failure requested"), bool(data.get("client_error")))


@plugin.capability("log", description="Writes `count` JSON log lines to stderr",
                   input_schema=strict({"count": {"type": "integer", "minimum": 0}, "message": {"type": "string"}}, ["count"]))
def log_lines(ctx, data):
    for n in range(data["count"]):
        log.info("%s %d" % (data.get("message", "log line"), n))
    return {"written": data["count"]}


@plugin.capability("whoami", description="Returns the run number, plugin id and config", input_schema=strict({}))
def whoami(ctx, data):
    return {"pid": os.getpid(), "run": ctx.run, "pluginId": ctx.plugin_id, "config": ctx.config,
            "dataDir": ctx.data_dir, "features": ctx.features, "caller": ctx.caller}


@plugin.capability("exit", description="Exits the process at once with `code`, without answering",
                   input_schema=strict({"code": {"type": "integer", "minimum": 0, "maximum": 255}}, ["code"]))
def exit_now(ctx, data):
    sys.stderr.flush()
    os._exit(data["code"])


@plugin.capability("store", description="Stores `texts` through the daemon and lists the collection",
                   input_schema=strict({"collection": {"type": "string", "minLength": 1},
                                        "texts": {"type": "array", "items": {"type": "string"}}}, ["collection", "texts"]))
async def store(ctx, data):
    docs = [{"text": t, "metadata": {"source": "bkg-conformance-python"}} for t in data["texts"]]
    put = await ctx.call_async("documents.put", {"collection": data["collection"], "documents": docs})
    listed = ctx.documents_list(data["collection"])
    return {"put": put, "list": listed}


@plugin.capability("relay", description="Invokes `capability` of `plugin` through the daemon and answers its output",
                   input_schema=strict({"plugin": {"type": "string"}, "capability": {"type": "string"},
                                        "input": {"type": "object"}}, ["plugin", "capability"]))
async def relay(ctx, data):
    return {"output": await ctx.invoke_plugin_async(data["plugin"], data["capability"], data.get("input", {}))}


@plugin.capability("panic", description="Raises an unexpected exception", input_schema=strict({"message": {"type": "string"}}))
def panic(ctx, data):
    raise RuntimeError(data.get("message", "panic requested"))


@plugin.capability("file", description="Writes `text` to, or reads, a file at `path`, confined to the plugin's folders",
                   input_schema=strict({"path": {"type": "string"}, "text": {"type": "string"}}, ["path"]))
def file(ctx, data):
    if "text" in data:
        path = ctx.resolve_path(data["path"], write=True)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(data["text"])
        return {"written": path}
    with open(ctx.resolve_path(data["path"])) as f:
        return {"text": f.read()}


@plugin.on_configure
def configure(config):
    if not isinstance(config, dict):
        raise bad_input("the configuration must be an object")
    if config.get("reject") is True:
        raise PluginError("config_rejected", "rejected as asked by `reject: true`", client_error=True)
    log.info("configuration applied", config=config)


if __name__ == "__main__":
    plugin.main()

"""``Plugin``: the builder a plugin fills with capabilities and hooks, and the session loop that
speaks the protocol on stdin/stdout: the handshake, then each invocation on a thread (sync
handlers) or a task of one asyncio loop (async handlers), cancels to their request, configures
in order on one worker, call results to their caller, until goodbye (drain, exit 0) or stdin
EOF without goodbye (cancel, exit 0 at once).
"""

import asyncio
import inspect
import json
import os
import queue
import sys
import threading
import traceback

from . import errors, log
from .errors import PluginError
from .session import CALLBACKS, CANCEL, CONFIG_LIVE, METRICS, Ctx, Outbox, Session

PROTOCOL = "1.1"


def _major(version):
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return None


class Plugin:
    """Describe the plugin, then ``main()``::

        plugin = Plugin("shouter", "0.1.0")

        @plugin.capability("shout", input_schema={"type": "object", "required": ["text"],
                                                  "properties": {"text": {"type": "string"}}})
        def shout(ctx, data):
            return {"text": data["text"].upper()}

        plugin.main()
    """

    def __init__(self, name, version):
        self.name = name
        self.version = version
        self._capabilities = []
        self._on_configure = None
        self._on_ready = None
        self._extra_features = []

    def capability(self, name, description="", input_schema=None, output_schema=None, streaming=False,
                   permission=None):
        """Decorator adding a capability. The handler is ``def h(ctx, data)`` (runs on a thread of
        its own) or ``async def h(ctx, data)`` (runs on the plugin's asyncio loop); it returns
        the JSON output or raises ``PluginError``. ``permission`` names a permission callers
        need besides ``plugins:invoke`` (the manifest may override it)."""
        if any(spec["name"] == name for spec, _ in self._capabilities):
            raise ValueError("capability %r is declared twice" % name)

        def register(handler):
            spec = {"name": name, "description": description, "inputSchema": input_schema or {},
                    "outputSchema": output_schema or {}, "streaming": bool(streaming)}
            if permission:
                spec["permission"] = permission
            self._capabilities.append((spec, handler))
            return handler

        return register

    def on_configure(self, handler):
        """Decorator: applies configuration changes live (announces ``config.live``). Runs one at a
        time in arrival order; when it returns without raising, the new config becomes
        ``ctx.config``."""
        self._on_configure = handler
        return handler

    def on_ready(self, hook):
        """Decorator: runs once with the ``Session`` after the handshake, before the first request
        is handled (start background work here)."""
        self._on_ready = hook
        return hook

    def feature(self, name):
        """Announces ``callbacks`` (to call daemon services) or ``metrics`` (to report counters).
        ``cancel`` is always announced and ``config.live`` comes with ``on_configure``."""
        if name not in self._extra_features:
            self._extra_features.append(name)
        return self

    def features(self):
        features = [CANCEL] + ([CONFIG_LIVE] if self._on_configure else [])
        return features + [f for f in self._extra_features if f not in features]

    def hello(self):
        return {"type": "hello", "protocol": PROTOCOL, "name": self.name, "version": self.version,
                "capabilities": [spec for spec, _ in self._capabilities], "features": self.features()}

    def run(self, stdin=None, stdout=None):
        """Speaks the protocol until goodbye or EOF and returns the exit code. Anything the
        plugin's own code prints to ``sys.stdout`` goes to stderr (its log) instead, so a stray
        ``print`` cannot break the protocol stream."""
        if stdout is None:
            stdout = sys.stdout.buffer
            sys.stdout = sys.stderr
        return _Server(self, stdin or sys.stdin.buffer, stdout).run()

    def main(self):
        """The whole ``main`` of a plugin: ``run()``, then exit with its code."""
        try:
            code = self.run()
        except KeyboardInterrupt:
            code = 130
        sys.stderr.flush()
        sys.exit(code)


class _Server:
    def __init__(self, plugin, stdin, stdout):
        self.plugin = plugin
        self.stdin = stdin
        self.outbox = Outbox(stdout)
        self.events = queue.SimpleQueue()
        self.handlers = {spec["name"]: handler for spec, handler in plugin._capabilities}
        self.inflight = {}
        self.configures = 0
        self.configure_queue = None
        self.draining = False
        self.session = None
        self.loop = None

    def _lines(self):
        # Raw reads on the descriptor: a thread blocked in a buffered reader's readline holds
        # its lock, and the interpreter aborts at exit when it finds that lock taken.
        try:
            fd = self.stdin.fileno()
        except (AttributeError, OSError, ValueError):
            yield from iter(self.stdin.readline, b"")
            return
        pending = b""
        while True:
            try:
                block = os.read(fd, 65536)
            except InterruptedError:
                continue
            except OSError:
                block = b""
            if not block:
                if pending:
                    yield pending
                return
            pending += block
            *lines, pending = pending.split(b"\n")
            yield from lines

    def _read(self):
        for raw in self._lines():
            if not raw.strip():
                continue
            try:
                message = json.loads(raw)
            except ValueError as e:
                self.events.put(("bad", "not JSON (%s): %r" % (e, raw[:200])))
                continue
            if isinstance(message, dict):
                self.events.put(("msg", message))
            else:
                self.events.put(("bad", "not a JSON object: %r" % raw[:200]))
        self.events.put(("eof", None))

    def run(self):
        threading.Thread(target=self._read, name="bkg-plugin-stdin", daemon=True).start()
        kind, hello = self.events.get()
        while kind == "bad":
            kind, hello = self.events.get()
        if kind == "eof":
            log.error("stdin closed before the daemon's hello")
            return 1
        if hello.get("type") != "hello":
            log.error("the daemon's first message was not a hello", got=hello.get("type"))
            return 1
        # Answer even an incompatible daemon, so it can name both versions in its error.
        self.outbox.send(self.plugin.hello())
        self.outbox.sync()
        if _major(hello.get("protocol")) != _major(PROTOCOL):
            log.error("incompatible protocol", daemon=hello.get("protocol"), ours=PROTOCOL)
            return 1
        daemon_features = hello.get("features") or []
        negotiated = [f for f in self.plugin.features() if f in daemon_features]
        self.session = Session(hello, negotiated, self.outbox)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="bkg-plugin-asyncio", daemon=True).start()
        if self.plugin._on_ready:
            self._call_hook(self.plugin._on_ready, self.session)
        if self.plugin._on_configure:
            self.configure_queue = queue.SimpleQueue()
            threading.Thread(target=self._configure_worker, name="bkg-plugin-configure", daemon=True).start()

        eof = False
        while True:
            kind, payload = self.events.get()
            if kind == "msg":
                self._handle(payload)
            elif kind == "done":
                self.inflight.pop(payload, None)
            elif kind == "configured":
                self.configures -= 1
            elif kind == "bad":
                log.warn("ignoring an invalid line from the daemon: %s" % payload)
            elif kind == "eof" and not eof:
                eof = True
                # The daemon may close stdin right after its goodbye and still read our replies;
                # without a goodbye it is gone: cancel everything and exit at once.
                self.session._fail_calls()
                if not self.draining:
                    for ctx in list(self.inflight.values()):
                        ctx._cancel_now()
                    self.outbox.sync()
                    return 0
            if self.draining and not self.inflight and self.configures == 0:
                self.outbox.sync()
                return 0

    def _call_hook(self, hook, *args):
        result = hook(*args)
        if inspect.isawaitable(result):
            asyncio.run_coroutine_threadsafe(_awaited(result), self.loop).result()

    def _handle(self, message):
        kind = message.get("type")
        if kind == "invoke":
            self._invoke(message.get("id"), message.get("capability"), message.get("input"), message.get("caller"))
        elif kind == "cancel":
            # An unknown id is a request that already finished: its reply crossed the cancel.
            ctx = self.inflight.get(message.get("id"))
            if ctx is not None:
                ctx._cancel_now()
        elif kind == "configure":
            self._configure(message.get("id"), message.get("config"))
        elif kind == "call_result":
            self.session._complete_call(message.get("id"), message.get("result"), message.get("error"))
        elif kind == "goodbye":
            log.info("goodbye from the daemon; finishing %d requests" % len(self.inflight),
                     reason=message.get("reason", ""))
            self.draining = True
            if self.configure_queue is not None:
                self.configure_queue.put(None)
                self.configure_queue = None
        elif kind == "hello":
            log.warn("ignoring a second hello from the daemon")
        else:
            log.warn("ignoring an unknown message", type=kind)

    def _reply_error(self, request_id, error):
        self.outbox.send({"type": "error", "id": request_id, "error": error.to_json()})

    def _invoke(self, request_id, capability, data, caller=None):
        if self.draining:
            return self._reply_error(request_id, PluginError(errors.SHUTTING_DOWN, "the plugin is stopping"))
        handler = self.handlers.get(capability)
        if handler is None:
            return self._reply_error(request_id, PluginError(
                errors.UNKNOWN_CAPABILITY, "no capability named %r" % capability, client_error=True))
        if request_id in self.inflight:
            return self._reply_error(request_id, PluginError(
                errors.DUPLICATE_ID, "request %s is already in flight" % request_id))
        ctx = Ctx(request_id, capability, self.session, caller)
        self.inflight[request_id] = ctx
        if inspect.iscoroutinefunction(handler):
            ctx._loop = self.loop
            asyncio.run_coroutine_threadsafe(self._run_async(ctx, handler, data), self.loop)
        else:
            threading.Thread(target=self._run_sync, args=(ctx, handler, data), daemon=True).start()

    def _run_sync(self, ctx, handler, data):
        try:
            reply = self._result(ctx, handler(ctx, data))
        except BaseException as e:  # noqa: B036 - every failure answers the request
            reply = self._failure(ctx, e)
        self._finish(ctx, reply)

    async def _run_async(self, ctx, handler, data):
        ctx._task = asyncio.current_task()
        try:
            if ctx.cancelled:
                raise asyncio.CancelledError()
            reply = self._result(ctx, await handler(ctx, data))
        except BaseException as e:  # noqa: B036 - every failure answers the request
            reply = self._failure(ctx, e)
        self._finish(ctx, reply)

    def _result(self, ctx, output):
        try:
            json.dumps(output)
        except (TypeError, ValueError) as e:
            return self._error(ctx, errors.internal("the output is not JSON: %s" % e))
        return {"type": "result", "id": ctx.id, "output": output}

    def _failure(self, ctx, e):
        if isinstance(e, PluginError):
            return self._error(ctx, e)
        if isinstance(e, (asyncio.CancelledError, KeyboardInterrupt)):
            return self._error(ctx, errors.cancelled())
        log.error("capability %s raised %s" % (ctx.capability, type(e).__name__),
                  traceback=traceback.format_exc())
        return self._error(ctx, PluginError(errors.PANIC, "%s raised %s: %s" % (ctx.capability, type(e).__name__, e)))

    @staticmethod
    def _error(ctx, error):
        return {"type": "error", "id": ctx.id, "error": error.to_json()}

    def _finish(self, ctx, reply):
        if ctx.cancelled:
            reply = self._error(ctx, errors.cancelled())
        self.outbox.send(reply)
        # Only now is the request done: a drain that sees none in flight may exit at once, so
        # the reply must already be queued.
        self.events.put(("done", ctx.id))

    def _configure(self, request_id, config):
        if self.configure_queue is None:
            error = (PluginError(errors.SHUTTING_DOWN, "the plugin is stopping") if self.draining
                     else PluginError(errors.UNSUPPORTED, "this plugin does not apply configuration live"))
            return self._reply_error(request_id, error)
        self.configures += 1
        self.configure_queue.put((request_id, config))

    def _configure_worker(self):
        q = self.configure_queue
        while True:
            item = q.get()
            if item is None:
                return
            request_id, config = item
            try:
                self._call_hook(self.plugin._on_configure, config)
                # Updated before the reply so a request sent after it sees the new config.
                self.session._set_config(config)
                reply = {"type": "result", "id": request_id, "output": None}
            except PluginError as e:
                reply = {"type": "error", "id": request_id, "error": e.to_json()}
            except Exception as e:
                log.error("configure raised %s" % type(e).__name__, traceback=traceback.format_exc())
                reply = {"type": "error", "id": request_id,
                         "error": PluginError(errors.PANIC, "configure raised %s: %s" % (type(e).__name__, e)).to_json()}
            self.outbox.send(reply)
            self.events.put(("configured", request_id))


async def _awaited(awaitable):
    return await awaitable

"""The plugin's side of one connection to the daemon after the handshake: the outbox (one
writer thread owns stdout, so lines never interleave), the daemon's hello, the negotiated
features, the live configuration, callbacks to daemon services, metrics, and the ``Ctx`` each
request's handler gets.
"""

import asyncio
import concurrent.futures
import itertools
import json
import queue
import threading

from . import errors
from .errors import PluginError
from .paths import confine

# Protocol features (docs/PROTOCOL.md, "Features").
CANCEL = "cancel"
CONFIG_LIVE = "config.live"
CALLBACKS = "callbacks"
METRICS = "metrics"


class Outbox:
    """Serialises messages in the caller's thread and writes them from one thread, feeding
    everything queued before one flush: a flush per burst, not per line."""

    _SYNC = object()

    def __init__(self, stream):
        self._stream = stream
        self._queue = queue.SimpleQueue()
        self.closed = False
        threading.Thread(target=self._write, name="bkg-plugin-stdout", daemon=True).start()

    def send(self, message):
        if self.closed:
            return False
        self._queue.put((json.dumps(message, separators=(",", ":"), default=repr) + "\n").encode())
        return True

    def sync(self, timeout=10.0):
        """Waits until everything sent so far is flushed."""
        done = threading.Event()
        self._queue.put((self._SYNC, done))
        done.wait(timeout)

    def _write(self):
        while True:
            item = self._queue.get()
            pending = [item]
            while True:
                try:
                    pending.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            for entry in pending:
                if isinstance(entry, tuple):
                    self._flush()
                    entry[1].set()
                elif not self.closed:
                    try:
                        self._stream.write(entry)
                    except (BrokenPipeError, ValueError, OSError):
                        self.closed = True
            self._flush()

    def _flush(self):
        if self.closed:
            return
        try:
            self._stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            self.closed = True


class Session:
    """What every request shares: the daemon's hello, the features both sides use, the
    configuration, and the calls waiting for their ``call_result``."""

    def __init__(self, daemon_hello, features, outbox):
        self.daemon = daemon_hello
        self.features = features
        self.outbox = outbox
        self._config = daemon_hello.get("config") or {}
        self._lock = threading.Lock()
        self._calls = {}
        self._next_call = itertools.count(1)
        self._input_closed = False

    @property
    def plugin_id(self):
        return self.daemon.get("plugin_id", "")

    @property
    def run(self):
        return self.daemon.get("run", 0)

    @property
    def config(self):
        """The effective configuration: the hello's, or the last one ``on_configure`` accepted."""
        with self._lock:
            return self._config

    def _set_config(self, config):
        with self._lock:
            self._config = config

    @property
    def data_dir(self):
        """The plugin's own data folder (protocol 1.1), or ``None`` from an older daemon."""
        return self.daemon.get("data_dir")

    @property
    def allowed_paths(self):
        return list(self.daemon.get("allowed_paths") or [])

    def resolve_path(self, path, write=False):
        """A path a caller passed, confined to the data folder and the allowed folders (see
        ``paths.confine``); a refusal is a ``path_not_allowed`` error of the caller's."""
        return confine(path, self.data_dir, self.allowed_paths, write=write)

    def has_feature(self, name):
        return name in self.features

    # Callbacks ----------------------------------------------------------------------------

    def call_future(self, method, params):
        """Sends a ``call`` and returns a ``concurrent.futures.Future`` of its result."""
        future = concurrent.futures.Future()
        if not self.has_feature(CALLBACKS):
            future.set_exception(PluginError(
                errors.FEATURE_NOT_NEGOTIATED,
                "cannot call %s: the `callbacks` feature was not negotiated (announce it with "
                "Plugin.feature('callbacks'))" % method))
            return future
        with self._lock:
            if self._input_closed:
                future.set_exception(_daemon_gone(method))
                return future
            call_id = next(self._next_call)
            self._calls[call_id] = future
        if not self.outbox.send({"type": "call", "id": call_id, "method": method, "params": params}):
            with self._lock:
                self._calls.pop(call_id, None)
            future.set_exception(_daemon_gone(method))
        return future

    def call(self, method, params=None):
        """Calls a daemon service and waits for its answer (from a sync handler)."""
        return self.call_future(method, params if params is not None else {}).result()

    async def call_async(self, method, params=None):
        """Calls a daemon service (from an async handler)."""
        return await asyncio.wrap_future(self.call_future(method, params if params is not None else {}))

    def _complete_call(self, call_id, result, error):
        with self._lock:
            future = self._calls.pop(call_id, None)
        if future is None:
            from . import log
            log.warn("ignoring call_result for unknown call id %s" % call_id)
        elif error is not None:
            future.set_exception(PluginError.from_json(error))
        else:
            future.set_result(result)

    def _fail_calls(self):
        with self._lock:
            self._input_closed = True
            calls, self._calls = self._calls, {}
        for future in calls.values():
            future.set_exception(_daemon_gone("the call"))

    # The daemon's services, typed by name (docs/PROTOCOL.md, "Callbacks").
    def documents_put(self, collection, documents, model=None):
        params = {"collection": collection, "documents": documents}
        if model is not None:
            params["model"] = model
        return self.call("documents.put", params)

    def documents_list(self, collection, after=None, limit=500, with_embeddings=False):
        return self.call("documents.list", {"collection": collection, "after": after, "limit": limit,
                                            "with_embeddings": with_embeddings})

    def documents_delete(self, collection, ids=None):
        params = {"collection": collection}
        if ids is not None:
            params["ids"] = ids
        return self.call("documents.delete", params)

    def collections_list(self):
        return self.call("collections.list", {})

    def models_resolve(self, model):
        return self.call("models.resolve", {"model": model})

    # Metrics ------------------------------------------------------------------------------

    def report_metrics(self, counters):
        """Sends counters (numbers) now; a no-op when ``metrics`` was not negotiated."""
        if self.has_feature(METRICS):
            self.outbox.send({"type": "metrics", "counters": {k: float(v) for k, v in counters.items()}})


def _daemon_gone(what):
    return PluginError(errors.DAEMON_GONE, "%s cannot be answered: the daemon went away" % what)


class Ctx:
    """What a handler gets for one request: its id, who it is for (``caller``: the user and the
    plugins it passed through), chunk streaming, cancellation, calls to other plugins, and
    (through attribute access) the session's config, callbacks, metrics and paths."""

    def __init__(self, request_id, capability, session, caller=None):
        self.id = request_id
        self.capability = capability
        self.session = session
        self.caller = caller or {}
        self._cancel = threading.Event()
        self._task = None
        self._loop = None

    def __getattr__(self, name):
        # config, call, call_async, documents_*, models_resolve, report_metrics, resolve_path...
        return getattr(self.session, name)

    @property
    def cancelled(self):
        """Whether the daemon cancelled this request (or went away)."""
        return self._cancel.is_set()

    def wait_cancelled(self, timeout=None):
        """Blocks until the request is cancelled or ``timeout`` seconds pass; returns whether it
        was cancelled. Use it as an interruptible sleep in a sync handler."""
        return self._cancel.wait(timeout)

    def _invoke_params(self, plugin, capability, data):
        return {"plugin": plugin, "capability": capability, "input": data if data is not None else {},
                "request": self.id}

    def invoke_plugin(self, plugin, capability, data=None):
        """Invokes another plugin's capability through the daemon for this request's caller
        (the plugin's manifest must list it in ``calls``); returns its output."""
        return self.session.call("plugins.invoke", self._invoke_params(plugin, capability, data))

    async def invoke_plugin_async(self, plugin, capability, data=None):
        return await self.session.call_async("plugins.invoke", self._invoke_params(plugin, capability, data))

    def chunk(self, data):
        """Sends a partial result. Raises ``cancelled`` once the request is cancelled, so a
        streaming loop stops by itself."""
        if self._cancel.is_set():
            raise errors.cancelled()
        self.session.outbox.send({"type": "chunk", "id": self.id, "data": data})

    def _cancel_now(self):
        self._cancel.set()
        if self._task is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)

"""Plays the daemon's side of the protocol, so a plugin in any language can be tested as the
daemon will run it: a real process, its own pipes, the daemon's hello, invocations with ids,
chunks, cancels, configures, callbacks answered from an in-memory store, goodbye and EOF.
Every wait has a deadline, so a broken plugin fails the test instead of hanging it::

    with TestDaemon().start(["python3", "my_plugin.py"]) as plugin:
        assert plugin.invoke("shout", {"text": "hi"}) == {"text": "HI"}
"""

import itertools
import json
import os
import queue
import signal
import subprocess
import threading
import time

from .errors import PluginError
from .plugin import PROTOCOL

ALL_FEATURES = ["cancel", "config.live", "callbacks", "metrics"]


class HarnessError(Exception):
    """The plugin did not behave: it timed out, exited, or broke the protocol."""


class MemoryStore:
    """Answers the document callbacks like the daemon does, in memory."""

    def __init__(self):
        self.collections = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def answer(self, method, params):
        with self._lock:
            if method == "documents.put":
                docs = self.collections.setdefault(params["collection"], {})
                ids = []
                for d in params.get("documents", []):
                    doc_id = d.get("id") or "doc-%06d" % next(self._ids)
                    docs[doc_id] = {**d, "id": doc_id}
                    ids.append(doc_id)
                return {"ids": ids}
            if method == "documents.list":
                docs = self.collections.get(params["collection"], {})
                after, limit = params.get("after"), params.get("limit", 500)
                keys = sorted(k for k in docs if after is None or k > after)
                page = keys[:limit]
                out = [{k: v for k, v in docs[i].items()
                        if k != "embedding" or params.get("with_embeddings")} for i in page]
                return {"documents": out, "next": page[-1] if len(keys) > limit else None}
            if method == "documents.delete":
                docs = self.collections.get(params["collection"], {})
                ids = params.get("ids")
                if ids is None:
                    n = len(docs)
                    self.collections.pop(params["collection"], None)
                    return {"deleted": n}
                return {"deleted": sum(1 for i in ids if docs.pop(i, None) is not None)}
            if method == "collections.list":
                return {"collections": [{"collection": c, "documents": len(d)}
                                        for c, d in sorted(self.collections.items())]}
        raise PluginError("unknown_method", "the test daemon has no method %r" % method, client_error=True)


class TestDaemon:
    """The daemon's settings: what its hello says, how long waits may take, how callbacks are
    answered (``call_handler(method, params)`` returning a result or raising ``PluginError``;
    by default the ``MemoryStore``), and the plugin's environment and folder."""

    __test__ = False  # not a pytest test class

    def __init__(self, plugin_id="test", run=1, config=None, features=None, protocol=PROTOCOL,
                 data_dir=None, allowed_paths=(), timeout=30.0, call_handler=None, env=None, cwd=None):
        self.hello = {"type": "hello", "protocol": protocol, "daemon_version": "bkg-plugin-sdk-python-harness",
                      "plugin_id": plugin_id, "run": run,
                      "features": list(ALL_FEATURES if features is None else features), "config": config or {}}
        if data_dir is not None:
            self.hello["data_dir"] = str(data_dir)
            self.hello["allowed_paths"] = [str(p) for p in allowed_paths]
        self.timeout = timeout
        self.store = MemoryStore()
        self.call_handler = call_handler or self.store.answer
        self.env = env
        self.cwd = cwd

    def spawn(self, argv):
        """Starts the plugin in a process group of its own and sends the hello; see
        ``PluginProcess.handshake``."""
        env = dict(os.environ, **(self.env or {}))
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=self.cwd, env=env, start_new_session=True)
        plugin = PluginProcess(proc, self)
        plugin._send(self.hello)
        return plugin

    def start(self, argv):
        """Spawns the plugin and completes the handshake."""
        plugin = self.spawn(argv)
        plugin.handshake()
        return plugin


class Call:
    """One request in flight: its chunks as they arrive, then its result."""

    def __init__(self, plugin, call_id):
        self.plugin = plugin
        self.id = call_id
        self.replies = queue.Queue()

    def next_reply(self):
        try:
            return self.replies.get(timeout=self.plugin.daemon.timeout)
        except queue.Empty:
            raise HarnessError("no reply to request %s within %ss" % (self.id, self.plugin.daemon.timeout)) from None

    def chunks(self):
        """Yields the data of each chunk; stops at the final reply, which ``result`` returns."""
        while True:
            reply = self.next_reply()
            if reply["type"] != "chunk":
                self._final = reply
                return
            yield reply["data"]

    def result(self):
        """The output, or raises the plugin's error as ``PluginError``; skips chunks."""
        reply = getattr(self, "_final", None)
        while reply is None or reply["type"] == "chunk":
            reply = self.next_reply()
        if reply["type"] == "error":
            raise PluginError.from_json(reply.get("error"))
        return reply.get("output")


class PluginProcess:
    """A running plugin: drive it, read its stderr, wait for it to exit."""

    def __init__(self, proc, daemon):
        self.proc = proc
        self.daemon = daemon
        self.hello = None
        self.metrics = {}
        self.goodbye_reason = None
        self.stderr_lines = []
        self._ids = itertools.count(1)
        self._calls = {}
        self._hello = queue.Queue()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._write_lock = threading.Lock()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def _send(self, message):
        line = (json.dumps(message) + "\n").encode()
        with self._write_lock:
            try:
                self.proc.stdin.write(line)
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError, OSError) as e:
                raise HarnessError("cannot write to the plugin: %s" % e) from None

    def _read_stdout(self):
        for raw in iter(self.proc.stdout.readline, b""):
            try:
                msg = json.loads(raw)
            except ValueError:
                with self._changed:
                    self.stderr_lines.append("<harness> not a protocol line on stdout: %r" % raw[:200])
                    self._changed.notify_all()
                continue
            kind = msg.get("type")
            if kind == "hello":
                self._hello.put(msg)
            elif kind in ("chunk", "result", "error"):
                call = self._calls.get(msg.get("id"))
                if call is not None:
                    call.replies.put(msg)
            elif kind == "call":
                threading.Thread(target=self._answer, args=(msg,), daemon=True).start()
            elif kind == "metrics":
                with self._changed:
                    self.metrics.update(msg.get("counters") or {})
                    self._changed.notify_all()
            elif kind == "goodbye":
                with self._changed:
                    self.goodbye_reason = msg.get("reason", "")
                    self._changed.notify_all()

    def _read_stderr(self):
        for raw in iter(self.proc.stderr.readline, b""):
            with self._changed:
                self.stderr_lines.append(raw.decode(errors="replace").rstrip("\n"))
                self._changed.notify_all()

    def _answer(self, msg):
        try:
            reply = {"type": "call_result", "id": msg["id"],
                     "result": self.daemon.call_handler(msg.get("method"), msg.get("params") or {})}
        except PluginError as e:
            reply = {"type": "call_result", "id": msg["id"], "error": e.to_json()}
        try:
            self._send(reply)
        except HarnessError:
            pass

    def handshake(self):
        """Waits for the plugin's hello."""
        try:
            self.hello = self._hello.get(timeout=self.daemon.timeout)
        except queue.Empty:
            raise HarnessError("no hello within %ss; stderr: %s" % (self.daemon.timeout, self.stderr_lines[-5:])) from None
        return self.hello

    def start_call(self, capability, data):
        call = Call(self, next(self._ids))
        self._calls[call.id] = call
        self._send({"type": "invoke", "id": call.id, "capability": capability, "input": data})
        return call

    def invoke(self, capability, data=None):
        """The output of one request, or its error raised as ``PluginError``."""
        return self.start_call(capability, {} if data is None else data).result()

    def cancel(self, call):
        self._send({"type": "cancel", "id": call.id})

    def configure(self, config):
        """Sends a configure; returns when the plugin accepted it, raises ``PluginError`` if not."""
        call = Call(self, next(self._ids))
        self._calls[call.id] = call
        self._send({"type": "configure", "id": call.id, "config": config})
        return call.result()

    def goodbye(self, reason="stopping"):
        self._send({"type": "goodbye", "reason": reason})

    def close_stdin(self):
        with self._write_lock:
            self.proc.stdin.close()

    def wait_exit(self, timeout=None):
        """The exit code (negative: the signal that ended it)."""
        try:
            return self.proc.wait(timeout or self.daemon.timeout)
        except subprocess.TimeoutExpired:
            raise HarnessError("the plugin did not exit within %ss" % (timeout or self.daemon.timeout)) from None

    def wait_for(self, what, predicate):
        """Waits until ``predicate()`` holds (checked as stderr and metrics change)."""
        deadline = time.monotonic() + self.daemon.timeout
        with self._changed:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise HarnessError("timed out waiting for %s; stderr: %s" % (what, self.stderr_lines[-5:]))
                self._changed.wait(left)

    def wait_stderr(self, predicate):
        """The first stderr line matching ``predicate``."""
        found = []

        def seen():
            found.extend(line for line in self.stderr_lines if predicate(line))
            return bool(found)

        self.wait_for("a stderr line", seen)
        return found[0]

    def kill(self):
        """Kills the plugin's whole process group."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()

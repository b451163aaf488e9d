"""The Python SDK through a real plugin process (examples/conformance.py) driven by the SDK's
own daemon harness: handshake, concurrency, streaming, errors, cancel, configure, callbacks,
metrics, goodbye and EOF; and the path rule on its own."""

import concurrent.futures
import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from bkg_plugin import PluginError  # noqa: E402
from bkg_plugin.paths import confine  # noqa: E402
from bkg_plugin.testing import TestDaemon  # noqa: E402

PLUGIN = [sys.executable, os.path.join(HERE, "..", "examples", "conformance.py")]


@pytest.fixture
def plugin():
    with TestDaemon(config={"greeting": "hi"}).start(PLUGIN) as p:
        yield p


def test_the_hello_lists_capabilities_and_features(plugin):
    hello = plugin.hello
    assert hello["protocol"] == "1.1"
    names = [c["name"] for c in hello["capabilities"]]
    assert names[:4] == ["echo", "stream", "sleep", "fail"]
    assert all(c["inputSchema"]["type"] == "object" for c in hello["capabilities"])
    assert hello["features"] == ["cancel", "config.live", "callbacks", "metrics"]


def test_echo_config_and_metrics(plugin):
    assert plugin.invoke("echo", {"a": [1, 2]}) == {"a": [1, 2]}
    assert plugin.invoke("whoami")["config"] == {"greeting": "hi"}
    plugin.wait_for("the echo counter", lambda: plugin.metrics.get("echo_calls") == 1.0)


def test_concurrent_requests_finish_in_any_order(plugin):
    slow = plugin.start_call("sleep", {"ms": 60_000})
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        outs = list(pool.map(lambda n: plugin.invoke("echo", {"n": n}), range(32)))
    assert outs == [{"n": n} for n in range(32)], "others are answered while one sleeps"
    plugin.cancel(slow)
    with pytest.raises(PluginError) as e:
        slow.result()
    assert e.value.code == "cancelled"
    plugin.wait_stderr(lambda line: "cancelled" in line)


def test_streaming_sends_chunks_then_the_result(plugin):
    call = plugin.start_call("stream", {"count": 5, "text": "t"})
    assert list(call.chunks()) == [{"n": n, "text": "t"} for n in range(5)]
    assert call.result() == {"count": 5}


def test_errors_keep_their_code_and_blame(plugin):
    with pytest.raises(PluginError) as e:
        plugin.invoke("fail", {"message": "nope", "client_error": True})
    assert (e.value.code, e.value.message, e.value.client_error) == ("requested_failure", "nope", True)
    with pytest.raises(PluginError) as e:
        plugin.invoke("panic", {"message": "boom"})
    assert (e.value.code, e.value.client_error) == ("panic", False)
    assert "boom" in e.value.message
    with pytest.raises(PluginError) as e:
        plugin.invoke("teleport", {})
    assert (e.value.code, e.value.client_error) == ("unknown_capability", True)
    assert plugin.invoke("echo", {"still": "alive"}) == {"still": "alive"}


def test_live_configuration_in_order(plugin):
    assert plugin.configure({"greeting": "hello"}) is None
    assert plugin.invoke("whoami")["config"] == {"greeting": "hello"}
    with pytest.raises(PluginError) as e:
        plugin.configure({"reject": True})
    assert e.value.code == "config_rejected"
    assert plugin.invoke("whoami")["config"] == {"greeting": "hello"}, "a refused config changes nothing"


def test_callbacks_reach_the_daemon(plugin):
    out = plugin.invoke("store", {"collection": "notes", "texts": ["a", "b"]})
    assert len(out["put"]["ids"]) == 2
    assert [d["text"] for d in out["list"]["documents"]] == ["a", "b"]
    assert plugin.daemon.store.collections["notes"]


def test_goodbye_drains_then_exits_zero(plugin):
    slow = plugin.start_call("sleep", {"ms": 300})
    plugin.goodbye()
    with pytest.raises(PluginError) as e:
        plugin.invoke("echo", {})
    assert e.value.code == "shutting_down"
    assert slow.result() == {"slept_ms": 300}, "the request in flight finishes"
    assert plugin.wait_exit() == 0


def test_stdin_eof_exits_at_once(plugin):
    plugin.start_call("sleep", {"ms": 3_600_000})
    plugin.close_stdin()
    assert plugin.wait_exit() == 0


def test_a_crash_is_an_exit_code(plugin):
    plugin.start_call("exit", {"code": 3})
    assert plugin.wait_exit() == 3


def test_an_incompatible_daemon_gets_a_hello_and_the_plugin_exits():
    p = TestDaemon(protocol="2.0").spawn(PLUGIN)
    assert p.handshake()["protocol"] == "1.1"
    assert p.wait_exit() == 1
    p.wait_stderr(lambda line: "incompatible protocol" in line)


def test_stray_prints_go_to_the_log(tmp_path):
    script = tmp_path / "printer.py"
    script.write_text(
        "import sys\nsys.path.insert(0, %r)\nfrom bkg_plugin import Plugin\n"
        "p = Plugin('printer', '1')\n"
        "@p.capability('say')\ndef say(ctx, data):\n    print('hello from a print')\n    return {'ok': True}\n"
        "p.main()\n" % os.path.join(HERE, ".."))
    with TestDaemon().start([sys.executable, str(script)]) as p:
        assert p.invoke("say", {}) == {"ok": True}
        p.wait_stderr(lambda line: "hello from a print" in line)


def test_paths_stay_inside_the_plugins_folders(tmp_path):
    data, allowed, outside = tmp_path / "data", tmp_path / "allowed", tmp_path / "outside"
    for d in (data, allowed, outside):
        d.mkdir()
    (outside / "secret").write_text("s")
    (data / "link").symlink_to(outside / "secret")
    (data / "dirlink").symlink_to(outside)
    go = lambda p, write=False: confine(p, str(data), [str(allowed)], write=write)  # noqa: E731
    assert go("notes/a.txt", write=True) == os.path.join(os.path.realpath(data), "notes/a.txt")
    assert go(str(allowed / "x"), write=True) == os.path.join(os.path.realpath(allowed), "x")
    assert go("%2e%2e/x", write=True).startswith(os.path.realpath(data))
    for bad in [str(outside / "secret"), "/etc/passwd", "../outside/secret", "a/../../outside/secret",
                "link", "dirlink/secret", "dirlink/new", "", "a\0b"]:
        for write in (False, True):
            with pytest.raises(PluginError) as e:
                go(bad, write)
            assert e.value.code == "path_not_allowed", (bad, write)
    with pytest.raises(PluginError) as e:
        go("missing.txt")
    assert e.value.code == "bad_input"


def test_the_plugin_confines_paths_through_the_protocol(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with TestDaemon(data_dir=data).start(PLUGIN) as p:
        p.invoke("file", {"path": "a/b.txt", "text": "x"})
        assert (data / "a" / "b.txt").read_text() == "x"
        with pytest.raises(PluginError) as e:
            p.invoke("file", {"path": "/etc/passwd"})
        assert (e.value.code, e.value.client_error) == ("path_not_allowed", True)
        assert json.dumps(p.invoke("whoami")["dataDir"]) == json.dumps(str(data))

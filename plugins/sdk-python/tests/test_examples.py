"""The example shown in docs/PROTOCOL.md ("Writing a plugin in Python") does what it says."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SDK = os.path.join(HERE, "..")
sys.path.insert(0, SDK)

from bkg_plugin.testing import TestDaemon  # noqa: E402


def test_shout_shouts_spells_and_reconfigures():
    daemon = TestDaemon(config={"exclamations": 2}, env={"PYTHONPATH": SDK})
    with daemon.start([sys.executable, os.path.join(SDK, "examples", "shout.py")]) as plugin:
        assert plugin.invoke("shout", {"text": "hi"}) == {"text": "HI!!"}
        call = plugin.start_call("spell", {"text": "ab"})
        assert list(call.chunks()) == [{"letter": "a"}, {"letter": "b"}]
        assert call.result() == {"letters": 2}
        plugin.configure({"exclamations": 0})
        assert plugin.invoke("shout", {"text": "hi"}) == {"text": "HI"}
        plugin.goodbye("test over")
        assert plugin.wait_exit() == 0

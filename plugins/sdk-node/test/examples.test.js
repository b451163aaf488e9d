'use strict';
// The example shown in docs/PROTOCOL.md ("Writing a plugin in Node.js") does what it says, run
// the way bkgd runs it: `@bkg/plugin-sdk` found through NODE_PATH.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { TestDaemon } = require('../src/testing');

test('shout shouts, spells and reconfigures', async () => {
  // NODE_PATH holds a node_modules-like folder with @bkg/plugin-sdk, as the daemon provides.
  const modules = fs.mkdtempSync(path.join(os.tmpdir(), 'bkg-node-path-'));
  fs.mkdirSync(path.join(modules, '@bkg'));
  fs.symlinkSync(path.join(__dirname, '..'), path.join(modules, '@bkg', 'plugin-sdk'));
  const daemon = new TestDaemon({ config: { exclamations: 2 }, env: { NODE_PATH: modules } });
  const plugin = await daemon.start([process.execPath, path.join(__dirname, '..', 'examples', 'shout.js')]);
  try {
    assert.deepEqual(await plugin.invoke('shout', { text: 'hi' }), { text: 'HI!!' });
    const call = plugin.startCall('spell', { text: 'ab' });
    assert.deepEqual(await call.chunks(), [{ letter: 'a' }, { letter: 'b' }]);
    assert.deepEqual(await call.result(), { letters: 2 });
    await plugin.configure({ exclamations: 0 });
    assert.deepEqual(await plugin.invoke('shout', { text: 'hi' }), { text: 'HI' });
    plugin.goodbye('test over');
    assert.equal(await plugin.waitExit(), 0);
  } finally {
    plugin.kill();
  }
});

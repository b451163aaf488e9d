'use strict';
// The Node SDK through a real plugin process (examples/conformance.js) driven by the SDK's own
// daemon harness: handshake, concurrency, streaming, errors, cancel, configure, callbacks,
// metrics, goodbye and EOF; and the path rule on its own.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { TestDaemon } = require('../src/testing');
const { confine, PluginError } = require('../src');

const PLUGIN = [process.execPath, path.join(__dirname, '..', 'examples', 'conformance.js')];

async function withPlugin(opts, fn) {
  const plugin = await new TestDaemon(opts).start(PLUGIN);
  try { await fn(plugin); } finally { plugin.kill(); }
}

const rejectsWith = async (promise, code, clientError) => {
  await assert.rejects(promise, (e) => e instanceof PluginError && e.code === code && (clientError === undefined || e.clientError === clientError));
};

test('the hello lists capabilities and features', () => withPlugin({}, async (p) => {
  assert.equal(p.hello.protocol, '1.1');
  assert.deepEqual(p.hello.capabilities.slice(0, 4).map((c) => c.name), ['echo', 'stream', 'sleep', 'fail']);
  assert.deepEqual(p.hello.features, ['cancel', 'config.live', 'callbacks', 'metrics']);
}));

test('echo, config and metrics', () => withPlugin({ config: { greeting: 'hi' } }, async (p) => {
  assert.deepEqual(await p.invoke('echo', { a: [1, 2] }), { a: [1, 2] });
  assert.deepEqual((await p.invoke('whoami', {})).config, { greeting: 'hi' });
  await p.waitFor('the echo counter', () => p.metrics.echo_calls === 1);
}));

test('concurrent requests finish in any order and cancel works', () => withPlugin({}, async (p) => {
  const slow = p.startCall('sleep', { ms: 60000 });
  const outs = await Promise.all([...Array(32).keys()].map((n) => p.invoke('echo', { n })));
  assert.deepEqual(outs, [...Array(32).keys()].map((n) => ({ n })));
  p.cancel(slow);
  await rejectsWith(slow.result(), 'cancelled');
  await p.waitStderr((l) => l.includes('cancelled'));
}));

test('streaming sends chunks then the result', () => withPlugin({}, async (p) => {
  const call = p.startCall('stream', { count: 5, text: 't' });
  assert.deepEqual(await call.chunks(), [0, 1, 2, 3, 4].map((n) => ({ n, text: 't' })));
  assert.deepEqual(await call.result(), { count: 5 });
}));

test('errors keep their code and blame', () => withPlugin({}, async (p) => {
  await rejectsWith(p.invoke('fail', { message: 'nope', client_error: true }), 'requested_failure', true);
  await rejectsWith(p.invoke('panic', { message: 'boom' }), 'panic', false);
  await rejectsWith(p.invoke('teleport', {}), 'unknown_capability', true);
  assert.deepEqual(await p.invoke('echo', { still: 'alive' }), { still: 'alive' });
}));

test('live configuration in order', () => withPlugin({}, async (p) => {
  assert.equal(await p.configure({ greeting: 'hello' }), null);
  assert.deepEqual((await p.invoke('whoami', {})).config, { greeting: 'hello' });
  await rejectsWith(p.configure({ reject: true }), 'config_rejected');
  assert.deepEqual((await p.invoke('whoami', {})).config, { greeting: 'hello' });
}));

test('callbacks reach the daemon', () => withPlugin({}, async (p) => {
  const out = await p.invoke('store', { collection: 'notes', texts: ['a', 'b'] });
  assert.equal(out.put.ids.length, 2);
  assert.deepEqual(out.list.documents.map((d) => d.text), ['a', 'b']);
}));

test('goodbye drains then exits 0', () => withPlugin({}, async (p) => {
  const slow = p.startCall('sleep', { ms: 300 });
  p.goodbye();
  await rejectsWith(p.invoke('echo', {}), 'shutting_down');
  assert.deepEqual(await slow.result(), { slept_ms: 300 });
  assert.equal(await p.waitExit(), 0);
}));

test('stdin EOF exits at once', () => withPlugin({}, async (p) => {
  p.startCall('sleep', { ms: 3600000 });
  p.closeStdin();
  assert.equal(await p.waitExit(), 0);
}));

test('a crash is an exit code', () => withPlugin({}, async (p) => {
  p.startCall('exit', { code: 3 });
  assert.equal(await p.waitExit(), 3);
}));

test('an incompatible daemon gets a hello and the plugin exits 1', async () => {
  const p = new TestDaemon({ protocol: '2.0' }).spawn(PLUGIN);
  try {
    assert.equal((await p.handshake()).protocol, '1.1');
    assert.equal(await p.waitExit(), 1);
    await p.waitStderr((l) => l.includes('incompatible protocol'));
  } finally { p.kill(); }
});

test('stray console.log output goes to the log', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bkg-sdk-node-'));
  const script = path.join(dir, 'printer.js');
  fs.writeFileSync(script, `const { Plugin } = require(${JSON.stringify(path.join(__dirname, '..', 'src'))});
new Plugin('printer', '1').capability('say', () => { console.log('hello from a console.log'); return { ok: true }; }).main();\n`);
  const p = await new TestDaemon().start([process.execPath, script]);
  try {
    assert.deepEqual(await p.invoke('say', {}), { ok: true });
    await p.waitStderr((l) => l.includes('hello from a console.log'));
  } finally { p.kill(); }
});

test('paths stay inside the plugin\'s folders', () => {
  const t = fs.mkdtempSync(path.join(os.tmpdir(), 'bkg-sdk-node-'));
  const [data, allowed, outside] = ['data', 'allowed', 'outside'].map((d) => path.join(t, d));
  for (const d of [data, allowed, outside]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(outside, 'secret'), 's');
  fs.symlinkSync(path.join(outside, 'secret'), path.join(data, 'link'));
  fs.symlinkSync(outside, path.join(data, 'dirlink'));
  const go = (p, write = false) => confine(p, data, [allowed], write);
  assert.equal(go('notes/a.txt', true), path.join(fs.realpathSync(data), 'notes/a.txt'));
  assert.equal(go(path.join(allowed, 'x'), true), path.join(fs.realpathSync(allowed), 'x'));
  assert.ok(go('%2e%2e/x', true).startsWith(fs.realpathSync(data)));
  for (const bad of [path.join(outside, 'secret'), '/etc/passwd', '../outside/secret', 'a/../../outside/secret', 'link',
    'dirlink/secret', 'dirlink/new', '', 'a\0b']) {
    for (const write of [false, true]) {
      assert.throws(() => go(bad, write), (e) => e.code === 'path_not_allowed', `${bad} ${write}`);
    }
  }
  assert.throws(() => go('missing.txt'), (e) => e.code === 'bad_input');
});

test('the plugin confines paths through the protocol', async () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'bkg-sdk-node-data-'));
  await withPlugin({ dataDir: data }, async (p) => {
    await p.invoke('file', { path: 'a/b.txt', text: 'x' });
    assert.equal(fs.readFileSync(path.join(data, 'a', 'b.txt'), 'utf8'), 'x');
    await rejectsWith(p.invoke('file', { path: '/etc/passwd' }), 'path_not_allowed', true);
    assert.equal((await p.invoke('whoami', {})).dataDir, data);
  });
});

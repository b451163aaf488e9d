'use strict';
// Plays the daemon's side of the protocol, so a plugin in any language can be tested as the
// daemon will run it: a real process, its own pipes, the daemon's hello, invocations with ids,
// chunks, cancels, configures, callbacks answered from an in-memory store, goodbye and EOF.
// Every wait has a deadline, so a broken plugin fails the test instead of hanging it:
//
//   const plugin = await new TestDaemon().start(['node', 'my-plugin.js']);
//   assert.deepEqual(await plugin.invoke('shout', { text: 'hi' }), { text: 'HI' });
//   plugin.kill();

const { spawn } = require('node:child_process');
const { PluginError } = require('./errors');
const { PROTOCOL } = require('./plugin');

const ALL_FEATURES = ['cancel', 'config.live', 'callbacks', 'metrics'];

class HarnessError extends Error {}

/** Answers the document callbacks like the daemon does, in memory. */
class MemoryStore {
  constructor() { this.collections = new Map(); this.next = 1; }

  answer(method, params) {
    const coll = (name) => {
      if (!this.collections.has(name)) this.collections.set(name, new Map());
      return this.collections.get(name);
    };
    switch (method) {
      case 'documents.put': {
        const docs = coll(params.collection);
        const ids = (params.documents ?? []).map((d) => {
          const id = d.id ?? `doc-${String(this.next++).padStart(6, '0')}`;
          docs.set(id, { ...d, id });
          return id;
        });
        return { ids };
      }
      case 'documents.list': {
        const docs = coll(params.collection);
        const limit = params.limit ?? 500;
        const keys = [...docs.keys()].sort().filter((k) => params.after == null || k > params.after);
        const page = keys.slice(0, limit);
        const documents = page.map((k) => {
          const { embedding, ...rest } = docs.get(k);
          return params.with_embeddings ? { ...rest, embedding } : rest;
        });
        return { documents, next: keys.length > limit ? page[page.length - 1] : null };
      }
      case 'documents.delete': {
        const docs = coll(params.collection);
        if (params.ids == null) { const n = docs.size; this.collections.delete(params.collection); return { deleted: n }; }
        return { deleted: params.ids.filter((id) => docs.delete(id)).length };
      }
      case 'collections.list':
        return { collections: [...this.collections.entries()].sort().map(([c, d]) => ({ collection: c, documents: d.size })) };
      default:
        throw new PluginError('unknown_method', `the test daemon has no method ${JSON.stringify(method)}`, true);
    }
  }
}

class TestDaemon {
  constructor({ pluginId = 'test', run = 1, config = {}, features = ALL_FEATURES, protocol = PROTOCOL, dataDir,
    allowedPaths = [], timeoutMs = 30000, callHandler, env, cwd } = {}) {
    this.hello = { type: 'hello', protocol, daemon_version: 'bkg-plugin-sdk-node-harness', plugin_id: pluginId, run, features, config };
    if (dataDir !== undefined) Object.assign(this.hello, { data_dir: dataDir, allowed_paths: allowedPaths });
    this.timeoutMs = timeoutMs;
    this.store = new MemoryStore();
    this.callHandler = callHandler ?? ((m, p) => this.store.answer(m, p));
    this.env = env;
    this.cwd = cwd;
  }

  /** Starts the plugin in a process group of its own and sends the hello. */
  spawn(argv) {
    const child = spawn(argv[0], argv.slice(1), { cwd: this.cwd, env: { ...process.env, ...(this.env ?? {}) }, detached: true,
      stdio: ['pipe', 'pipe', 'pipe'] });
    const plugin = new PluginProcess(child, this);
    plugin.send(this.hello);
    return plugin;
  }

  /** Spawns the plugin and completes the handshake. */
  async start(argv) {
    const plugin = this.spawn(argv);
    await plugin.handshake();
    return plugin;
  }
}

/** One request in flight: its chunks as they arrive, then its result. */
class Call {
  constructor(plugin, id) { this.plugin = plugin; this.id = id; this.replies = []; this.waiters = []; }

  push(reply) {
    const w = this.waiters.shift();
    if (w) w(reply); else this.replies.push(reply);
  }

  nextReply() {
    if (this.replies.length) return Promise.resolve(this.replies.shift());
    return this.plugin.deadline(`a reply to request ${this.id}`, new Promise((resolve) => this.waiters.push(resolve)));
  }

  /** The data of every chunk, once the final reply arrived (which `result` then gives). */
  async chunks() {
    const out = [];
    for (;;) {
      const r = await this.nextReply();
      if (r.type !== 'chunk') { this.final = r; return out; }
      out.push(r.data);
    }
  }

  /** The output, or throws the plugin's error as PluginError; skips chunks. */
  async result() {
    let r = this.final;
    while (!r || r.type === 'chunk') r = await this.nextReply();
    if (r.type === 'error') throw PluginError.fromJSON(r.error);
    return r.output;
  }
}

class PluginProcess {
  constructor(child, daemon) {
    this.child = child;
    this.daemon = daemon;
    this.metrics = {};
    this.stderrLines = [];
    this.calls = new Map();
    this.nextId = 1;
    this.watchers = new Set();
    this.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? -(require('node:os').constants.signals[signal] ?? 1))));
    this.helloPromise = new Promise((resolve) => { this.gotHello = resolve; });
    lines(child.stdout, (line) => this.stdout(line));
    lines(child.stderr, (line) => { this.stderrLines.push(line); this.changed(); });
    child.stdin.on('error', () => {});
  }

  deadline(what, promise) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new HarnessError(`timed out waiting for ${what}; stderr: ${this.stderrLines.slice(-5).join(' | ')}`)), this.daemon.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  changed() { for (const w of [...this.watchers]) w(); }

  send(message) {
    if (this.child.stdin.writable) this.child.stdin.write(JSON.stringify(message) + '\n');
  }

  stdout(line) {
    let msg;
    try { msg = JSON.parse(line); } catch (_) { this.stderrLines.push(`<harness> not a protocol line on stdout: ${line.slice(0, 200)}`); return; }
    switch (msg.type) {
      case 'hello': return this.gotHello(msg);
      case 'chunk': case 'result': case 'error': return this.calls.get(msg.id)?.push(msg);
      case 'call': return this.answer(msg);
      case 'metrics': Object.assign(this.metrics, msg.counters ?? {}); return this.changed();
      case 'goodbye': this.goodbyeReason = msg.reason ?? ''; return this.changed();
      default: return undefined;
    }
  }

  async answer(msg) {
    try {
      this.send({ type: 'call_result', id: msg.id, result: await this.daemon.callHandler(msg.method, msg.params ?? {}) });
    } catch (e) {
      const error = e instanceof PluginError ? e : new PluginError('internal', String(e));
      this.send({ type: 'call_result', id: msg.id, error: error.toJSON() });
    }
  }

  async handshake() {
    this.hello = await this.deadline('the hello', this.helloPromise);
    return this.hello;
  }

  startCall(capability, input = {}) {
    const call = new Call(this, this.nextId++);
    this.calls.set(call.id, call);
    this.send({ type: 'invoke', id: call.id, capability, input });
    return call;
  }

  invoke(capability, input) { return this.startCall(capability, input).result(); }
  cancel(call) { this.send({ type: 'cancel', id: call.id }); }

  configure(config) {
    const call = new Call(this, this.nextId++);
    this.calls.set(call.id, call);
    this.send({ type: 'configure', id: call.id, config });
    return call.result();
  }

  goodbye(reason = 'stopping') { this.send({ type: 'goodbye', reason }); }
  closeStdin() { this.child.stdin.end(); }
  waitExit() { return this.deadline('the plugin to exit', this.exit); }

  /** Resolves once `predicate()` holds, checked as stderr and metrics change. */
  waitFor(what, predicate) {
    if (predicate()) return Promise.resolve();
    return this.deadline(what, new Promise((resolve) => {
      const w = () => { if (predicate()) { this.watchers.delete(w); resolve(); } };
      this.watchers.add(w);
    }));
  }

  async waitStderr(predicate) {
    await this.waitFor('a stderr line', () => this.stderrLines.some(predicate));
    return this.stderrLines.find(predicate);
  }

  /** Kills the plugin's whole process group. */
  kill() {
    try { process.kill(-this.child.pid, 'SIGKILL'); } catch (_) { /* already gone */ }
  }
}

function lines(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (text) => {
    pending += text;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
}

module.exports = { TestDaemon, PluginProcess, Call, MemoryStore, HarnessError, ALL_FEATURES };

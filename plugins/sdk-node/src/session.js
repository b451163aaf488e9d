'use strict';
// The plugin's side of one connection after the handshake: the daemon's hello, the negotiated
// features, the live configuration, callbacks to daemon services, metrics, paths, and the
// `Ctx` each request's handler gets.

const { PluginError, codes, cancelled } = require('./errors');
const { confine } = require('./paths');

const features = Object.freeze({ CANCEL: 'cancel', CONFIG_LIVE: 'config.live', CALLBACKS: 'callbacks', METRICS: 'metrics' });

class Session {
  constructor(hello, negotiated, send) {
    this.daemon = hello;
    this.features = negotiated;
    this.send = send;
    this.config = hello.config ?? {};
    this.calls = new Map();
    this.nextCall = 1;
    this.inputClosed = false;
  }

  get pluginId() { return this.daemon.plugin_id ?? ''; }
  get run() { return this.daemon.run ?? 0; }
  /** The plugin's own data folder (protocol 1.1), or undefined from an older daemon. */
  get dataDir() { return this.daemon.data_dir; }
  get allowedPaths() { return [...(this.daemon.allowed_paths ?? [])]; }
  hasFeature(name) { return this.features.includes(name); }

  /** A path a caller passed, confined to the data folder and the allowed folders. */
  resolvePath(p, { write = false } = {}) {
    return confine(p, this.dataDir, this.allowedPaths, write);
  }

  /** Calls a daemon service (feature `callbacks`) and resolves with its answer. */
  call(method, params = {}) {
    if (!this.hasFeature(features.CALLBACKS)) {
      return Promise.reject(new PluginError(codes.FEATURE_NOT_NEGOTIATED,
        `cannot call ${method}: the \`callbacks\` feature was not negotiated (announce it with plugin.feature('callbacks'))`));
    }
    if (this.inputClosed) return Promise.reject(daemonGone(method));
    const id = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.send({ type: 'call', id, method, params });
    });
  }

  documentsPut(collection, documents, model) {
    return this.call('documents.put', model === undefined ? { collection, documents } : { collection, documents, model });
  }
  documentsList(collection, { after = null, limit = 500, withEmbeddings = false } = {}) {
    return this.call('documents.list', { collection, after, limit, with_embeddings: withEmbeddings });
  }
  documentsDelete(collection, ids) {
    return this.call('documents.delete', ids === undefined ? { collection } : { collection, ids });
  }
  collectionsList() { return this.call('collections.list', {}); }
  modelsResolve(model) { return this.call('models.resolve', { model }); }

  /** Sends counters (numbers) now; a no-op when `metrics` was not negotiated. */
  reportMetrics(counters) {
    if (!this.hasFeature(features.METRICS)) return;
    const out = {};
    for (const [k, v] of Object.entries(counters)) out[k] = Number(v);
    this.send({ type: 'metrics', counters: out });
  }

  completeCall(id, result, error) {
    const pending = this.calls.get(id);
    if (!pending) return require('./log').warn(`ignoring call_result for unknown call id ${id}`);
    this.calls.delete(id);
    if (error) pending.reject(PluginError.fromJSON(error));
    else pending.resolve(result ?? null);
  }

  failCalls() {
    this.inputClosed = true;
    for (const { reject } of this.calls.values()) reject(daemonGone('the call'));
    this.calls.clear();
  }
}

const daemonGone = (what) => new PluginError(codes.DAEMON_GONE, `${what} cannot be answered: the daemon went away`);

/** What a handler gets for one request: its id, chunks, cancellation, and the session. */
class Ctx {
  constructor(id, capability, session, caller) {
    this.id = id;
    this.capability = capability;
    this.session = session;
    /** Who the request is for: { user, plugin, chain } (protocol 1.1). */
    this.caller = caller ?? {};
    this.controller = new AbortController();
  }

  /** Aborted when the daemon cancels the request (or goes away); pass it to fetch, timers... */
  get signal() { return this.controller.signal; }
  get cancelled() { return this.controller.signal.aborted; }
  get config() { return this.session.config; }
  get dataDir() { return this.session.dataDir; }
  get run() { return this.session.run; }
  get pluginId() { return this.session.pluginId; }

  /** Sends a partial result; throws `cancelled` once the request is cancelled. */
  chunk(data) {
    if (this.cancelled) throw cancelled();
    this.session.send({ type: 'chunk', id: this.id, data });
  }

  /** Resolves after `ms`, or rejects with `cancelled` as soon as the request is cancelled. */
  sleep(ms) {
    return new Promise((resolve, reject) => {
      if (this.cancelled) return reject(cancelled());
      const timer = setTimeout(resolve, ms);
      this.signal.addEventListener('abort', () => { clearTimeout(timer); reject(cancelled()); }, { once: true });
    });
  }

  call(method, params) { return this.session.call(method, params); }

  /** Invokes another plugin's capability through the daemon for this request's caller (the
   * plugin's manifest must list it in `calls`); resolves with its output. */
  invokePlugin(plugin, capability, input = {}) {
    return this.session.call('plugins.invoke', { plugin, capability, input, request: this.id });
  }
  reportMetrics(counters) { return this.session.reportMetrics(counters); }
  resolvePath(p, opts) { return this.session.resolvePath(p, opts); }
}

module.exports = { Session, Ctx, features };

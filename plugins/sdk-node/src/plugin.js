'use strict';
// `Plugin`: the builder a plugin fills with capabilities and hooks, and the session loop that
// speaks the protocol on stdin/stdout: the handshake, then each invocation as its own promise,
// cancels to their request (an AbortSignal), configures in order, call results to their
// caller, until goodbye (drain, exit 0) or stdin EOF without goodbye (cancel, exit 0 at once).

const { PluginError, codes, cancelled, internal } = require('./errors');
const log = require('./log');
const { Session, Ctx, features } = require('./session');

const PROTOCOL = '1.1';
const major = (v) => Number.parseInt(String(v).split('.')[0], 10);

class Plugin {
  constructor(name, version) {
    this.name = name;
    this.version = version;
    this.capabilities = [];
    this.handlers = new Map();
    this.configureHandler = null;
    this.readyHook = null;
    this.extraFeatures = [];
  }

  /**
   * Adds a capability: `handler(ctx, input)` returns (or resolves to) the JSON output, or throws
   * a PluginError. `spec` holds description, inputSchema, outputSchema, streaming, permission.
   */
  capability(name, spec, handler) {
    if (typeof spec === 'function') [spec, handler] = [{}, spec];
    if (this.handlers.has(name)) throw new Error(`capability ${JSON.stringify(name)} is declared twice`);
    const out = {
      name,
      description: spec.description ?? '',
      inputSchema: spec.inputSchema ?? {},
      outputSchema: spec.outputSchema ?? {},
      streaming: Boolean(spec.streaming),
    };
    if (spec.permission) out.permission = spec.permission;
    this.capabilities.push(out);
    this.handlers.set(name, handler);
    return this;
  }

  /** Applies configuration live (announces `config.live`); configures run one at a time. */
  onConfigure(handler) { this.configureHandler = handler; return this; }

  /** Runs once with the Session after the handshake, before the first request is handled. */
  onReady(hook) { this.readyHook = hook; return this; }

  /** Announces `callbacks` or `metrics`; `cancel` is always announced, `config.live` with onConfigure. */
  feature(name) {
    if (!this.extraFeatures.includes(name)) this.extraFeatures.push(name);
    return this;
  }

  features() {
    const out = [features.CANCEL, ...(this.configureHandler ? [features.CONFIG_LIVE] : [])];
    return [...out, ...this.extraFeatures.filter((f) => !out.includes(f))];
  }

  hello() {
    return { type: 'hello', protocol: PROTOCOL, name: this.name, version: this.version,
      capabilities: this.capabilities, features: this.features() };
  }

  /**
   * Speaks the protocol until goodbye or EOF; resolves with the exit code. Whatever the plugin's
   * own code writes to process.stdout (console.log) goes to stderr instead, so a stray log line
   * cannot break the protocol stream.
   */
  run(input = process.stdin, output = process.stdout) {
    let write;
    if (output === process.stdout) {
      const protocol = process.stdout.write.bind(process.stdout);
      process.stdout.write = (chunk, encoding, cb) => process.stderr.write(chunk, encoding, cb);
      write = protocol;
    } else {
      write = output.write.bind(output);
    }
    return new Server(this, input, write).run();
  }

  /** The whole main of a plugin: run(), then exit with its code once stdout is flushed. */
  main() {
    this.run().then((code) => process.exit(code), (e) => {
      log.error(`the plugin failed: ${e && e.stack ? e.stack : e}`);
      process.exit(1);
    });
  }
}

class Server {
  constructor(plugin, input, write) {
    this.plugin = plugin;
    this.input = input;
    this.rawWrite = write;
    this.inflight = new Map();
    this.configures = Promise.resolve();
    this.pendingConfigures = 0;
    this.draining = false;
    this.session = null;
    this.early = [];
  }

  send(message) {
    this.rawWrite(JSON.stringify(message) + '\n');
  }

  /** Resolves once everything written so far has reached the pipe. */
  flushed() {
    return new Promise((resolve) => this.rawWrite('', () => resolve()));
  }

  run() {
    return new Promise((resolve) => {
      this.finish = async (code) => {
        if (this.done) return;
        this.done = true;
        this.input.removeAllListeners('data');
        this.input.pause();
        await this.flushed();
        resolve(code);
      };
      let pending = '';
      this.input.setEncoding('utf8');
      this.input.on('data', (text) => {
        pending += text;
        let nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) this.line(line);
        }
      });
      this.input.on('end', () => this.eof());
    });
  }

  line(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return log.warn(`ignoring a line that is not JSON: ${e.message}`);
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return log.warn('ignoring a line that is not a JSON object');
    if (!this.session) {
      // Messages that arrive while the ready hook runs wait for it.
      if (this.handshaking) return this.early.push(msg);
      return this.handshake(msg);
    }
    this.dispatch(msg);
  }

  dispatch(msg) {
    this.handle(msg).catch((e) => log.error(`handling a ${msg.type} failed: ${e.stack}`));
  }

  async handshake(hello) {
    if (this.handshaking) return;
    this.handshaking = true;
    if (hello.type !== 'hello') {
      log.error('the daemon\'s first message was not a hello', { got: hello.type });
      return this.finish(1);
    }
    // Answer even an incompatible daemon, so it can name both versions in its error.
    this.send(this.plugin.hello());
    if (major(hello.protocol) !== major(PROTOCOL)) {
      log.error('incompatible protocol', { daemon: hello.protocol, ours: PROTOCOL });
      return this.finish(1);
    }
    const daemonFeatures = hello.features ?? [];
    const negotiated = this.plugin.features().filter((f) => daemonFeatures.includes(f));
    const session = new Session(hello, negotiated, (m) => this.send(m));
    if (this.plugin.readyHook) await this.plugin.readyHook(session);
    this.session = session;
    for (const msg of this.early.splice(0)) this.dispatch(msg);
    if (this.sawEof) this.eof();
  }

  async handle(msg) {
    switch (msg.type) {
      case 'invoke': return this.invoke(msg.id, msg.capability, msg.input, msg.caller);
      case 'cancel': {
        // An unknown id is a request that already finished: its reply crossed the cancel.
        const ctx = this.inflight.get(msg.id);
        if (ctx) ctx.controller.abort(cancelled());
        return;
      }
      case 'configure': return this.configure(msg.id, msg.config);
      case 'call_result': return this.session.completeCall(msg.id, msg.result, msg.error);
      case 'goodbye':
        log.info(`goodbye from the daemon; finishing ${this.inflight.size} requests`, { reason: msg.reason ?? '' });
        this.draining = true;
        return this.maybeDone();
      case 'hello': return log.warn('ignoring a second hello from the daemon');
      default: return log.warn('ignoring an unknown message', { type: msg.type });
    }
  }

  replyError(id, error) {
    this.send({ type: 'error', id, error: error.toJSON() });
  }

  async invoke(id, capability, input, caller) {
    if (this.draining) return this.replyError(id, new PluginError(codes.SHUTTING_DOWN, 'the plugin is stopping'));
    const handler = this.plugin.handlers.get(capability);
    if (!handler) return this.replyError(id, new PluginError(codes.UNKNOWN_CAPABILITY, `no capability named ${JSON.stringify(capability)}`, true));
    if (this.inflight.has(id)) return this.replyError(id, new PluginError(codes.DUPLICATE_ID, `request ${id} is already in flight`));
    const ctx = new Ctx(id, capability, this.session, caller);
    this.inflight.set(id, ctx);
    let reply;
    try {
      const output = await handler(ctx, input);
      JSON.stringify(output === undefined ? null : output);
      reply = { type: 'result', id, output: output === undefined ? null : output };
    } catch (e) {
      reply = { type: 'error', id, error: this.failure(capability, e).toJSON() };
    }
    if (ctx.cancelled) reply = { type: 'error', id, error: cancelled().toJSON() };
    this.send(reply);
    this.inflight.delete(id);
    this.maybeDone();
  }

  failure(what, e) {
    if (e instanceof PluginError) return e;
    if (e instanceof TypeError && /circular|BigInt/.test(e.message)) return internal(`the output is not JSON: ${e.message}`);
    log.error(`${what} threw ${e && e.name}`, { stack: e && e.stack });
    return new PluginError(codes.PANIC, `${what} threw ${e && e.name}: ${e && e.message}`);
  }

  configure(id, config) {
    if (this.draining) return this.replyError(id, new PluginError(codes.SHUTTING_DOWN, 'the plugin is stopping'));
    const handler = this.plugin.configureHandler;
    if (!handler) return this.replyError(id, new PluginError(codes.UNSUPPORTED, 'this plugin does not apply configuration live'));
    this.pendingConfigures += 1;
    this.configures = this.configures.then(async () => {
      try {
        await handler(config);
        // Updated before the reply so a request sent after it sees the new config.
        this.session.config = config;
        this.send({ type: 'result', id, output: null });
      } catch (e) {
        this.replyError(id, this.failure('configure', e));
      }
      this.pendingConfigures -= 1;
      this.maybeDone();
    });
  }

  maybeDone() {
    if (this.draining && this.inflight.size === 0 && this.pendingConfigures === 0) this.finish(0);
  }

  eof() {
    if (!this.session) {
      if (this.handshaking) { this.sawEof = true; return; }
      if (!this.done) log.error('stdin closed before the daemon\'s hello');
      return this.finish(1);
    }
    // The daemon may close stdin right after its goodbye and still read our replies; without
    // a goodbye it is gone: cancel everything and exit at once.
    this.session.failCalls();
    if (this.draining) return this.maybeDone();
    for (const ctx of this.inflight.values()) ctx.controller.abort(cancelled());
    return this.finish(0);
  }
}

module.exports = { Plugin, PROTOCOL };

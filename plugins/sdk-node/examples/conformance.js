#!/usr/bin/env node
'use strict';
// The conformance plugin of the Node SDK: the same capabilities, with the same inputs and
// answers, as the Rust test plugin (`bkg-testplugin serve`) and the Python SDK's conformance
// plugin, so one suite (plugins/sdk/tests/it/conformance.rs) can hold all three SDKs to the
// protocol. Sync and async handlers are mixed on purpose.

const fs = require('node:fs');
const path = require('node:path');
const { Plugin, PluginError, badInput, log } = require('../src');

const strict = (properties, required = []) => ({ type: 'object', properties, required, additionalProperties: false });
let echoCalls = 0;

const plugin = new Plugin('bkg-conformance-node', '0.2.0')
  .feature('callbacks')
  .feature('metrics')
  .capability('echo', { description: 'Returns its input', inputSchema: { type: 'object' } }, (ctx, input) => {
    echoCalls += 1;
    ctx.reportMetrics({ echo_calls: echoCalls });
    return input;
  })
  .capability('stream', {
    description: 'Sends `count` chunks, then a result with the count',
    streaming: true,
    inputSchema: strict({ count: { type: 'integer', minimum: 0 }, text: { type: 'string' } }, ['count']),
  }, (ctx, input) => {
    for (let n = 0; n < input.count; n++) ctx.chunk({ n, text: input.text ?? 'chunk' });
    return { count: input.count };
  })
  .capability('sleep', {
    description: 'Sleeps `ms` milliseconds; honours cancel',
    inputSchema: strict({ ms: { type: 'integer', minimum: 0 } }, ['ms']),
  }, async (ctx, input) => {
    try {
      await ctx.sleep(input.ms);
    } catch (e) {
      log.info(`sleep ${ctx.id} cancelled`);
      throw e;
    }
    return { slept_ms: input.ms };
  })
  .capability('fail', {
    description: 'Fails with code `requested_failure`',
    inputSchema: strict({ message: { type: 'string' }, client_error: { type: 'boolean' } }),
  }, (ctx, input) => {
    throw new PluginError('requested_failure', input.message ?? 'failure requested', Boolean(input.client_error));
  })
  .capability('log', {
    description: 'Writes `count` JSON log lines to stderr',
    inputSchema: strict({ count: { type: 'integer', minimum: 0 }, message: { type: 'string' } }, ['count']),
  }, (ctx, input) => {
    for (let n = 0; n < input.count; n++) log.info(`${input.message ?? 'log line'} ${n}`);
    return { written: input.count };
  })
  .capability('whoami', { description: 'Returns the run number, plugin id and config', inputSchema: strict({}) },
    (ctx) => ({ pid: process.pid, run: ctx.run, pluginId: ctx.pluginId, config: ctx.config, dataDir: ctx.dataDir ?? null,
      features: ctx.session.features, caller: ctx.caller }))
  .capability('exit', {
    description: 'Exits the process at once with `code`, without answering',
    inputSchema: strict({ code: { type: 'integer', minimum: 0, maximum: 255 } }, ['code']),
  }, (ctx, input) => process.exit(input.code))
  .capability('store', {
    description: 'Stores `texts` through the daemon and lists the collection',
    inputSchema: strict({ collection: { type: 'string', minLength: 1 }, texts: { type: 'array', items: { type: 'string' } } },
      ['collection', 'texts']),
  }, async (ctx, input) => {
    const documents = input.texts.map((text) => ({ text, metadata: { source: 'bkg-conformance-node' } }));
    const put = await ctx.call('documents.put', { collection: input.collection, documents });
    const list = await ctx.session.documentsList(input.collection);
    return { put, list };
  })
  .capability('relay', {
    description: 'Invokes `capability` of `plugin` through the daemon and answers its output',
    inputSchema: strict({ plugin: { type: 'string' }, capability: { type: 'string' }, input: { type: 'object' } }, ['plugin', 'capability']),
  }, async (ctx, input) => ({ output: await ctx.invokePlugin(input.plugin, input.capability, input.input ?? {}) }))
  .capability('panic', { description: 'Throws an unexpected exception', inputSchema: strict({ message: { type: 'string' } }) },
    (ctx, input) => { throw new RangeError(input.message ?? 'panic requested'); })
  .capability('file', {
    description: "Writes `text` to, or reads, a file at `path`, confined to the plugin's folders",
    inputSchema: strict({ path: { type: 'string' }, text: { type: 'string' } }, ['path']),
  }, (ctx, input) => {
    if (input.text !== undefined) {
      const p = ctx.resolvePath(input.path, { write: true });
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, input.text);
      return { written: p };
    }
    return { text: fs.readFileSync(ctx.resolvePath(input.path), 'utf8') };
  })
  .onConfigure((config) => {
    if (!config || typeof config !== 'object' || Array.isArray(config)) throw badInput('the configuration must be an object');
    if (config.reject === true) throw new PluginError('config_rejected', 'rejected as asked by `reject: true`', true);
    log.info('configuration applied', { config });
  });

plugin.main();

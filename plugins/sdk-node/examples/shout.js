#!/usr/bin/env node
'use strict';
// A complete small plugin: a plain capability, a streaming one that honours cancel, live
// configuration and structured logs. Its test is plugins/sdk-node/test/examples.test.js.

const { Plugin, badInput, log } = require('@bkg/plugin-sdk');

const text = { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string' } } };

new Plugin('shout', '0.1.0')
  .capability('shout', { description: 'Upper-cases a text', inputSchema: text }, (ctx, input) => {
    const marks = ctx.config.exclamations ?? 1;
    return { text: input.text.toUpperCase() + '!'.repeat(marks) };
  })
  .capability('spell', { description: 'Streams a text letter by letter', inputSchema: text, streaming: true },
    async (ctx, input) => {
      // Throws `cancelled` once the daemon cancels, which ends the request.
      for (const letter of input.text) ctx.chunk({ letter });
      return { letters: [...input.text].length };
    })
  .onConfigure((config) => {
    if (!Number.isInteger(config.exclamations) || config.exclamations < 0) {
      throw badInput('exclamations must be a non-negative integer');
    }
    log.info('configured', { config });
  })
  .main();

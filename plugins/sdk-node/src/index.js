'use strict';
// Write bkg plugins in Node.js, with no dependencies. A plugin is its own process that speaks
// newline-delimited JSON with bkgd over stdin/stdout (docs/PROTOCOL.md); this package does the
// handshake, runs requests concurrently, streams chunks, honours cancels (AbortSignal), applies
// live configuration, calls daemon services, reports metrics and logs JSON lines on stderr.
// `require('@bkg/plugin-sdk/src/testing')` plays the daemon's side for tests.

const { Plugin, PROTOCOL } = require('./plugin');
const { PluginError, codes, badInput, internal, cancelled } = require('./errors');
const { Session, Ctx, features } = require('./session');
const { confine } = require('./paths');
const log = require('./log');

module.exports = { Plugin, PROTOCOL, PluginError, codes, badInput, internal, cancelled, Session, Ctx, features, confine, log };

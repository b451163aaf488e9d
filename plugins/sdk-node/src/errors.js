'use strict';
// The error a capability answers a request with, and the codes the SDK itself uses.
// `code` is short and machine-readable; `clientError` says the caller's input was at fault
// (the daemon then answers 4xx instead of 502).

const codes = Object.freeze({
  BAD_INPUT: 'bad_input',
  INTERNAL: 'internal',
  CANCELLED: 'cancelled',
  PANIC: 'panic',
  UNKNOWN_CAPABILITY: 'unknown_capability',
  DUPLICATE_ID: 'duplicate_id',
  SHUTTING_DOWN: 'shutting_down',
  UNSUPPORTED: 'unsupported',
  FEATURE_NOT_NEGOTIATED: 'feature_not_negotiated',
  DAEMON_GONE: 'daemon_gone',
  PATH_NOT_ALLOWED: 'path_not_allowed',
});

class PluginError extends Error {
  constructor(code, message, clientError = false) {
    super(message);
    this.name = 'PluginError';
    this.code = code;
    this.clientError = clientError;
  }

  toJSON() {
    return { code: this.code, message: this.message, client_error: this.clientError };
  }

  static fromJSON(e) {
    e = e && typeof e === 'object' ? e : {};
    return new PluginError(String(e.code ?? codes.INTERNAL), String(e.message ?? ''), Boolean(e.client_error));
  }
}

const badInput = (message) => new PluginError(codes.BAD_INPUT, message, true);
const internal = (message) => new PluginError(codes.INTERNAL, message);
const cancelled = () => new PluginError(codes.CANCELLED, 'the request was cancelled');

module.exports = { PluginError, codes, badInput, internal, cancelled };

'use strict';
// Structured logs: one JSON line per call on stderr, which the daemon records as the plugin's
// log with the level and the extra fields kept. Never write to stdout: it carries the protocol.

function log(level, message, fields = {}) {
  let line;
  try {
    line = JSON.stringify({ level, message: String(message), ...fields });
  } catch (e) {
    line = JSON.stringify({ level, message: String(message), fields: String(fields) });
  }
  try {
    process.stderr.write(line + '\n');
  } catch (_) {
    // stderr is gone with the daemon; there is nobody left to tell.
  }
}

module.exports = {
  log,
  trace: (m, f) => log('trace', m, f),
  debug: (m, f) => log('debug', m, f),
  info: (m, f) => log('info', m, f),
  warn: (m, f) => log('warn', m, f),
  error: (m, f) => log('error', m, f),
};

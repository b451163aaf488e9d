'use strict';
// A small client for bkgd's REST API with the plugin's service identity (the hello's `api`):
// node's own http/https, so the plugin needs no dependencies; trusts the daemon's self-signed
// certificate when the hello names one.

const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const { PluginError } = require('@bkg/plugin-sdk');

class Api {
  constructor(api) {
    if (!api || !api.url || !api.token) {
      throw new PluginError('no_identity', 'the daemon granted no service identity; the manifest needs [identity]');
    }
    this.base = new URL(api.url);
    this.token = api.token;
    this.ca = api.ca_file ? fs.readFileSync(api.ca_file) : undefined;
  }

  /** Calls the API; resolves with the JSON answer, rejects with the daemon's error. */
  request(method, path, body) {
    const url = new URL(path, this.base);
    const lib = url.protocol === 'https:' ? https : http;
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (data) Object.assign(headers, { 'content-type': 'application/json', 'content-length': data.length });
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, ca: this.ca }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try { json = text ? JSON.parse(text) : null; } catch (_) { /* an error page */ }
          if (res.statusCode >= 200 && res.statusCode < 300) return resolve(json);
          const code = json && json.code ? json.code : `http_${res.statusCode}`;
          const message = json && json.message ? json.message : text.slice(0, 200);
          // The daemon refused what the caller asked for (a 4xx): the caller's error.
          reject(new PluginError(code, `the daemon refused ${method} ${url.pathname}: ${message}`, res.statusCode < 500));
        });
      });
      req.on('error', (e) => reject(new PluginError('daemon_unreachable', `cannot reach the daemon at ${this.base}: ${e.message}`)));
      if (data) req.write(data);
      req.end();
    });
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body ?? {}); }
}

module.exports = { Api };

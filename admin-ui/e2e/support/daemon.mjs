// Starts real processes for the end-to-end tests and the benchmark: bkgd (the binary cargo
// built, on 127.0.0.1 with a port it picks, in a fresh directory) and bkg-testhub (a
// hub-compatible model server). Nothing is mocked.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** Where cargo put the binaries: `BKG_BIN_DIR`, else `$CARGO_TARGET_DIR/debug`, else `target/debug`. */
export function binDir(profile = 'debug') {
  if (process.env.BKG_BIN_DIR) return process.env.BKG_BIN_DIR;
  return join(process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target'), profile);
}

export const ADMIN_PASSWORD = 'e2e-admin-password';
export const TEST_MODELS = process.env.BKG_TEST_MODELS ?? join(process.env.HOME ?? '', '.cache/bkg/test-models');

function need(path) {
  if (!existsSync(path)) throw new Error(`${path} is missing: build the workspace first (cargo build --workspace)`);
  return path;
}

/** Waits for a line on `stream` that `match` accepts; rejects when the process ends first. */
function waitForLine(child, stream, match, what) {
  return new Promise((ok, fail) => {
    const rl = createInterface({ input: stream });
    const onExit = (code) => fail(new Error(`${what} exited (${code}) before it was ready`));
    child.once('exit', onExit);
    rl.on('line', (line) => {
      const got = match(line);
      if (got) {
        child.off('exit', onExit);
        ok(got);
      }
    });
  });
}

/** bkg-testhub serving `repos` ({'org/name': folder}); `hold` holds one file at its midpoint. */
export async function startTesthub(repos, hold = []) {
  const args = Object.entries(repos).flatMap(([repo, dir]) => ['--repo', `${repo}=${dir}`]);
  for (const h of hold) args.push('--hold', h);
  const child = spawn(need(join(binDir(), 'bkg-testhub')), args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const endpoint = await waitForLine(child, child.stdout, (l) => (l.startsWith('http') ? l.trim() : null), 'bkg-testhub');
  return {
    endpoint,
    /** Lets held downloads go on. */
    release: () => child.stdin.write('release\n'),
    stop: () => child.kill('SIGTERM'),
  };
}

/** A test plugin manifest: bkg-testplugin in its well-behaved mode, with a config schema. */
export function testpluginManifest() {
  const exe = need(join(binDir(), 'bkg-testplugin'));
  return `id = "testplugin"
name = "Test plugin"
version = "0.0.1"
description = "bkg-testplugin for the web UI's end-to-end tests"
command = [${JSON.stringify(exe)}, "serve"]

[config]
default = { greeting = "hello", mode = "calm" }
schema = { type = "object", additionalProperties = false, properties = { greeting = { type = "string", description = "Said on start" }, mode = { type = "string", pattern = "^[a-z]+$", description = "lowercase letters only" }, threads = { type = "integer", minimum = 1, maximum = 64 } } }
`;
}

/**
 * A bkgd on a fresh data dir. `start()` again after `kill()` restarts it on the same data and
 * port (as a crashed daemon comes back).
 */
export class Daemon {
  constructor({ hubEndpoint = '', profile = 'debug', extraToml = '' } = {}) {
    this.root = mkdtempSync(join(tmpdir(), 'bkg-e2e-'));
    this.profile = profile;
    const plugins = join(this.root, 'plugins');
    mkdirSync(plugins, { recursive: true });
    writeFileSync(join(plugins, 'testplugin.toml'), testpluginManifest());
    this.config = join(this.root, 'bkgd.toml');
    writeFileSync(
      this.config,
      `data_dir = ${JSON.stringify(join(this.root, 'data'))}
cache_dir = ${JSON.stringify(join(this.root, 'cache'))}
plugins_dir = ${JSON.stringify(plugins)}
log_format = "json"
[telemetry]
interval_ms = 250
[auth]
bootstrap_admin_password = ${JSON.stringify(ADMIN_PASSWORD)}
requests_per_minute = 100000
[models]
hub_endpoint = ${JSON.stringify(hubEndpoint)}
# Imports read the fetched test models only, as an admin would allow them.
import_roots = [${JSON.stringify(TEST_MODELS)}]
[analytics]
flush_interval_ms = 1000
${extraToml}`,
    );
    this.listen = '127.0.0.1:0';
    this.child = null;
    this.output = [];
  }

  get url() {
    return `http://${this.listen}`;
  }

  async start() {
    const exe = need(join(binDir(this.profile), 'bkgd'));
    const child = spawn(exe, ['--config', this.config, '--listen', this.listen], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, RAYON_NUM_THREADS: '1' },
    });
    this.child = child;
    const url = await waitForLine(child, child.stderr, (line) => {
      this.output.push(line);
      if (this.output.length > 2000) this.output.shift();
      try {
        const ev = JSON.parse(line);
        return ev.fields?.message === 'bkgd is listening' ? ev.fields.url : null;
      } catch {
        return null;
      }
    }, 'bkgd');
    this.listen = new URL(url).host;
    return this;
  }

  /** SIGKILL, as a crash; resolves once the process is gone. */
  async kill() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGKILL');
    await gone;
  }

  /** SIGTERM and wait: a clean shutdown. */
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await gone;
  }

  /** A logged-in API client (fetch) for preparing and checking state. */
  async api(username = 'admin', password = ADMIN_PASSWORD) {
    const base = this.url;
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!login.ok) throw new Error(`login as ${username}: ${login.status} ${await login.text()}`);
    const { accessToken } = await login.json();
    const call = async (method, path, body) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    return {
      get: (p) => call('GET', p),
      post: (p, b = {}) => call('POST', p, b),
      delete: (p) => call('DELETE', p),
      token: accessToken,
    };
  }
}

/** Polls `f` until it returns a truthy value; fails after `ms` with `what`. */
export async function eventually(what, f, ms = 60_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

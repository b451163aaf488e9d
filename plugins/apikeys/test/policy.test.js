'use strict';
// The key policy on its own: issuing within the allowed roles and lifetime, picking exactly
// the keys due for rotation, and finding unused and expiring keys.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');

// The daemon provides the SDK on NODE_PATH; here it is the repository's.
const modules = fs.mkdtempSync(path.join(os.tmpdir(), 'bkg-apikeys-'));
fs.mkdirSync(path.join(modules, '@bkg'));
fs.symlinkSync(path.join(__dirname, '..', '..', 'sdk-node'), path.join(modules, '@bkg', 'plugin-sdk'));
process.env.NODE_PATH = modules;
Module._initPaths();
const policy = require('../lib/policy');

const now = Date.parse('2026-12-01T00:00:00Z');
const config = { allowedRoles: ['readonly', 'developer'], maxLifetimeDays: 90 };
const key = (name, created, extra = {}) => ({ id: name, name, prefix: `bkg_${name}`, username: 'u', role: 'readonly',
  enabled: true, createdAt: created, ...extra });

test('issue stays within the allowed roles and the longest lifetime', () => {
  assert.equal(policy.checkIssue(config, {}, now).role, 'readonly', 'the first allowed role by default');
  const dev = policy.checkIssue(config, { role: 'developer', lifetimeDays: 30 }, now);
  assert.equal(dev.expiresAt, '2026-12-31T00:00:00.000Z');
  assert.throws(() => policy.checkIssue(config, { role: 'admin' }, now), (e) => e.code === 'policy_violation' && e.clientError);
  assert.throws(() => policy.checkIssue(config, { lifetimeDays: 91 }, now), /at most 90 days/);
});

test('rotation picks exactly the keys whose secret is older, never service keys', () => {
  const keys = [
    key('old', '2026-01-01T00:00:00Z'),
    key('rotated-lately', '2026-01-01T00:00:00Z', { rotatedAt: '2026-11-30T00:00:00Z' }),
    key('new', '2026-11-30T00:00:00Z'),
    key('disabled', '2026-01-01T00:00:00Z', { enabled: false }),
    key('service:apikeys', '2026-01-01T00:00:00Z'),
  ];
  const due = policy.dueForRotation(keys, now - 30 * policy.DAY).map((k) => k.name);
  assert.deepEqual(due, ['old']);
});

test('review finds unused and expiring keys', () => {
  const keys = [
    key('never-used', '2026-01-01T00:00:00Z'),
    key('used', '2026-01-01T00:00:00Z', { lastUsedAt: '2026-11-30T00:00:00Z' }),
    key('expiring', '2026-01-01T00:00:00Z', { lastUsedAt: '2026-11-30T00:00:00Z', expiresAt: '2026-12-03T00:00:00Z' }),
  ];
  const { unused, expiring } = policy.review(keys, now, 30, 7);
  assert.deepEqual(unused.map((k) => k.name), ['never-used']);
  assert.deepEqual(expiring.map((k) => k.name), ['expiring']);
});

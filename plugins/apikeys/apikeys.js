#!/usr/bin/env node
'use strict';
// The apikeys plugin: API key automation through the daemon's REST API, with the service
// identity the daemon grants it ([identity] in plugin.toml), never a user's token.
//
//   keys.issue   a key for a user, within the policy (allowed roles, longest lifetime)
//   keys.rotate  one key, or every key whose secret is older than N days, with a grace period
//   keys.audit   unused keys, keys near expiry, and who created or rotated what
//   policy.run   the scheduled policy run (every `policyEveryHours`), on demand
//   stats        counters and the last policy run, for the dashboards

const { Plugin, PluginError, badInput, log } = require('@bkg/plugin-sdk');
const { Api } = require('./lib/api');
const policy = require('./lib/policy');

const stats = { issued: 0, rotated: 0, policyRuns: 0, lastPolicyRun: null, identity: null };
let api = null;
let timer = null;

const keyRef = (keys, ref) => keys.find((k) => k.id === ref || k.prefix === ref || k.name === ref);

async function resolveUser(ref) {
  const { users } = await api.get('/admin/users');
  const user = users.find((u) => u.id === ref || u.username === ref);
  if (!user) throw new PluginError('user_not_found', `no user ${JSON.stringify(ref)}`, true);
  return user;
}

async function issue(ctx, input) {
  const user = await resolveUser(input.user);
  const { role, expiresAt } = policy.checkIssue(ctx.config, input, Date.now());
  const body = { name: input.name, role, expiresAt, userId: user.id };
  if (input.scopes) body.scopes = input.scopes;
  const created = await api.post('/admin/api-keys', body);
  stats.issued += 1;
  log.info('issued a key', { key: created.key.prefix, user: user.username, role, for: ctx.caller.user });
  return created;
}

async function rotateKeys(config, input) {
  const { keys } = await api.get('/admin/api-keys');
  const graceHours = input.graceHours ?? config.graceHours;
  let targets;
  if (input.key !== undefined) {
    const key = keyRef(keys, input.key);
    if (!key) throw new PluginError('key_not_found', `no key ${JSON.stringify(input.key)}`, true);
    if (key.name.startsWith('service:')) throw badInput('service keys are rotated by the daemon itself');
    targets = [key];
  } else {
    const before = input.createdBefore !== undefined
      ? Date.parse(input.createdBefore)
      : Date.now() - (input.olderThanDays ?? config.rotateAfterDays) * policy.DAY;
    if (Number.isNaN(before)) throw badInput(`createdBefore ${JSON.stringify(input.createdBefore)} is not a date`);
    targets = policy.dueForRotation(keys, before);
  }
  const rotated = [];
  for (const key of targets) {
    const out = await api.post(`/admin/api-keys/${key.id}/rotate`, { gracePeriodSeconds: Math.round(graceHours * 3600) });
    rotated.push({ ...policy.summary(out.key), secret: out.secret, previousValidUntil: out.key.previousValidUntil ?? null });
  }
  stats.rotated += rotated.length;
  return { rotated };
}

async function audit(config, input) {
  const [{ keys }, { events }] = await Promise.all([
    api.get('/admin/api-keys'),
    api.get(`/admin/audit?action=key.&limit=${Math.min(input.limit ?? 100, 1000)}`),
  ]);
  const { unused, expiring } = policy.review(keys, Date.now(), input.unusedDays ?? config.unusedDays,
    input.expiringDays ?? config.expiringDays);
  return {
    unused: unused.map(policy.summary),
    expiring: expiring.map(policy.summary),
    events: events.map((e) => ({ at: e.ts, action: e.action, actor: e.actor, key: e.target, outcome: e.outcome, details: e.details })),
  };
}

async function policyRun(config) {
  const started = new Date().toISOString();
  const { rotated } = await rotateKeys(config, {});
  const { unused, expiring } = await audit(config, { limit: 1 });
  stats.policyRuns += 1;
  stats.lastPolicyRun = { at: started, rotated: rotated.map((r) => r.prefix), unused: unused.length, expiring: expiring.length };
  log.info('policy run', stats.lastPolicyRun);
  return { ...stats.lastPolicyRun, rotated };
}

function schedule(session) {
  if (timer) clearInterval(timer);
  const hours = session.config.policyEveryHours;
  if (!(hours > 0)) return;
  timer = setInterval(() => {
    policyRun(session.config).catch((e) => log.error(`the scheduled policy run failed: ${e.message}`));
  }, hours * 3600 * 1000);
  timer.unref();
}

const days = { type: 'number', exclusiveMinimum: 0 };
const roles = { enum: ['readonly', 'developer', 'admin'] };

let session = null;
new Plugin('apikeys', '0.2.0')
  .feature('metrics')
  .capability('keys.issue', {
    description: 'Issues an API key for a user within the policy (allowed roles, longest lifetime); the secret is shown once',
    inputSchema: { type: 'object', additionalProperties: false, required: ['user', 'name'],
      properties: { user: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1, maxLength: 100 },
        role: roles, lifetimeDays: days, scopes: { type: 'array', items: { type: 'string' } } } },
  }, issue)
  .capability('keys.rotate', {
    description: 'Rotates one key, or every key whose secret is older than olderThanDays (or made before createdBefore), with a grace period',
    inputSchema: { type: 'object', additionalProperties: false,
      properties: { key: { type: 'string', minLength: 1 }, olderThanDays: { type: 'number', minimum: 0 },
        createdBefore: { type: 'string', minLength: 1 }, graceHours: { type: 'number', minimum: 0, maximum: 168 } } },
  }, (ctx, input) => rotateKeys(ctx.config, input))
  .capability('keys.audit', {
    description: 'Unused keys, keys near expiry, and who created or rotated what (from the audit log)',
    inputSchema: { type: 'object', additionalProperties: false,
      properties: { unusedDays: { type: 'number', minimum: 0 }, expiringDays: { type: 'number', minimum: 0 },
        limit: { type: 'integer', minimum: 1, maximum: 1000 } } },
  }, (ctx, input) => audit(ctx.config, input))
  .capability('policy.run', {
    description: 'Runs the key policy now: rotates keys older than rotateAfterDays and reviews unused and expiring ones',
    inputSchema: { type: 'object', additionalProperties: false },
  }, (ctx) => policyRun(ctx.config))
  .capability('stats', { description: 'Keys issued and rotated, policy runs', inputSchema: { type: 'object', additionalProperties: false } },
    () => stats)
  .onReady((s) => {
    session = s;
    api = new Api(s.daemon.api);
    stats.identity = s.daemon.api ? 'granted' : null;
    schedule(s);
  })
  .onConfigure((config) => {
    if (!Array.isArray(config.allowedRoles)) throw badInput('allowedRoles must be a list of roles');
    // Applied after this returns; reschedule with the new period then.
    setImmediate(() => schedule(session));
  })
  .main();

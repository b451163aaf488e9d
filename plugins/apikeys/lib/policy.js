'use strict';
// The key policy: what may be issued, which keys are due for rotation, which are unused or
// about to expire. Pure functions of the config and the daemon's key list, so they are tested
// on their own (test/policy.test.js).

const { PluginError } = require('@bkg/plugin-sdk');

const DAY = 24 * 3600 * 1000;

const violation = (message) => new PluginError('policy_violation', message, true);

/** Checks an issue request against the policy; returns the role and expiry to ask for. */
function checkIssue(config, req, now) {
  const allowed = config.allowedRoles ?? [];
  const role = req.role ?? allowed[0];
  if (!allowed.includes(role)) {
    throw violation(`role ${JSON.stringify(role)} is not allowed by the policy (allowed: ${allowed.join(', ') || 'none'})`);
  }
  const max = config.maxLifetimeDays;
  const days = req.lifetimeDays ?? max;
  if (!(days > 0) || (max > 0 && days > max)) {
    throw violation(`a key may live at most ${max} days (maxLifetimeDays); asked ${days}`);
  }
  return { role, expiresAt: new Date(now + days * DAY).toISOString() };
}

/** When a key's secret was made: its last rotation, else its creation. */
const secretTime = (key) => Date.parse(key.rotatedAt ?? key.createdAt);

/** Whether a key is the plugin's own service key (never touched by the policy). */
const isService = (key) => key.name.startsWith('service:');

/** Keys whose secret was made before `before` (ms), enabled, not service keys. */
function dueForRotation(keys, before) {
  return keys.filter((k) => k.enabled && !isService(k) && secretTime(k) < before);
}

/** Keys never used, or not for `days`; and keys expiring within `days2`. */
function review(keys, now, unusedDays, expiringDays) {
  const user = keys.filter((k) => !isService(k));
  const unused = user.filter((k) => !k.lastUsedAt || Date.parse(k.lastUsedAt) < now - unusedDays * DAY);
  const expiring = user.filter((k) => k.expiresAt && Date.parse(k.expiresAt) < now + expiringDays * DAY && Date.parse(k.expiresAt) > now);
  return { unused, expiring };
}

const summary = (k) => ({ id: k.id, name: k.name, prefix: k.prefix, user: k.username, role: k.role,
  createdAt: k.createdAt, rotatedAt: k.rotatedAt ?? null, lastUsedAt: k.lastUsedAt ?? null, expiresAt: k.expiresAt ?? null });

module.exports = { checkIssue, dueForRotation, review, summary, secretTime, DAY };

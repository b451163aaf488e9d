'use strict';
// Confining the paths callers pass to a capability: the rule of docs/PROTOCOL.md ("Paths"),
// as the Rust SDK's `Session::resolve_path` implements it. A relative path is taken relative to
// the plugin's data folder; an absolute one must lie inside it or an allowed folder; `..` is
// refused; symlinks are resolved and must stay inside.

const fs = require('node:fs');
const path = require('node:path');
const { PluginError, codes, badInput } = require('./errors');

function refused(requested, why) {
  return new PluginError(
    codes.PATH_NOT_ALLOWED,
    `path ${JSON.stringify(requested)} ${why}; give a path relative to the plugin's data folder, ` +
      'or one inside a folder an admin allowed it (supervisor.allowed_paths)',
    true,
  );
}

const inside = (p, root) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
const exists = (p) => { try { fs.lstatSync(p); return true; } catch (_) { return false; } };

/**
 * Resolves `requested` within `dataDir` and `allowed`; `write` allows a path that does not
 * exist yet. Throws a PluginError `path_not_allowed` (or `bad_input` for a missing file to read).
 */
function confine(requested, dataDir, allowed = [], write = false) {
  if (typeof requested !== 'string' || requested === '' || requested.includes('\0')) {
    throw refused(requested, 'is empty or holds a NUL byte');
  }
  if (requested.split('/').includes('..')) throw refused(requested, 'contains `..`');
  const roots = [dataDir, ...allowed].filter(Boolean);
  let candidate;
  if (path.isAbsolute(requested)) {
    // Decide on the words first, so a refusal says nothing about what exists outside.
    const normal = path.normalize(requested);
    if (!roots.some((r) => inside(normal, path.normalize(r)))) throw refused(requested, "is outside the plugin's folders");
    candidate = normal;
  } else if (dataDir) {
    candidate = path.join(dataDir, requested);
  } else {
    throw refused(requested, 'is relative, but the daemon gave this plugin no data folder');
  }
  const realRoots = roots.filter(fs.existsSync).map((r) => fs.realpathSync(r));
  let existing = candidate;
  const rest = [];
  while (!exists(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) throw refused(requested, "is outside the plugin's folders");
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  let real;
  try {
    real = fs.realpathSync(existing);
  } catch (_) {
    throw refused(requested, 'leads through a symlink that points nowhere');
  }
  if (!realRoots.some((r) => inside(real, r))) throw refused(requested, "leads outside the plugin's folders (through a symlink)");
  if (rest.length && !write) throw badInput(`path ${JSON.stringify(requested)} does not exist`);
  return path.join(real, ...rest);
}

module.exports = { confine };

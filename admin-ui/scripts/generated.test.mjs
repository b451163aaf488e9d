// The committed API types must be what docs/openapi.json generates (`npm run generate:api`).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { render, typesPath } from './api-types.mjs';

test('src/app/core/api/schema.ts is fresh', async () => {
  const committed = await readFile(typesPath, 'utf8').catch(() => '');
  assert.ok(
    committed === (await render()),
    'src/app/core/api/schema.ts is stale: run `npm --prefix admin-ui run generate:api` (after `make generate`)',
  );
});

// Renders the web UI's API types from the daemon's OpenAPI document (docs/openapi.json), the
// one source of truth for DTOs. Used by `npm run generate:api` (writes) and by the stale
// check in scripts/generated.test.mjs (compares).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

export const documentPath = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
export const typesPath = fileURLToPath(new URL('../src/app/core/api/schema.ts', import.meta.url));

const HEADER = `/* eslint-disable */
// Generated from docs/openapi.json by \`npm run generate:api\` (admin-ui). Do not edit:
// change the daemon's DTOs in core/, run \`make generate\`, then regenerate this file.
`;

export async function render() {
  const doc = JSON.parse(await readFile(documentPath, 'utf8'));
  const ast = await openapiTS(doc, { alphabetize: true, exportType: true });
  return HEADER + astToString(ast);
}

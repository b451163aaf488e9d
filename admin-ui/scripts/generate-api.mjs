// `npm run generate:api`: rewrites src/app/core/api/schema.ts from docs/openapi.json.
import { writeFile } from 'node:fs/promises';
import { render, typesPath } from './api-types.mjs';

await writeFile(typesPath, await render());
console.log(`wrote ${typesPath}`);

// After `ng build`: writes a brotli (`.br`) and a gzip (`.gz`) copy next to every compressible
// file of the build, at the highest levels, so bkgd serves them as they are and never
// compresses per request. A copy is kept only when it is smaller than the file.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = new URL('../dist/admin-ui/browser/', import.meta.url).pathname;
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|webmanifest|ico)$/;
const MIN_BYTES = 1024;

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

let raw = 0;
let br = 0;
for await (const path of files(root)) {
  if (!COMPRESSIBLE.test(path)) continue;
  const data = await readFile(path);
  if (data.length < MIN_BYTES) continue;
  const brotli = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  const gzip = gzipSync(data, { level: 9 });
  if (brotli.length < data.length) await writeFile(`${path}.br`, brotli);
  if (gzip.length < data.length) await writeFile(`${path}.gz`, gzip);
  raw += data.length;
  br += Math.min(brotli.length, data.length);
}
console.log(`precompressed ${(raw / 1024).toFixed(1)} kB to ${(br / 1024).toFixed(1)} kB (brotli)`);

// `npm run api-client`: builds the gateway, takes its OpenAPI document (no fleet, no database) and
// writes docs/api/openapi.json and the client's types libs/api-client/src/schema.ts from it.
// `--check` writes nothing and exits 1 when either file is not what it would write.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderArtifacts, staleArtifacts } from './artifacts.mjs';
import { buildDist, loadOpenApiDocument } from './openapi-document.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const check = process.argv.includes('--check');

buildDist(root);
const document = await loadOpenApiDocument(root);
const artifacts = await renderArtifacts(root, document);

if (check) {
  const stale = await staleArtifacts(root, artifacts);
  if (stale.length > 0) {
    console.error(`${stale.join(' and ')} out of date: run npm run api-client`);
    process.exit(1);
  }
  console.log('the API client is current');
} else {
  for (const [file, content] of Object.entries(artifacts)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), content);
  }
  const operations = Object.values(document.paths).flatMap((item) => Object.keys(item)).length;
  console.log(`wrote ${Object.keys(artifacts).join(' and ')} (${operations} operations)`);
}

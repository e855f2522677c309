// `npm run schemas`: writes docs/events/<type>.schema.json and docs/events/asyncapi.json.
import 'reflect-metadata';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildAsyncApiDocument, buildEventSchemas } from './build-event-schemas';

function repoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No nx.json above ${from}`);
  }
}

const outDir = join(repoRoot(__dirname), 'docs', 'events');
mkdirSync(outDir, { recursive: true });

const files: Record<string, unknown> = { 'asyncapi.json': buildAsyncApiDocument() };
for (const [type, schema] of Object.entries(buildEventSchemas()))
  files[`${type}.schema.json`] = schema;

// A removed or renamed event must not leave its old schema behind.
for (const name of readdirSync(outDir)) {
  if (name.endsWith('.schema.json') && !(name in files)) rmSync(join(outDir, name));
}
for (const [name, content] of Object.entries(files)) {
  writeFileSync(join(outDir, name), `${JSON.stringify(content, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(files).length} files to ${outDir}`);

// The contract and the design live in the repository (docs/api/contract.md, docs/architecture.md):
// every document a comment or doc names by path must be there for a newcomer to open, and no
// comment may cite a document by a bare name that only exists outside the repository.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCANNED = ['apps', 'libs', 'tools', 'docs', 'helm', 'k8s', 'docker', 'README.md'];
const SKIPPED = new Set(['node_modules', 'dist', '.nx', 'design']);
const TEXT = /\.(ts|mjs|js|md|json|yaml|yml|tpl)$/;

function* textFiles(path) {
  if (!statSync(join(root, path)).isDirectory()) {
    if (TEXT.test(path)) yield path;
    return;
  }
  for (const entry of readdirSync(join(root, path), { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* textFiles(child);
    else if (TEXT.test(entry.name)) yield child;
  }
}

const files = SCANNED.flatMap((path) => [...textFiles(path)]);

describe('document references', () => {
  it('cites no document that lives outside the repository', () => {
    const bare = /(?<![\w/.-])(API|ARCHITECTURE)\.md\b/;
    const offenders = files.filter((file) => bare.test(readFileSync(join(root, file), 'utf8')));
    assert.deepEqual(offenders, [], 'cite docs/api/contract.md or docs/architecture.md instead');
  });

  it('names only documents that exist', () => {
    const missing = [];
    for (const file of files) {
      for (const [path] of readFileSync(join(root, file), 'utf8').matchAll(
        /\bdocs\/[\w./-]+\.md\b/g,
      )) {
        if (!existsSync(join(root, path))) missing.push(`${file}: ${path}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('scans the code and the docs', () => {
    assert.ok(files.includes('apps/gateway/src/main.ts'));
    assert.ok(files.includes('docs/api/contract.md'));
  });
});

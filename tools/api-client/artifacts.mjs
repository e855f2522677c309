// The files `npm run api-client` writes, rendered in memory and formatted with the repo's prettier.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { renderClient } from './render-client.mjs';

export const DOCUMENT_FILE = 'docs/api/openapi.json';
export const CLIENT_FILE = 'libs/api-client/src/generated.ts';

async function formatted(root, file, source) {
  const options = await prettier.resolveConfig(join(root, file));
  return prettier.format(source, { ...options, filepath: join(root, file) });
}

/** Path (relative to the root) → content, for the document and the client generated from it. */
export async function renderArtifacts(root, document) {
  return {
    [DOCUMENT_FILE]: await formatted(root, DOCUMENT_FILE, JSON.stringify(document, null, 2)),
    [CLIENT_FILE]: await formatted(
      root,
      CLIENT_FILE,
      renderClient(document, { source: DOCUMENT_FILE }),
    ),
  };
}

/** The artifacts whose file is missing or differs from what was rendered. */
export async function staleArtifacts(root, artifacts) {
  const stale = [];
  for (const [file, content] of Object.entries(artifacts)) {
    const onDisk = await readFile(join(root, file), 'utf8').catch(() => undefined);
    if (onDisk !== content) stale.push(file);
  }
  return stale;
}

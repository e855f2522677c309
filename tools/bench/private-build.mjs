// Compiles apps/ and libs/ into a directory of the bench's own, with the swc options of tools/build.mjs.
// tools/build.mjs empties dist/ first; a fleet or test run of someone else's that is starting from
// dist/ at that moment would fail, so a bench never rebuilds the shared dist/.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { transformFile } from '@swc/core';

/**
 * Where a run's build goes: under node_modules/.cache, so the compiled files still resolve the
 * repo's node_modules by walking up, and git and the linters ignore them.
 */
export const privateDistOf = (root, runId) =>
  join(root, 'node_modules/.cache/member-system-bench', runId);

const isSource = (name) =>
  name.endsWith('.ts') &&
  !name.endsWith('.d.ts') &&
  !/\.(spec|integration-spec|e2e-spec)\.ts$/.test(name);

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'test') yield* walk(path);
    } else if (isSource(entry.name)) yield path;
  }
}

/** Builds `apps/` and `libs/` of `root` into `outDir` (emptied first). Resolves with the file count. */
export async function buildTo(root, outDir) {
  const tsconfig = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));
  const options = {
    sourceMaps: false,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      baseUrl: root,
      paths: tsconfig.compilerOptions.paths,
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
  };
  await rm(outDir, { recursive: true, force: true });
  let count = 0;
  for (const top of ['apps', 'libs']) {
    const jobs = [];
    for await (const file of walk(join(root, top))) {
      jobs.push(
        (async () => {
          const out = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
          const { code } = await transformFile(file, { ...options, filename: file });
          await mkdir(dirname(out), { recursive: true });
          await writeFile(out, code);
          count += 1;
        })(),
      );
    }
    await Promise.all(jobs);
  }
  return count;
}

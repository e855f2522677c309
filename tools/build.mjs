// Compiles every app and lib to dist/ with swc in one pass (about a second for the whole repo), or
// only the projects named (`node tools/build.mjs libs/contracts apps/gateway`, what each project's
// Nx build target runs: it replaces just their dist/<root>). Path aliases from tsconfig.base.json are rewritten to relative requires, so `node dist/apps/<app>/src/main.js`
// runs without a resolver hook. Type checking is `npm run typecheck`; swc only strips types.
import { transformFile } from '@swc/core';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');
const tsconfig = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));

export function swcOptions() {
  return {
    sourceMaps: true,
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
}

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

const started = Date.now();
const projectRoots = process.argv.slice(2);
const roots = projectRoots.length > 0 ? projectRoots : ['apps', 'libs'];
if (projectRoots.length > 0) {
  for (const projectRoot of projectRoots) {
    await rm(join(outDir, projectRoot), { recursive: true, force: true });
  }
} else {
  await rm(outDir, { recursive: true, force: true });
}
const options = swcOptions();
let count = 0;
for (const top of roots) {
  const jobs = [];
  for await (const file of walk(join(root, top))) {
    jobs.push(
      (async () => {
        const out = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
        const { code, map } = await transformFile(file, {
          ...options,
          filename: file,
          sourceFileName: relative(dirname(out), file),
        });
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
        if (map) await writeFile(`${out}.map`, map);
        count += 1;
      })(),
    );
  }
  await Promise.all(jobs);
}
console.log(`built ${count} files of ${roots.join(', ')} to dist/ in ${Date.now() - started} ms`);

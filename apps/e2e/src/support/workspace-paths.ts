// Jest applies moduleNameMapper to test files only, not to globalSetup/globalTeardown: this maps
// the workspace's `@member-system/*` aliases (tsconfig.base.json) for those two.
import Module from 'node:module';
import { join } from 'node:path';

interface ResolvableModule {
  _resolveFilename(request: string, ...rest: unknown[]): string;
}

const root = join(__dirname, '../../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compilerOptions } = require(join(root, 'tsconfig.base.json')) as {
  compilerOptions: { paths: Record<string, [string]> };
};
const resolvable = Module as unknown as ResolvableModule;
const resolve = resolvable._resolveFilename.bind(resolvable);
resolvable._resolveFilename = (request: string, ...rest: unknown[]): string => {
  const target = compilerOptions.paths[request]?.[0];
  return resolve(target ? join(root, target) : request, ...rest);
};

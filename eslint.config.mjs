// @ts-check
// Root ESLint flat config: type-checked TypeScript rules, Nx module boundaries by tag, and the
// repo's own bans (infrastructure packages in contracts, process.env outside config folders).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createProjectGraphAsync } from 'nx/src/devkit-exports.js';
import tseslint from 'typescript-eslint';

// @nx/enforce-module-boundaries only reads a cached project graph and silently skips itself
// when there is none (a fresh clone, `npm run lint` without a prior `nx` command), so build or
// refresh the cache here. It is incremental and runs in-process (nx.json: useDaemonProcess false).
try {
  await createProjectGraphAsync({ exitOnError: false });
} catch (error) {
  console.warn(
    `eslint.config.mjs: could not compute the Nx project graph; module boundaries go unchecked: ${String(error)}`,
  );
}

const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs'];
const SOURCE_FILES = [...TS_FILES, ...JS_FILES];

const TEST_FILES = [
  '**/*.spec.ts',
  '**/*.integration-spec.ts',
  '**/*.e2e-spec.ts',
  '**/test/**/*.ts',
  'apps/e2e/**/*.ts',
];

// Written out by hand rather than pulled from the `globals` package, which is not a direct dependency.
const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'fetch',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'performance',
    'Buffer',
    '__dirname',
    '__filename',
    'require',
    'module',
    'exports',
  ].map((name) => [name, 'readonly']),
);

const UNUSED_VARS_OPTIONS = {
  args: 'after-used',
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  ignoreRestSiblings: true,
};

/** Each `scope:<name>` project may use its own scope and the shared one, nothing else. */
const scopeConstraints = ['gateway', 'member', 'point', 'benefit', 'event', 'e2e'].map((scope) => ({
  sourceTag: `scope:${scope}`,
  onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
}));

const READ_CONFIG = "read settings through the app's validated config";

/** `@nx/enforce-module-boundaries` for some files; tests of shared libs may also use type:testing. */
function boundaries(files, testsToo) {
  const sharedMayUse = testsToo
    ? ['type:shared', 'type:contracts', 'type:testing']
    : ['type:shared', 'type:contracts'];
  return {
    files,
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          // A shared lib's tests use the testing lib, which builds on shared libs: in the project
          // graph (all imports, tests included) that closes cycles which production code does
          // not have. Production code may not import the testing lib (the constraints below),
          // so a cycle through it is always a test's; every other cycle is still an error.
          ignoredCircularDependencies: [['tag:type:shared', 'tag:type:testing']],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:shared', 'type:testing'],
            },
            { sourceTag: 'type:shared', onlyDependOnLibsWithTags: sharedMayUse },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            // The client for client apps (libs/api-client) stands alone: it depends on no project.
            { sourceTag: 'type:client', onlyDependOnLibsWithTags: [] },
            // tools/ (build, dev fleet, bench, chaos, k8s checks) may use any lib; no project
            // lists type:tool, so nothing may import tools.
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: [
                'type:contracts',
                'type:shared',
                'type:testing',
                'type:client',
                'type:tool',
              ],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:shared', 'type:contracts', 'type:testing'],
            },
            ...scopeConstraints,
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  };
}

export default defineConfig(
  globalIgnores(['**/dist/', '**/node_modules/', '**/coverage/', '.nx/', 'docs/', 'tmp/']),

  {
    files: SOURCE_FILES,
    extends: [js.configs.recommended],
    rules: {
      'no-unused-vars': ['error', UNUSED_VARS_OPTIONS],
    },
  },

  // Plain JavaScript (tools/, jest.config.js, this file): no type information.
  {
    files: JS_FILES,
    languageOptions: { ecmaVersion: 'latest', globals: NODE_GLOBALS },
  },
  // package.json has no "type", so .js is CommonJS like .cjs.
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },

  // TypeScript: type-checked against the root tsconfig.json (apps/**/*.ts and libs/**/*.ts).
  {
    files: TS_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        // With decorator metadata on, consistent-type-imports leaves value imports alone in
        // decorated files: Nest reads constructor parameter types at runtime for DI, so an
        // injected class must stay a value import even if it only appears in a type position.
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        {
          prefer: 'type-imports',
          fixStyle: 'separate-type-imports',
          disallowTypeAnnotations: false,
        },
      ],
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', UNUSED_VARS_OPTIONS],
    },
  },

  // Module boundaries by Nx tags (each project's project.json), in TypeScript and in the
  // JavaScript of tools/ alike. Tests of a shared lib may also use the testing lib, which its
  // production code may not.
  boundaries(SOURCE_FILES, false),
  boundaries(TEST_FILES, true),

  // Contracts are plain classes and constants that any app can load: no infrastructure clients.
  {
    files: ['libs/contracts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(typeorm|ioredis|amqplib|amqp-connection-manager|@nestjs/typeorm|mysql2)(/.*)?$',
              message:
                'libs/contracts holds only DTOs, events and codes; infrastructure belongs in apps or libs/shared.',
            },
          ],
        },
      ],
    },
  },

  // Settings come from each app's validated config, never from the environment directly.
  {
    files: ['apps/**', 'libs/**'],
    ignores: ['**/config/**', 'libs/shared/testing/**', ...TEST_FILES],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: READ_CONFIG,
        },
        {
          selector:
            "VariableDeclarator[init.name='process'] > ObjectPattern > Property[key.name='env']",
          message: READ_CONFIG,
        },
        {
          selector:
            "ImportDeclaration[source.value=/^(node:)?process$/] ImportSpecifier[imported.name='env']",
          message: READ_CONFIG,
        },
      ],
    },
  },

  // Tests lean on jest mocks (`any` flows, `expect(mock.method)`).
  {
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  prettier,
);

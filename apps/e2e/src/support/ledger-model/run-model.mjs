// `npm run test:model -- [options] [jest options]`: the ledger model spec alone, with more runs,
// shrinking a failure to a shorter sequence. Its options become the MODEL_* variables the spec
// reads (support/ledger-model/settings.ts); anything else goes to jest as it is.
//
//   --runs N             runs (default 30; `npm test` runs 3)
//   --seed S --path P    replay the run fast-check printed for a failure
//   --checks a,b         fail only on these checks (responses, effects, events, balance,
//                        conservation, lots, history-shape, history-chain, history-model,
//                        history-immutable, isolation), to shrink towards one property
//   --shrink-seconds S   time spent shrinking a failure (default 600; 0 = report it as found)
//   --max-commands N     most commands per member and round (default 8)
//   --verbose            print every run's commands and outcome
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const spec = relative(root, join(root, 'apps/e2e/src/specs/ledger-model.e2e-spec.ts'));
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');

const settings = { MODEL_RUNS: '30', MODEL_SHRINK_SECONDS: '600' };
const valued = {
  '--runs': 'MODEL_RUNS',
  '--seed': 'MODEL_SEED',
  '--path': 'MODEL_PATH',
  '--checks': 'MODEL_CHECKS',
  '--shrink-seconds': 'MODEL_SHRINK_SECONDS',
  '--max-commands': 'MODEL_MAX_COMMANDS',
};
const passOn = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  const [flag, inline] = args[i].split(/=(.*)/s, 2);
  if (flag in valued) {
    const value = inline ?? args[(i += 1)];
    if (value === undefined) {
      console.error(`${flag} needs a value`);
      process.exit(2);
    }
    settings[valued[flag]] = value;
  } else if (args[i] === '--verbose') {
    settings.MODEL_VERBOSE = '1';
  } else {
    passOn.push(args[i]);
  }
}

const result = spawnSync(
  process.execPath,
  [jest, '--selectProjects', 'e2e', '--runInBand', spec, ...passOn],
  // eslint-disable-next-line no-restricted-syntax -- a test runner hands its options to jest through the environment
  { cwd: root, stdio: 'inherit', env: { ...process.env, ...settings } },
);
process.exit(result.status ?? 1);

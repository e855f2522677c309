// How many runs, which seed and path, which checks: read from the environment (the `test:model`
// script turns its command-line options into these variables for jest).
import { CHECK_NAMES } from './checks';
import type { CheckName } from './checks';

export interface ModelSettings {
  runs: number;
  seed: number | undefined;
  path: string | undefined;
  /** The checks whose differences fail the property (all by default). */
  checks: ReadonlySet<CheckName>;
  /** Seconds spent shrinking a failure to a shorter sequence; 0 reports the first failure as it is. */
  shrinkSeconds: number;
  /** Most commands per member and round. */
  maxCommands: number;
  /** Prints every run's commands and outcome (MODEL_VERBOSE=1). */
  verbose: boolean;
  /** Jest's timeout for the whole property. */
  timeoutMs: number;
}

/** Rough upper bound of one run on a 2-core machine, for the jest timeout (not asserted). */
const RUN_BUDGET_MS = 45_000;

export function modelSettings(env: NodeJS.ProcessEnv = process.env): ModelSettings {
  const integer = (name: string, fallback: number, min = 0): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`${name} must be an integer of at least ${min}, got "${raw}"`);
    }
    return value;
  };
  const raw = env['MODEL_CHECKS'];
  const requested = raw
    ? raw
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : [];
  const unknown = requested.filter((name) => !(CHECK_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `MODEL_CHECKS: unknown ${unknown.join(', ')}; known: ${CHECK_NAMES.join(', ')}`,
    );
  }
  const seedText = env['MODEL_SEED'];
  const runs = integer('MODEL_RUNS', 3, 1);
  const shrinkSeconds = integer('MODEL_SHRINK_SECONDS', 0);
  return {
    runs,
    seed:
      seedText === undefined || seedText === '' ? undefined : integer('MODEL_SEED', 0, -(2 ** 31)),
    path: env['MODEL_PATH'] || undefined,
    checks: new Set(requested.length > 0 ? (requested as CheckName[]) : CHECK_NAMES),
    shrinkSeconds,
    maxCommands: integer('MODEL_MAX_COMMANDS', 8),
    verbose: env['MODEL_VERBOSE'] === '1',
    timeoutMs: runs * RUN_BUDGET_MS + shrinkSeconds * 1000 + 2 * RUN_BUDGET_MS,
  };
}

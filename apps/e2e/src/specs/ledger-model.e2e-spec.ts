import fc from 'fast-check';
import { runPlan } from '../support/ledger-model/commands';
import { FleetIo } from '../support/ledger-model/fleet-io';
import { ModelDiscrepancies, formatOutcome } from '../support/ledger-model/report';
import { runPlanOnFleet } from '../support/ledger-model/runner';
import { modelSettings } from '../support/ledger-model/settings';

const settings = modelSettings();
const SPEC = 'apps/e2e/src/specs/ledger-model.e2e-spec.ts';

/**
 * An adversary's model-based test of the points ledger, through the real gateway and bus: fast-check
 * generates runs of 4–8 fresh members, each with its own sequence of order events, spends, holds,
 * cancellations, refunds (also out of order and twice), check-ins, admin adjustments and batches,
 * Idempotency-Key and natural-key replays, and ids of other members; members run concurrently,
 * barriers (expiry runs, batches for several members) run between rounds. Every answer, balance,
 * lot sum and history row is compared with a plain model (support/ledger-model/model.ts).
 *
 * `npm test` runs a few runs (MODEL_RUNS, default 3) and reports the first failing run as it is;
 * `npm run test:model -- --runs 50` runs deeper and shrinks a failure; `--seed S --path P` replays
 * one; `--checks balance,lots` fails only on those checks (to shrink towards one property).
 */
describe('the points ledger against a reference model', () => {
  const io = new FleetIo();

  afterAll(async () => {
    await io.close();
  });

  it(
    `keeps every member's answers, balances, lots and history as the model says (${settings.runs} runs)`,
    async () => {
      let failureSeen = false;
      let shrinkDeadline = Number.POSITIVE_INFINITY;
      const property = fc.asyncProperty(
        runPlan({ maxCommands: settings.maxCommands }),
        async (plan) => {
          // Out of shrinking time: the smallest failure found so far is the one reported.
          if (failureSeen && Date.now() > shrinkDeadline) return;
          const outcome = await runPlanOnFleet(plan, io);
          if (settings.verbose)
            process.stderr.write(`${formatOutcome(outcome, settings.checks)}\n\n`);
          if (outcome.discrepancies.some(({ check }) => settings.checks.has(check))) {
            if (!failureSeen) shrinkDeadline = Date.now() + settings.shrinkSeconds * 1000;
            failureSeen = true;
            throw new ModelDiscrepancies(outcome, settings.checks);
          }
        },
      );
      const details = await fc.check(property, {
        numRuns: settings.runs,
        endOnFailure: settings.shrinkSeconds === 0,
        ...(settings.seed === undefined ? {} : { seed: settings.seed }),
        ...(settings.path === undefined ? {} : { path: settings.path }),
      });
      if (!details.failed) return;
      const error = details.errorInstance;
      const replay = `npm run test:model -- --seed ${details.seed} --path "${details.counterexamplePath}"`;
      const header = [
        `Ledger model: run ${details.numRuns} of ${settings.runs} failed (seed ${details.seed}, path "${details.counterexamplePath}", shrunk ${details.numShrinks} time(s)).`,
        `Replay it: ${replay}`,
        `      or: MODEL_SEED=${details.seed} MODEL_PATH="${details.counterexamplePath}" npx jest --selectProjects e2e --runInBand ${SPEC}`,
      ];
      if (error instanceof ModelDiscrepancies) {
        const failed = [...error.failedChecks].map(([check, n]) => `${check} ×${n}`).join(', ');
        throw new Error([...header, `Failed checks: ${failed}`, '', error.message].join('\n'));
      }
      throw new Error(
        [
          ...header,
          '',
          `The harness itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ].join('\n'),
      );
    },
    settings.timeoutMs,
  );
});

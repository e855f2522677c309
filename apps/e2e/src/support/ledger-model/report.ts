// Readable failure reports: the differences grouped by check, then every command of the run with
// what the model expected and what the service did, then how to replay the run.
import type { CheckName } from './checks';
import type { RunOutcome } from './runner';

/** A run that showed differences in the selected checks (the error fast-check keeps and shrinks). */
export class ModelDiscrepancies extends Error {
  constructor(
    readonly outcome: RunOutcome,
    readonly checks: ReadonlySet<CheckName>,
  ) {
    super(formatOutcome(outcome, checks));
    this.name = 'ModelDiscrepancies';
  }

  /** The selected checks this run failed, with how often. */
  get failedChecks(): Map<CheckName, number> {
    const counts = new Map<CheckName, number>();
    for (const { check } of this.outcome.discrepancies) {
      if (this.checks.has(check)) counts.set(check, (counts.get(check) ?? 0) + 1);
    }
    return counts;
  }
}

export function formatOutcome(outcome: RunOutcome, checks: ReadonlySet<CheckName>): string {
  const selected = outcome.discrepancies.filter((d) => checks.has(d.check));
  const others = outcome.discrepancies.filter((d) => !checks.has(d.check));
  const lines = [`${selected.length} difference(s) from the model:`];
  const byCheck = new Map<CheckName, typeof selected>();
  for (const difference of selected) {
    byCheck.set(difference.check, [...(byCheck.get(difference.check) ?? []), difference]);
  }
  for (const [check, differences] of byCheck) {
    lines.push(`  [${check}]`);
    for (const d of differences) {
      lines.push(`    ${d.member ?? 'run'} ${d.where}: ${d.detail.replace(/\n/g, '\n      ')}`);
    }
  }
  if (others.length > 0) {
    const counts = new Map<string, number>();
    for (const d of others) counts.set(d.check, (counts.get(d.check) ?? 0) + 1);
    lines.push(
      `  (also seen in checks not selected: ${[...counts].map(([check, n]) => `${check} ×${n}`).join(', ')})`,
    );
  }
  lines.push('', 'The run (each member in order; members ran concurrently; !! = a difference):');
  lines.push(...outcome.trace.map((line) => `  ${line}`));
  return lines.join('\n');
}

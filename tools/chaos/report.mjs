// Turns the run's figures into the printed report and the failures that decide the exit code.
import { errorRate, recoveryTime, drainTime, recoveryVerdict } from './analysis.mjs';
import { examples } from './exactness.mjs';

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const pct = (rate) => (rate === null ? '  n/a' : `${(rate * 100).toFixed(1)}%`);
const secs = ({ seconds, observed }) =>
  seconds === null ? `none within ${observed.toFixed(1)} s watched` : `${seconds.toFixed(1)} s`;

/**
 * One row per injected fault: when, what, error rates during it and after it until recovery,
 * and both recovery times with their verdicts against `targetSeconds`.
 */
export function faultFigures({ injected, calls, orders, creditedAt, samples, loadEnd, drainEnd }) {
  return injected.map((fault, index) => {
    const next = injected[index + 1];
    const httpHorizon = next ? next.start : loadEnd;
    const drainHorizon = next ? next.start : drainEnd;
    const recovery = recoveryTime(calls, fault.end, httpHorizon);
    const drain = drainTime({
      orders,
      creditedAt,
      samples,
      faultEnd: fault.end,
      horizon: drainHorizon,
    });
    const afterEnd = fault.end + 1000 * (recovery.seconds ?? recovery.observed);
    return {
      ...fault,
      during: errorRate(calls, fault.start, fault.end, { overlapping: true }),
      after: errorRate(calls, fault.end, Math.max(afterEnd, fault.end + 1)),
      recovery,
      drain,
    };
  });
}

export function verdicts(figures, targetSeconds) {
  const failures = [];
  const notes = [];
  for (const fault of figures) {
    for (const [what, figure] of [
      ['requests', fault.recovery],
      ['event backlog', fault.drain],
    ]) {
      const verdict = recoveryVerdict(figure, targetSeconds);
      const text = `${fault.label}: ${what} recovered ${secs(figure)} after the fault ended`;
      if (verdict === 'slow' || verdict === 'not-recovered')
        failures.push(`${text} (target ${targetSeconds} s)`);
      if (verdict === 'inconclusive')
        notes.push(`${text}: watched less than ${targetSeconds} s, inconclusive`);
    }
  }
  return { failures, notes };
}

export function formatReport({ plan, baseline, figures, checks, totals, targetSeconds }) {
  const lines = [];
  lines.push('', '== chaos report ==', '');
  lines.push(
    `load: ${totals.calls} HTTP calls, ${totals.orders} order.completed.v1 events (${totals.copies} sent twice on purpose), ${totals.loadSeconds.toFixed(0)} s`,
  );
  lines.push(
    `baseline (warmup ${s(plan.warmupMs)}): ${baseline.total} calls, error rate ${pct(baseline.rate)}, 503 ${pct(baseline.rate503)}, slowest ${s(baseline.maxMs)}${formatKeys(baseline.byKey)}`,
  );
  lines.push('', 'faults (t = seconds since the load started):');
  for (const fault of figures) {
    lines.push(
      `  ${fault.label}: t=${(fault.start / 1000).toFixed(1)}–${(fault.end / 1000).toFixed(1)} (${s(fault.end - fault.start)})${fault.notes.length ? `; ${fault.notes.join('; ')}` : ''}`,
    );
    lines.push(
      `    during:  ${fault.during.total} calls in flight, error rate ${pct(fault.during.rate)}, 503 ${pct(fault.during.rate503)}, slowest ${s(fault.during.maxMs)}${formatKeys(fault.during.byKey)}`,
    );
    if (fault.recovery.seconds !== 0 && fault.after.total > 0)
      lines.push(
        `    after:   ${fault.after.total} calls until recovery, error rate ${pct(fault.after.rate)}, 503 ${pct(fault.after.rate503)}${formatKeys(fault.after.byKey)}`,
      );
    lines.push(
      `    recovery: requests ${secs(fault.recovery)} [${recoveryVerdict(fault.recovery, targetSeconds)}], event backlog ${secs(fault.drain)} [${recoveryVerdict(fault.drain, targetSeconds)}]`,
    );
  }
  lines.push('', 'exactness:');
  for (const check of checks) {
    lines.push(`  ${check.ok ? 'PASS' : 'FAIL'} ${check.name}: ${check.summary}`);
    for (const problem of examples(check.problems)) lines.push(`       ${problem}`);
  }
  return lines.join('\n');
}

function formatKeys(byKey) {
  const entries = Object.entries(byKey).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return '';
  return ` (${entries
    .slice(0, 4)
    .map(([key, n]) => `${key}: ${n}`)
    .join(', ')})`;
}

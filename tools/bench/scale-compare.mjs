// Pure part of `npm run bench:scale`: the figures of two or more bench runs on seeded populations
// of different sizes, side by side, and whether the largest stays within the allowed slowdown.
import { markdownTable } from './report.mjs';
import { scenarioByName } from './workloads.mjs';

/** How much worse the largest population's figures may be than the smallest's. */
export const MAX_SLOWDOWN = 1.5;

/**
 * One row per API scenario measured in every run (baselines left out), at `connections`:
 * rate and p99 per population, and the slowdowns from the smallest to the largest population
 * (rate: small / large; p99: large / small; above 1 is worse). `pass` is null when a figure is
 * missing. `runs`: `[{ scale, points }]` in any order.
 */
export function compareScales(runs, connections) {
  const sorted = [...runs].sort((a, b) => a.scale - b.scale);
  const pointOf = (run, scenario) =>
    run.points.find((p) => p.scenario === scenario && p.connections === connections);
  const names = [...new Set(sorted.flatMap((run) => run.points.map((p) => p.scenario)))].filter(
    (name) => scenarioByName(name)?.kind !== 'baseline',
  );
  return names
    .filter((name) => sorted.every((run) => pointOf(run, name)))
    .map((scenario) => {
      const figures = sorted.map((run) => {
        const point = pointOf(run, scenario);
        return {
          scale: run.scale,
          perSecond: point.perSecond,
          p99: point.p99,
          errors: point.errors,
        };
      });
      const small = figures[0];
      const large = figures.at(-1);
      const rateSlowdown = large.perSecond > 0 ? small.perSecond / large.perSecond : undefined;
      const p99Slowdown = small.p99 > 0 && large.p99 != null ? large.p99 / small.p99 : undefined;
      const pass =
        rateSlowdown === undefined || p99Slowdown === undefined
          ? null
          : rateSlowdown <= MAX_SLOWDOWN && p99Slowdown <= MAX_SLOWDOWN;
      return { scenario, figures, rateSlowdown, p99Slowdown, pass };
    });
}

const times = (value) => (value === undefined ? '–' : `${value.toFixed(2)}×`);
const members = (n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : `${n}`);

/** The comparison as a markdown table. */
export function scaleTable(rows) {
  const scales = rows[0]?.figures.map((f) => f.scale) ?? [];
  const header = [
    'scenario',
    ...scales.map((s) => `req/s at ${members(s)}`),
    ...scales.map((s) => `p99 ms at ${members(s)}`),
    'rate slowdown',
    'p99 slowdown',
    `within ${MAX_SLOWDOWN}×`,
  ];
  return markdownTable(
    header,
    rows.map((row) => [
      row.scenario,
      ...row.figures.map((f) => String(f.perSecond ?? '–')),
      ...row.figures.map((f) => String(f.p99 ?? '–')),
      times(row.rateSlowdown),
      times(row.p99Slowdown),
      row.pass === null ? 'n/a' : row.pass ? 'yes' : '**no**',
    ]),
  );
}

// Pure figures of `npm run bench`: each point's ratio to its baseline (and to the physical floor
// of a spend), and the targets table.
import { scenarioByName } from './workloads.mjs';

/** The targets, at TARGET_CONNECTIONS: latency bound and least share of the baseline's rate. */
export const TARGETS = Object.freeze({
  read: { p99Ms: 50, minRatio: 0.5 },
  write: { p99Ms: 100, minRatio: 0.5 },
});
/**
 * The targets of the writes that have a floor (spend, check-in) against it: lot-spend-floor, the
 * two-round-trip FIFO-lot spend measured in the same run.
 */
export const FLOOR_TARGET = Object.freeze({ p99Ms: 150, minRatio: 0.35 });
export const TARGET_CONNECTIONS = 64;

/** `perSecond / referencePerSecond`, undefined when either is missing or the reference served nothing. */
const ratioOf = (perSecond, referencePerSecond) =>
  referencePerSecond > 0 && Number.isFinite(perSecond) ? perSecond / referencePerSecond : undefined;

/**
 * Adds to each point (`{ scenario, connections, perSecond, ... }`) its baseline's name, the
 * baseline's rate at the same connections and `ratio` = rate / baseline rate (undefined when
 * there is no baseline, or it was not measured or served nothing); for a scenario with a floor
 * (spend, check-in) likewise `floor`, `floorPerSecond` and `floorRatio`.
 */
export function withRatios(points) {
  const rateOf = (scenario, connections) =>
    points.find((p) => p.scenario === scenario && p.connections === connections)?.perSecond;
  return points.map((point) => {
    const { baseline, floor } = scenarioByName(point.scenario) ?? {};
    const rated = { ...point };
    if (baseline) {
      const baselinePerSecond = rateOf(baseline, point.connections);
      Object.assign(rated, {
        baseline,
        baselinePerSecond,
        ratio: ratioOf(point.perSecond, baselinePerSecond),
      });
    }
    if (floor) {
      const floorPerSecond = rateOf(floor, point.connections);
      Object.assign(rated, {
        floor,
        floorPerSecond,
        floorRatio: ratioOf(point.perSecond, floorPerSecond),
      });
    }
    return rated;
  });
}

/** The verdict of `point` against `target` for a share `ratio` of `reference`. */
function verdict(point, target, ratio, reference, connections) {
  if (!point || point.skipped) return { pass: null, reason: `not measured at ${connections}` };
  if (point.ok === 0 || point.p99 === null) return { pass: false, reason: 'no successful call' };
  if (ratio === undefined) return { pass: null, reason: `baseline ${reference} not measured` };
  const latencyOk = point.p99 < target.p99Ms;
  const rateOk = ratio >= target.minRatio;
  const failed = [
    latencyOk ? '' : `p99 ${point.p99} ms ≥ ${target.p99Ms} ms`,
    rateOk ? '' : `${(ratio * 100).toFixed(0)} % < ${target.minRatio * 100} % of ${reference}`,
  ].filter(Boolean);
  return { pass: failed.length === 0, reason: failed.join('; ') };
}

/**
 * Rows for the scenarios that have a target: its p99 and ratio at `connections` and whether both
 * meet the target (`pass` true/false; null with a `reason` when it cannot be told). `reference`
 * names what the ratio is a share of: the scenario's baseline, and for spend and check-in a
 * second row against lot-spend-floor (FLOOR_TARGET).
 */
export function targetRows(points, connections = TARGET_CONNECTIONS) {
  const rated = withRatios(points);
  const names = [...new Set(rated.map((p) => p.scenario))];
  return names.flatMap((name) => {
    const scenario = scenarioByName(name);
    const target = TARGETS[scenario?.kind];
    if (!target) return [];
    const point = rated.find((p) => p.scenario === name && p.connections === connections);
    const rows = [
      { reference: scenario.baseline, target, ratio: point?.ratio },
      ...(scenario.floor
        ? [{ reference: scenario.floor, target: FLOOR_TARGET, ratio: point?.floorRatio }]
        : []),
    ];
    return rows.map((row) => ({
      scenario: name,
      connections,
      ...row,
      p99: point?.p99,
      ...verdict(point, row.target, row.ratio, row.reference, connections),
    }));
  });
}

/** A ratio as a percentage, '' when undefined. */
export const formatRatio = (ratio) =>
  ratio === undefined ? '' : `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;

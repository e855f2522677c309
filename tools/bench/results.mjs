// Pure figures of `npm run bench`: each point's ratio to its baseline, and the targets table.
import { scenarioByName } from './workloads.mjs';

/** The targets, at TARGET_CONNECTIONS: latency bound and least share of the baseline's rate. */
export const TARGETS = Object.freeze({
  read: { p99Ms: 50, minRatio: 0.5 },
  write: { p99Ms: 100, minRatio: 0.5 },
});
export const TARGET_CONNECTIONS = 64;

/**
 * Adds to each point (`{ scenario, connections, perSecond, ... }`) its baseline's name, the
 * baseline's rate at the same connections and `ratio` = rate / baseline rate (undefined when
 * there is no baseline, or it was not measured or served nothing).
 */
export function withRatios(points) {
  const rateOf = (scenario, connections) =>
    points.find((p) => p.scenario === scenario && p.connections === connections)?.perSecond;
  return points.map((point) => {
    const baseline = scenarioByName(point.scenario)?.baseline;
    if (!baseline) return { ...point };
    const baselinePerSecond = rateOf(baseline, point.connections);
    const ratio =
      baselinePerSecond > 0 && Number.isFinite(point.perSecond)
        ? point.perSecond / baselinePerSecond
        : undefined;
    return { ...point, baseline, baselinePerSecond, ratio };
  });
}

/**
 * One row per scenario that has a target: its p99 and ratio at `connections` and whether both
 * meet the target (`pass` true/false; null with a `reason` when it cannot be told).
 */
export function targetRows(points, connections = TARGET_CONNECTIONS) {
  const rated = withRatios(points);
  const names = [...new Set(rated.map((p) => p.scenario))];
  return names.flatMap((name) => {
    const target = TARGETS[scenarioByName(name)?.kind];
    if (!target) return [];
    const point = rated.find((p) => p.scenario === name && p.connections === connections);
    const row = { scenario: name, connections, target, p99: point?.p99, ratio: point?.ratio };
    if (!point || point.skipped) {
      return [{ ...row, pass: null, reason: `not measured at ${connections}` }];
    }
    if (point.ok === 0 || point.p99 === null) {
      return [{ ...row, pass: false, reason: 'no successful call' }];
    }
    if (row.ratio === undefined) {
      return [{ ...row, pass: null, reason: `baseline ${point.baseline} not measured` }];
    }
    const latencyOk = point.p99 < target.p99Ms;
    const rateOk = row.ratio >= target.minRatio;
    const failed = [
      latencyOk ? '' : `p99 ${point.p99} ms ≥ ${target.p99Ms} ms`,
      rateOk ? '' : `${(row.ratio * 100).toFixed(0)} % < ${target.minRatio * 100} % of baseline`,
    ].filter(Boolean);
    return [{ ...row, pass: failed.length === 0, reason: failed.join('; ') }];
  });
}

/** A ratio as a percentage, '' when undefined. */
export const formatRatio = (ratio) =>
  ratio === undefined ? '' : `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;

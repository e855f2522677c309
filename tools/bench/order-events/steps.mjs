// One step of the ladder: a rate held for some seconds, then the wait until every order is credited;
// latencies per order from the time it was due, backlog samples each second, CPU per process.
import { percentile } from '../load.mjs';
import { handlingBetween, scrapeHandling } from './handler-metrics.mjs';
import { publishAtRate } from './publisher.mjs';

/** Sustainable: p99 under this, and the backlog not growing. */
export const P99_LIMIT_MS = 1000;

const round = (ms) => (ms === null ? null : Math.round(ms));

function quantiles(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    p50: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.length > 0 ? sorted[sorted.length - 1] : null),
  };
}

/** Least-squares slope of `[t seconds, backlog]` samples: events per second the backlog grows. */
export function slope(samples) {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanT = samples.reduce((sum, [t]) => sum + t, 0) / n;
  const meanB = samples.reduce((sum, [, b]) => sum + b, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, b] of samples) {
    num += (t - meanT) * (b - meanB);
    den += (t - meanT) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export async function runStep({
  env,
  publisher,
  tracker,
  rate,
  seconds,
  nextOrder,
  drainMs,
  signal,
}) {
  const orderIds = [];
  const backlog = [];
  const cpuBefore = env.cpuSeconds();
  const handlers = ['member-service', 'point-service'];
  const scrape = () =>
    Promise.all(handlers.map((name) => scrapeHandling(env.apps[name].port).catch(() => ({}))));
  const handledBefore = await scrape();
  const started = performance.now();
  const sampler = setInterval(() => {
    backlog.push([(performance.now() - started) / 1000, tracker.outstanding]);
  }, 1000);
  let published;
  try {
    published = await publishAtRate(publisher, {
      rate,
      seconds,
      signal,
      next: nextOrder,
      sent: (order, scheduledAt) => {
        orderIds.push(order.orderId);
        tracker.sent(order.orderId, scheduledAt);
      },
    });
  } finally {
    clearInterval(sampler);
  }
  const publishSeconds = (performance.now() - started) / 1000;
  const backlogAtEnd = tracker.outstanding;
  const settled = await tracker.settled(drainMs);
  const drainSeconds = (performance.now() - started) / 1000 - publishSeconds;
  const cpuAfter = env.cpuSeconds();
  const handledAfter = await scrape();
  const elapsed = (performance.now() - started) / 1000;
  const orders = orderIds.map((id) => tracker.orders.get(id));
  const credited = orders.filter((order) => order.seenAt !== undefined);
  // The second half of the step: past the start-up, before the publishing ends.
  const growth = slope(backlog.filter(([t]) => t >= seconds / 2));
  const seen = quantiles(credited.map((order) => order.seenAt - order.scheduledAt));
  const result = {
    rate,
    seconds,
    published: orderIds.length,
    credited: credited.length,
    ...seen,
    committedP50: quantiles(credited.map((o) => o.rowAt - o.scheduledAt)).p50,
    committedP99: quantiles(credited.map((o) => o.rowAt - o.scheduledAt)).p99,
    memberP50: quantiles(orders.filter((o) => o.memberAt).map((o) => o.memberAt - o.scheduledAt))
      .p50,
    memberP99: quantiles(orders.filter((o) => o.memberAt).map((o) => o.memberAt - o.scheduledAt))
      .p99,
    backlogAtEnd,
    backlogMax: Math.max(backlogAtEnd, ...backlog.map(([, b]) => b)),
    backlogGrowthPerSecond: Math.round(growth * 10) / 10,
    drainSeconds: Math.round(drainSeconds * 10) / 10,
    publisherWorstLateMs: published.worstLateMs,
    handling: Object.fromEntries(
      handlers.map((name, i) => [name, handlingBetween(handledBefore[i], handledAfter[i])]),
    ),
    cpu: Object.fromEntries(
      Object.entries(cpuAfter).map(([key, used]) => [
        key,
        Math.round((100 * (used - (cpuBefore[key] ?? 0))) / elapsed),
      ]),
    ),
  };
  result.growing = growth > 0.1 * rate;
  result.sustainable =
    settled && !result.growing && result.p99 !== null && result.p99 < P99_LIMIT_MS;
  return result;
}

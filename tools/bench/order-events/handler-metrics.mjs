// How long the services' event handlers took (inbox to commit): ms_event_handling_seconds from
// each app's /metrics, as counts and sums, so a step's mean is the difference of two scrapes.

const LINE = /^ms_event_handling_seconds_(sum|count)\{[^}]*\btype="([^"]+)"[^}]*\} ([0-9.eE+-]+)$/;

/** `{ [type]: { sum, count } }` of one app. */
export async function scrapeHandling(port) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    signal: AbortSignal.timeout(5000),
  });
  const totals = {};
  for (const line of (await response.text()).split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, field, type, value] = match;
    (totals[type] ??= { sum: 0, count: 0 })[field] = Number(value);
  }
  return totals;
}

/** Per event type handled between the scrapes: how many and the mean time in ms. */
export function handlingBetween(before, after) {
  const result = {};
  for (const [type, { sum, count }] of Object.entries(after)) {
    const n = count - (before[type]?.count ?? 0);
    if (n > 0)
      result[type] = {
        handled: n,
        meanMs: Math.round(((sum - (before[type]?.sum ?? 0)) / n) * 10000) / 10,
      };
  }
  return result;
}

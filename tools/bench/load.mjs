// A small closed-loop load generator: N workers, each starting its next call when the last one ends, for a fixed time.
import http from 'node:http';

/** A keep-alive HTTP client for one base URL. `request` never rejects: a network error is status 0. */
export function httpClient(baseUrl, connections) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(baseUrl);

  function request({ method = 'GET', path, token, body }, timeoutMs = 15_000) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = { authorization: `Bearer ${token}` };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve) => {
      const failed = (error) => resolve({ status: 0, error: error.code ?? error.message });
      const req = http.request(
        { agent, hostname, port, method, path, headers, timeout: timeoutMs },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('error', failed);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode, json });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
      );
      req.on('error', failed);
      req.end(payload);
    });
  }

  return { request, close: () => agent.destroy() };
}

/** The error key of an HTTP answer: `422 POINTS_INSUFFICIENT`, `503 SERVICE_UNAVAILABLE`, `0 ECONNRESET`. */
export function errorKeyOf({ status, json, error }) {
  return `${status} ${error ?? json?.code ?? ''}`.trim();
}

/** Value at quantile `q` of an ascending array (nearest rank). */
export function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Throughput and latency figures from per-call latencies (ms) and error counts. */
export function summarize({ latencies, errors, seconds }) {
  const sorted = Float64Array.from(latencies).sort();
  const errorCount = Object.values(errors).reduce((sum, n) => sum + n, 0);
  // Two decimals under 10 ms (a bare server answers in a fraction of one), one above.
  const round = (ms) =>
    ms === null ? null : ms < 10 ? Math.round(ms * 100) / 100 : Math.round(ms * 10) / 10;
  return {
    ok: sorted.length,
    errors: errorCount,
    errorsByKey: errors,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(sorted.length / seconds),
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
  };
}

/** What a task resolves with when it has no more work: its worker stops, and so the run once all have. */
export const STOP = 'stop';

/**
 * Runs `task(n, worker)` (n counts calls from 0, worker numbers the workers from 0) on
 * `concurrency` workers for `warmupSeconds`, not recorded, then for `seconds`. A task resolves
 * with `null` when it succeeded, an error key, or STOP. Only calls started in the measured window
 * count; the window ends when the last of them ends (early when every worker stopped). With
 * `calls`, no call starts after the first `calls` (warm-up included): the run ends when they are
 * done, or at `seconds` at the latest.
 */
export async function runLoad({ task, concurrency, seconds, warmupSeconds = 0, calls, signal }) {
  const measureFrom = performance.now() + warmupSeconds * 1000;
  const stopAt = measureFrom + seconds * 1000;
  const latencies = [];
  const errors = {};
  let n = 0;
  let stopped = false;
  const worker = async (_, index) => {
    while (!signal?.aborted) {
      const started = performance.now();
      if (started >= stopAt || (calls !== undefined && n >= calls)) return;
      const failure = await task(n++, index);
      if (failure === STOP) {
        stopped = true;
        return;
      }
      if (started < measureFrom) continue;
      if (failure === null) latencies.push(performance.now() - started);
      else errors[failure] = (errors[failure] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ended = Math.max(performance.now(), measureFrom + 1);
  const summary = summarize({ latencies, errors, seconds: (ended - measureFrom) / 1000 });
  // `calls` counts every task started, warm-up included (what a run used up of a member pool).
  return stopped ? { ...summary, calls: n, stoppedEarly: true } : { ...summary, calls: n };
}

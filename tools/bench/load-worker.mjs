// The load generator's thread: one measurement point (scenario × connections) per worker, so the
// generator has an event loop of its own, shared with nothing the bench does meanwhile.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { runLoad } from './load.mjs';
import { RawConnection } from './raw-http.mjs';
import { rawCheckInSlot, checkInOnce } from './raw-check-in.mjs';
import { lotSpendOnce } from './lot-spend-floor.mjs';
import { rawPool, spendOnce } from './raw-spend.mjs';
import { SQL_BASELINES, gatewayTask, plainGetTask } from './workloads.mjs';

/**
 * The raw baselines' largest pool: MariaDB's default max_connections is 151, shared with the
 * services' pools (10 each) and whatever else runs on the server; 64 connections already
 * saturate two cores.
 */
export const RAW_POOL_MAX = 64;

/**
 * Measures one point in a new worker thread. `job`: `{ scenario, connections, seconds,
 * warmupSeconds, calls?, url?, path?, members?, run?, mysql? }`. Resolves with the summary of runLoad plus
 * `generatorBusy`, the share of time the generator's event loop was busy (near 1: it may be the
 * bottleneck).
 */
export function measureInWorker(job, signal) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    const abort = () => void worker.terminate();
    signal?.addEventListener('abort', abort, { once: true });
    let result;
    worker.once('message', (message) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', abort);
      if (result?.error) reject(new Error(result.error));
      else if (result) resolve(result);
      else reject(new Error(`load worker exited with ${code} and no result`));
    });
  });
}

/** The task for a job, and what to close after it. */
function taskOf(job) {
  const { scenario, connections } = job;
  if (SQL_BASELINES.includes(scenario)) {
    // Workers beyond the pool's size wait for a connection, as requests do in a service.
    const pool = rawPool(job.mysql, Math.min(connections, RAW_POOL_MAX));
    const { members, run } = job;
    const tasks = {
      // Each spend on an order of its own, as the spend scenario's.
      'raw-spend': (n) => spendOnce(pool, members[n % members.length], String(run.orderBase + n)),
      'raw-check-in': (n) => {
        const { member, dayMs } = rawCheckInSlot(members, n, run.index);
        return checkInOnce(pool, member, dayMs);
      },
      'lot-spend-floor': (n) =>
        lotSpendOnce(pool, members[n % members.length], String(run.orderBase + n)),
    };
    const task = tasks[scenario];
    // A refused connection (MySQL's max_connections) is an error of that call, not of the run.
    const counted = (n) => task(n).catch((error) => error.code ?? error.message);
    return { task: counted, close: () => pool.end() };
  }
  const url = new URL(job.url);
  const sockets = Array.from(
    { length: connections },
    () => new RawConnection(url.hostname, Number(url.port)),
  );
  const send =
    scenario === 'hello' || scenario === 'noop-rpc'
      ? plainGetTask({ host: url.host, path: job.path })
      : gatewayTask(scenario, { host: url.host, members: job.members, run: job.run });
  return {
    task: (n, worker) => send(n, sockets[worker]),
    close: async () => sockets.forEach((socket) => socket.close()),
  };
}

async function runJob(job) {
  const { task, close } = taskOf(job);
  const before = performance.eventLoopUtilization();
  try {
    const summary = await runLoad({
      task,
      concurrency: job.connections,
      seconds: job.seconds,
      warmupSeconds: job.warmupSeconds,
      calls: job.calls,
    });
    const busy = performance.eventLoopUtilization(before).utilization;
    return { ...summary, generatorBusy: Math.round(busy * 100) / 100 };
  } finally {
    await close();
  }
}

if (!isMainThread && workerData?.scenario) {
  runJob(workerData).then(
    (result) => parentPort.postMessage(result),
    (error) => parentPort.postMessage({ error: error.stack ?? String(error) }),
  );
}

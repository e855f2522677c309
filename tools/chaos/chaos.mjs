// npm run chaos [-- --quick] — fault-injection run against a private copy of the whole platform.
//
// What it does:
//   1. Starts its OWN MariaDB, Redis and RabbitMQ (node chaos-<pid>@localhost) on free ports under a
//      temp dir (never the shared servers), builds the apps, migrates and starts all five against them
//      with short retry delays and rate limits raised out of the way.
//   2. Registers members, then runs a mixed HTTP load through the gateway (balance reads, quotes,
//      spends, check-ins) and publishes order.completed.v1 to platform.events like the order service
//      (publisher confirms, re-sent with the same eventId until confirmed; ~5 % sent twice on purpose).
//   3. Injects, one after another with normal load in between: a RabbitMQ restart, SIGKILL and
//      restart of one app (--kill, default point-service), a MariaDB restart, and Redis frozen with
//      SIGSTOP for a while.
//   4. Stops the load, waits for outboxes and queues to drain, then checks: every order earned
//      exactly once with the right points (point_transaction / point_operation in ms_point), every
//      spend at most once, every balance equal to its lots and history (and to what the API says),
//      check-ins once a day, reconcile-points reports no drift, nothing parked or left queued.
//   5. Prints each fault with its time, the error rate during it (non-2xx other than the expected
//      422 POINTS_INSUFFICIENT / 409 ALREADY_CHECKED_IN, and 503s separately), and two recovery
//      times from the fault's end: to the first 1 s window of requests without a failure, and to
//      the event backlog of that moment being drained (orders credited, outbox rows published).
//
// Exit code: 0 when every exactness check passed and every recovery came within 30 s; 1 otherwise;
// 2 when the run itself could not be set up. Everything started is torn down at the end, also on
// Ctrl-C; --keep leaves the temp dir (logs of every process) in place.
// Needs mariadbd/mariadb-install-db, redis-server and rabbitmq-server installed (not running).
// Details: tools/chaos/README.md.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { errorRate } from './analysis.mjs';
import { createMariadb, createRabbitmq, createRedis } from './dependencies.mjs';
import {
  checkBalances,
  checkCheckIns,
  checkOrders,
  checkQueues,
  checkReconciliation,
  checkSpends,
  checkTotalSpent,
} from './exactness.mjs';
import { inject } from './faults.mjs';
import { buildApps, createFleet, distIsStale, fleetEnv } from './fleet.mjs';
import { apiBalances, peekParked, readLedger, runReconciliation } from './inspect.mjs';
import { gatewayClient, registerMembers, runHttpLoad } from './load.mjs';
import { createMonitor, createPool } from './monitor.mjs';
import { USAGE, parseArgs, planOf } from './options.mjs';
import { createOrderStream } from './orders.mjs';
import { killAllNow } from './processes.mjs';
import { faultFigures, formatReport, verdicts } from './report.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET_SECONDS = 30;
const DRAIN_TIMEOUT_MS = 90_000;

const started = Date.now();
const log = (message) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`);

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Waits until every confirmed order is credited, outboxes are empty and no event queue holds work. */
async function waitForDrain({ orders, monitor, rabbitmq, deadline }) {
  let last = '';
  while (Date.now() < deadline) {
    await monitor.sample();
    const latest = monitor.samples.at(-1);
    const missing = orders.filter(
      (order) => order.confirmedAt !== undefined && !monitor.creditedAt.has(order.orderId),
    ).length;
    const unpublished = latest.ok
      ? Object.entries(latest.outbox).filter(([, box]) => box.minUnpublished !== null)
      : [['?', {}]];
    const queues = await rabbitmq.queues().catch(() => undefined);
    const busy = (queues ?? [{ name: '?', messages: 1, unacked: 0 }]).filter(
      (queue) =>
        !queue.name.endsWith('.parking') &&
        queue.name !== 'member-system.unrouted' &&
        !queue.name.startsWith('amq.') &&
        queue.messages + queue.unacked > 0,
    );
    last = `${missing} orders not credited, outboxes pending: ${unpublished.map(([app]) => app).join(',') || 'none'}, busy queues: ${busy.map((q) => `${q.name}=${q.messages}`).join(',') || 'none'}`;
    if (missing === 0 && unpublished.length === 0 && busy.length === 0) return { drained: true };
    await sleep(1000);
  }
  return { drained: false, last };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const plan = planOf(options);
  const dir = await mkdtemp(join(tmpdir(), 'chaos-'));
  const ports = {
    mysql: await freePort(),
    redis: await freePort(),
  };
  const appPorts = {};
  for (const app of [
    'gateway',
    'member-service',
    'point-service',
    'benefit-service',
    'event-service',
  ])
    appPorts[app] = await freePort();

  const deps = {};
  let fleet;
  let pool;
  let client;
  let members;
  const crashes = [];
  const stopLoad = new AbortController();
  const stopMonitor = new AbortController();

  let tornDown = false;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    stopLoad.abort();
    stopMonitor.abort();
    log('tearing down');
    client?.close();
    await pool?.end().catch(() => {});
    await fleet?.stopAll().catch(() => {});
    try {
      deps.redis?.resume();
    } catch {
      // not running
    }
    for (const dep of [deps.rabbitmq, deps.redis, deps.mariadb]) {
      await dep?.stop().catch(() => {});
    }
    killAllNow();
    if (options.keep) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  };
  const interrupted = (signal) => {
    log(`${signal}: stopping`);
    void teardown().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  process.once('exit', killAllNow);

  try {
    // First: the RabbitMQ launcher is the tests' own (libs/shared/testing), loaded from dist/.
    const stale =
      options.build === 'always' || (options.build === 'auto' && (await distIsStale(ROOT)));
    if (stale) await buildApps(ROOT);
    log(stale ? 'apps built (node tools/build.mjs)' : 'dist/ is up to date, not rebuilt');
    deps.mariadb = await createMariadb(dir, ports.mysql);
    deps.redis = createRedis(dir, ports.redis);
    deps.rabbitmq = await createRabbitmq(dir, ROOT, process.pid, log, options.cluster ? 3 : 1);
    log(
      `temp dir ${dir}; MariaDB :${ports.mysql}, Redis :${ports.redis}, RabbitMQ ${deps.rabbitmq.urls.map((url) => `:${new URL(url).port}`).join(' ')}`,
    );
    const restartCrashed = async (app) => {
      while (!tornDown) {
        try {
          await fleet.start(app);
          log(`${app} restarted after its crash`);
          return;
        } catch (error) {
          log(`${app} did not come back yet: ${error.message.split('\n')[0]}`);
          await sleep(2000);
        }
      }
    };
    fleet = createFleet({
      root: ROOT,
      dir,
      ports: appPorts,
      onCrash: (app, exit) => {
        if (tornDown) return;
        crashes.push({ app, at: Date.now(), exit });
        log(`CRASH: ${app} exited by itself (${JSON.stringify(exit)}); restarting it`);
        void restartCrashed(app);
      },
      env: fleetEnv({
        mysqlPort: ports.mysql,
        redisPort: ports.redis,
        rabbitmqUrl: deps.rabbitmq.url,
      }),
    });
    await Promise.all([deps.mariadb.start(), deps.redis.start(), deps.rabbitmq.start()]);
    log(`dependencies up (RabbitMQ node ${deps.rabbitmq.node})`);
    await fleet.migrate();
    await fleet.startAll();
    log(
      `apps ready: ${Object.entries(appPorts)
        .map(([app, port]) => `${app}:${port}`)
        .join(' ')}`,
    );
    client = gatewayClient(`http://127.0.0.1:${appPorts.gateway}`, options.workers + 4);
    members = await registerMembers(client, { count: options.members, firstUserId: 1000 });
    log(`${members.length} members registered`);
  } catch (error) {
    console.error(`setup failed: ${error.stack ?? error}`);
    await teardown();
    return 2;
  }

  try {
    pool = createPool(ports.mysql);
    return await runChaos({
      context: { options, plan, deps, fleet, client, members, pool, crashes },
      stopLoad,
      stopMonitor,
    });
  } catch (error) {
    console.error(`chaos run failed: ${error.stack ?? error}`);
    return 1;
  } finally {
    await teardown();
  }
}

async function runChaos({ context, stopLoad, stopMonitor }) {
  const { options, plan, deps, fleet, client, members, pool, crashes } = context;
  const t0 = Date.now();
  const monitor = createMonitor({ pool, t0 });
  const orderStream = createOrderStream({
    urls: deps.rabbitmq.urls,
    members,
    rate: options.rate,
    t0,
  });
  const monitoring = monitor.run(stopMonitor.signal);
  const load = runHttpLoad({
    client,
    members,
    workers: options.workers,
    signal: stopLoad.signal,
    t0,
  });
  const publishing = orderStream.run(stopLoad.signal);
  log(
    `load started: ${options.workers} HTTP workers, ${options.rate} orders/s; warmup ${plan.warmupMs / 1000} s`,
  );
  await sleep(plan.warmupMs);

  const injected = [];
  for (const fault of plan.faults) {
    if (stopLoad.signal.aborted) return 130;
    log(`inject: ${fault.label}`);
    const result = await inject(fault, { deps, fleet, t0 });
    injected.push({ ...fault, ...result });
    log(
      `  back after ${((result.end - result.start) / 1000).toFixed(1)} s ${result.notes.join('; ')}`,
    );
    await sleep(plan.gapMs);
  }

  const loadEnd = Date.now() - t0;
  stopLoad.abort();
  const { calls, spends } = await load;
  await publishing;
  log('load stopped; re-sending unconfirmed orders and waiting for the backlog to drain');
  await orderStream.flush(Date.now() + 30_000);
  const drain = await waitForDrain({
    orders: orderStream.orders,
    monitor,
    rabbitmq: deps.rabbitmq,
    deadline: Date.now() + DRAIN_TIMEOUT_MS,
  });
  const drainEnd = Date.now() - t0;
  stopMonitor.abort();
  await monitoring;
  log(drain.drained ? 'drained' : `NOT drained after ${DRAIN_TIMEOUT_MS / 1000} s: ${drain.last}`);

  const crashed = crashes.map(
    (crash) =>
      `${crash.app} at t=${((crash.at - t0) / 1000).toFixed(1)} s ${JSON.stringify(crash.exit)} (see its log)`,
  );
  const ledger = await readLedger(pool, { members });
  const balances = await apiBalances(client, members);
  for (const account of ledger.accounts)
    account.apiAvailable = balances.get(String(account.memberId));
  const reconciliation = await runReconciliation(client);
  const queues = await deps.rabbitmq.queues();
  const parked = await peekParked(
    deps.rabbitmq.urls[0],
    queues
      .filter((queue) => queue.name.endsWith('.parking') && queue.messages > 0)
      .map((queue) => queue.name),
  );

  const checks = [
    checkOrders({
      orders: orderStream.orders,
      earnRows: ledger.earnRows,
      operations: ledger.operations,
    }),
    checkTotalSpent({
      orders: orderStream.orders,
      spentRows: ledger.spentRows,
      earned: new Set(ledger.earnRows.map((row) => String(row.sourceId))),
    }),
    checkSpends({ spends, useRows: ledger.useRows }),
    checkBalances(ledger.accounts),
    checkCheckIns({ checkIns: ledger.checkIns, checkInRows: ledger.checkInRows }),
    checkReconciliation(reconciliation),
    checkQueues({ queues, parked }),
  ];
  const figures = faultFigures({
    injected,
    calls,
    orders: orderStream.orders,
    creditedAt: monitor.creditedAt,
    samples: monitor.samples,
    loadEnd,
    drainEnd,
  });
  const recovery = verdicts(figures, TARGET_SECONDS);
  console.log(
    formatReport({
      plan,
      baseline: errorRate(calls, 0, plan.warmupMs),
      figures,
      checks,
      totals: {
        calls: calls.length,
        orders: orderStream.orders.length,
        copies: orderStream.orders.filter((order) => order.copies.length > 0).length,
        loadSeconds: loadEnd / 1000,
      },
      targetSeconds: TARGET_SECONDS,
    }),
  );
  const failures = [
    ...checks.filter((check) => !check.ok).map((check) => `exactness: ${check.name}`),
    ...recovery.failures.map((text) => `recovery: ${text}`),
    ...(drain.drained ? [] : [`backlog not drained: ${drain.last}`]),
    ...crashed.map((text) => `app exited unexpectedly: ${text}`),
  ];
  console.log('');
  for (const note of recovery.notes) console.log(`note: ${note}`);
  if (failures.length === 0) {
    console.log('RESULT: PASS — no lost or duplicated points, every recovery within 30 s');
    return 0;
  }
  console.log('RESULT: FAIL');
  for (const failure of failures) console.log(`  - ${failure}`);
  return 1;
}

process.exitCode = await main();

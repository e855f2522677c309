#!/usr/bin/env node
// `npm run bench`: throughput and latency of the main member API calls at several loads, next to
// three baselines (bare Fastify, a no-work RPC over RabbitMQ, raw MySQL), on a fleet of its own.
import { rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import {
  textTable,
  RESULT_COLUMNS,
  TARGET_COLUMNS,
  resultRows,
  targetTableRows,
} from './bench-report.mjs';
import { writeBenchReports } from './bench-report.mjs';
import { API_BENCH_APPS, BenchEnvironment } from './environment.mjs';
import { BenchRun, parseCommandLine, print } from './harness.mjs';
import { measureInWorker } from './load-worker.mjs';
import { httpClient } from './load.mjs';
import { describeMachine } from './machine.mjs';
import { USAGE, parseOptions } from './options.mjs';
import { privateDistOf, buildTo } from './private-build.mjs';
import { mintToken } from '../lib/jwt.mjs';
import { seedScale } from './scale-seed/seeder.mjs';
import { ledgerNote, unpublishedOutboxRows } from './scenarios.mjs';
import {
  POINTS_PER_CREDIT,
  openPublisher,
  publishCredits,
  registerMembers,
  waitForBalances,
} from './seed.mjs';
import { CACHED_READS, SQL_BASELINES } from './workloads.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** History rows per seeded member with --scale (seed:scale's default). */
const SEEDED_HISTORY_PER_MEMBER = 20;
/** Credited orders per member before the run: 10 000 points and two history rows each. */
const CREDITS_PER_MEMBER = 2;
/** Raised far above any rate two cores reach, so the bench measures the limiter's cost, never its 429s. */
const RATE_LIMITS = Object.freeze({
  RATE_LIMIT_PER_IP: '1000000000',
  RATE_LIMIT_PER_MEMBER: '1000000000',
  RATE_LIMIT_PER_SERVICE: '1000000000',
  RATE_LIMIT_PER_ADMIN: '1000000000',
  RATE_LIMIT_SPEND_PER_MEMBER: '1000000000',
  RATE_LIMIT_CHECK_IN_PER_MEMBER: '1000000000',
});

const options = parseCommandLine('bench', USAGE, parseOptions);
const OUT = {
  jsonPath: join(root, `docs/performance/${options.out}.json`),
  markdownPath: join(root, `docs/performance/${options.out}.md`),
  svgPath: join(root, `docs/performance/${options.out}-latency.svg`),
  chartFile: `${options.out}-latency.svg`,
};
/** Seeded members per second the preparation's time budget allows (1 million took 36 min here). */
const SEEDED_PER_SECOND = 200;
/** The longest a point with --passes may run (its calls normally take seconds). */
const PASSES_TIME_LIMIT_SECONDS = 120;
/** Longest wait for MariaDB to write a bulk load out before measuring on it. */
const SETTLE_TIMEOUT_MS = 20 * 60_000;

const env = new BenchEnvironment(root, process.env, {
  apps: API_BENCH_APPS,
  appEnv: { ...RATE_LIMITS },
});
env.dist = privateDistOf(root, env.id);
const noopVhost = `${env.vhost}_noop`;
const bench = new BenchRun(env);
bench.afterTearDown('remove the build', async () => {
  await rm(env.dist, { recursive: true, force: true });
  // The parent stays only while another run's build is in it.
  await rmdir(dirname(env.dist)).catch(() => {});
});
const step = (label, work) => bench.step(label, work);
const pointCount = options.scenarios.length * options.connections.length;
bench.budget(
  'preparing',
  300_000 + (options.scale / SEEDED_PER_SECOND) * 1000 + (options.scale ? SETTLE_TIMEOUT_MS : 0),
);

const wants = (name) => options.scenarios.includes(name);

/** The fleet, the baselines and the members; resolves with what the measurements need. */
async function prepare() {
  await step('build apps and libs (a private copy)', () => buildTo(root, env.dist));
  await step(`RabbitMQ vhosts ${env.vhost} and ${noopVhost}`, async () => {
    await env.createVhost();
    await env.createVhost(noopVhost);
  });
  await step(`migrate ${API_BENCH_APPS.map((app) => app.name).join(', ')}`, () => env.migrate());
  if (options.scale) {
    await step(`seed ${options.scale} members with seed:scale's model`, () =>
      seedScale({
        schemas: {
          member: env.schemaOf('member'),
          point: env.schemaOf('point'),
          benefit: env.schemaOf('benefit'),
        },
        members: options.scale,
        transactions: options.scale * SEEDED_HISTORY_PER_MEMBER,
        seed: 1,
        connection: env.mysqlOptions(undefined),
      }),
    );
  }
  const gatewayUrl = await step('start them', () => env.start());
  const urls = { gateway: gatewayUrl };
  if (wants('hello')) {
    urls.hello = await step('start the bare Fastify server', () =>
      env.startHelper('hello', join(root, 'tools/bench/baselines/hello-server.mjs')),
    );
  }
  if (wants('noop-rpc')) {
    urls.noop = await step('start the no-op RPC pair', async () => {
      const helperEnv = {
        BENCH_DIST: env.dist,
        RABBITMQ_URL: env.amqpUrlOf(noopVhost),
        LOG_LEVEL: 'warn',
      };
      await env.startHelper('noop-service', join(root, 'tools/bench/baselines/noop-service.cjs'), {
        env: helperEnv,
        readyPath: '/health',
      });
      return env.startHelper('noop-gateway', join(root, 'tools/bench/baselines/noop-gateway.cjs'), {
        env: helperEnv,
        readyPath: '/ready',
      });
    });
  }

  const client = httpClient(gatewayUrl, 32);
  bench.onCleanUp(() => client.close());
  const pointDb = env.mysqlOptions(env.schemaOf('point'));
  const db = await mysql.createConnection({
    ...pointDb,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  bench.onCleanUp(() => db.end());
  const members = options.scale
    ? await step(`sample ${options.members} seeded members holding points`, () =>
        sampleSeededMembers(db, options.members),
      )
    : await freshMembers(client);
  let checkInMembers = [];
  if (options.checkInMembers > 0) {
    const ids = Array.from({ length: options.checkInMembers }, (_, i) => 2_000_000 + i);
    checkInMembers = await step(
      `register ${ids.length} more members for check-ins and wait for their point accounts`,
      async () => {
        const before = await accountCount(db);
        const registered = await registerMembers(client, ids, 32);
        await waitForAccounts(db, before + ids.length, 120_000);
        return registered;
      },
    );
  }
  if (options.scale) {
    // Last, so that the measurements do not pay for writing out the seeding's and the
    // registrations' pages (at 1 million members, tens of thousands of them).
    settled = await step('wait for MariaDB to write the bulk load and the registrations out', () =>
      waitForQuietDatabase(env.mysqlOptions(undefined), SETTLE_TIMEOUT_MS),
    );
  }
  return { urls, members, checkInMembers, pointDb, db };
}

/** The server's status variables `names`, as numbers by name (absent when the server has none). */
async function globalStatus(db, names) {
  const [rows] = await db.query(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${names.map(() => '?').join(', ')})`,
    names,
  );
  return Object.fromEntries(rows.map((row) => [row.Variable_name, Number(row.Value)]));
}

/** What waitForQuietDatabase saw: seconds waited and whether MariaDB got quiet within the limit. */
let settled;

/**
 * Until InnoDB has flushed the bulk load's dirty pages (under 1 % of the buffer pool's pages, or
 * no longer being written: MariaDB 10.5+ with innodb_max_dirty_pages_pct_lwm=0 leaves a few dirty
 * pages for good when idle) and purged its undo history (under 10 000), checked every 5 s.
 * Measured before that, MariaDB's background writing takes the CPU from everything else: right
 * after 20 million rows even the no-work RPC baseline ran at a third of its rate, and with 10 %
 * of an 8 GB pool still dirty, MariaDB flushed 200 pages a second through the whole run.
 */
async function waitForQuietDatabase(connection, timeoutMs) {
  const db = await mysql.createConnection(connection);
  const started = Date.now();
  let flushedBefore;
  let dirtyAtStart;
  try {
    for (;;) {
      const status = await globalStatus(db, [
        'Innodb_buffer_pool_pages_dirty',
        'Innodb_buffer_pool_pages_data',
        'Innodb_buffer_pool_pages_flushed',
      ]);
      const value = (name) => status[name] ?? 0;
      const [[history]] = await db.query(
        "SELECT COUNT AS n FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'",
      );
      const flushed = value('Innodb_buffer_pool_pages_flushed');
      const flushing = flushedBefore === undefined || flushed > flushedBefore;
      flushedBefore = flushed;
      const dirty = value('Innodb_buffer_pool_pages_dirty');
      dirtyAtStart ??= dirty;
      const fewDirty = dirty <= 0.01 * value('Innodb_buffer_pool_pages_data');
      const quiet = (fewDirty || !flushing) && Number(history?.n ?? 0) < 10_000;
      const seconds = Math.round((Date.now() - started) / 1000);
      if (quiet) return { seconds, quiet: true, dirtyAtStart, dirty };
      if (Date.now() - started > timeoutMs) return { seconds, quiet: false, dirtyAtStart, dirty };
      await new Promise((done) => setTimeout(done, 5000));
    }
  } finally {
    await db.end();
  }
}

/** Registers `options.members` members and credits each with orders; resolves with them. */
async function freshMembers(client) {
  const userIds = Array.from({ length: options.members }, (_, i) => 1_000_000 + i);
  const members = await step(`register ${userIds.length} members`, () =>
    registerMembers(client, userIds, 32),
  );
  const publisher = await openPublisher(env.amqpUrl);
  bench.onCleanUp(() => publisher.close());
  let orderId = 9_000_000_000;
  await step(`credit ${CREDITS_PER_MEMBER} orders each and wait for the balances`, async () => {
    const credits = members.flatMap((member) =>
      Array.from({ length: CREDITS_PER_MEMBER }, () => ({ member, orderId: String(orderId++) })),
    );
    await publishCredits(publisher, credits);
    await waitForBalances(client, members, () => CREDITS_PER_MEMBER * POINTS_PER_CREDIT, {
      timeoutMs: 120_000,
      concurrency: 32,
    });
  });
  return members;
}

/**
 * A uniform sample of `count` seeded members with at least 100 points (every spend takes 1), in
 * a fixed order for a given population, each with a member token.
 */
async function sampleSeededMembers(db, count) {
  const [rows] = await db.query(
    'SELECT member_id, user_id FROM point_account WHERE available >= 100 ORDER BY RAND(1) LIMIT ?',
    [count],
  );
  if (rows.length < count) {
    throw new Error(`only ${rows.length} seeded members hold 100 points or more; lower --members`);
  }
  return rows.map((row) => ({
    userId: String(row.user_id),
    memberId: String(row.member_id),
    token: mintToken({ sub: row.user_id, roles: ['member'], ttlSeconds: 3600 }),
  }));
}

async function accountCount(db) {
  const [[{ n }]] = await db.query('SELECT COUNT(*) AS n FROM point_account');
  return Number(n);
}

/** Until point-service has an account for `count` members (it opens them on member.registered.v1). */
async function waitForAccounts(db, count, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await accountCount(db);
    if (n >= count) return;
    if (Date.now() > deadline)
      throw new Error(`${n} of ${count} point accounts after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** What a point that could not be measured reports: no call, one error under its message. */
function failedPoint(error) {
  const key = `failed: ${String(error?.message ?? error)
    .split('\n')[0]
    .slice(0, 120)}`;
  return {
    ok: 0,
    errors: 1,
    errorsByKey: { [key]: 1 },
    seconds: 0,
    perSecond: 0,
    p50: null,
    p95: null,
    p99: null,
    calls: 0,
    generatorBusy: 0,
  };
}

/** The worker job of one point. */
function jobOf(scenario, connections, context, runIndex) {
  const job = {
    scenario,
    connections,
    seconds: options.duration,
    warmupSeconds: options.warmup,
    run: {
      index: runIndex,
      tag: `${env.id}-${runIndex}`,
      orderBase: 5_000_000_000_000 + runIndex * 1_000_000_000,
    },
  };
  if (scenario === 'hello') return { ...job, url: context.urls.hello, path: '/' };
  if (scenario === 'noop-rpc') return { ...job, url: context.urls.noop, path: '/noop' };
  if (SQL_BASELINES.includes(scenario))
    return { ...job, mysql: context.pointDb, members: context.members };
  const checkIns =
    scenario === 'check-in' ? context.checkInMembers.slice(context.checkInsUsed) : [];
  const counted =
    options.passes > 0 && CACHED_READS.includes(scenario)
      ? {
          calls: options.passes * context.members.length,
          warmupSeconds: 0,
          seconds: PASSES_TIME_LIMIT_SECONDS,
        }
      : {};
  return {
    ...job,
    ...counted,
    url: context.urls.gateway,
    members: context.members,
    run: { ...job.run, checkInMembers: checkIns },
  };
}

/**
 * InnoDB's page reads so far: from the buffer pool (`logical`) and from disk (`disk`, the
 * misses). Per call they tell a query that reads more pages, or a buffer pool too small for
 * the data, from everything else. Undefined when the server does not say.
 */
async function innodbPageReads(db) {
  if (!db) return undefined;
  try {
    const status = await globalStatus(db, [
      'Innodb_buffer_pool_read_requests',
      'Innodb_buffer_pool_reads',
    ]);
    return {
      logical: status.Innodb_buffer_pool_read_requests,
      disk: status.Innodb_buffer_pool_reads,
    };
  } catch {
    return undefined;
  }
}

/** Page reads per call between two readings, one decimal (whole machine: other load counts too). */
function perCall(before, after, calls) {
  if (!before || !after || !(calls > 0)) return undefined;
  const per = (key) => Math.round((10 * (after[key] - before[key])) / calls) / 10;
  return { logical: per('logical'), disk: per('disk') };
}

async function measureAll(context) {
  const points = [];
  let runIndex = 0;
  context.checkInsUsed = 0;
  // Load levels outermost: a scenario and its baseline run minutes apart at most, so a change in
  // the machine's other load shifts both.
  for (const connections of options.connections) {
    for (const scenario of options.scenarios) {
      const job = jobOf(scenario, connections, context, runIndex++);
      if (scenario === 'check-in' && job.run.checkInMembers.length === 0) {
        print(`• ${scenario} at ${connections} connection(s) ... skipped: no fresh member left`);
        points.push({
          scenario,
          connections,
          ...failedPoint('skipped'),
          errors: 0,
          errorsByKey: {},
        });
        points.at(-1).perSecond = null;
        points.at(-1).skipped = true;
        points.at(-1).stoppedEarly = true;
        continue;
      }
      const pagesBefore = await innodbPageReads(context.db);
      // A point that fails (a refused connection, a crashed worker) is reported, not fatal.
      const { result: summary, cpu } = await bench.withCpu(() =>
        step(`${scenario} at ${connections} connection(s)`, () =>
          measureInWorker(job, bench.signal).catch((error) => failedPoint(error)),
        ),
      );
      if (scenario === 'check-in') {
        context.checkInsUsed += Math.min(summary.calls, job.run.checkInMembers.length);
      }
      const pages = perCall(pagesBefore, await innodbPageReads(context.db), summary.calls);
      const point = { scenario, connections, ...summary, cpu, ...(pages ? { pages } : {}) };
      points.push(point);
      print(
        `    ${point.perSecond}/s  p50 ${point.p50}  p99 ${point.p99} ms  errors ${point.errors}` +
          (point.stoppedEarly ? '  (stopped early: no fresh member left)' : ''),
      );
    }
  }
  return points;
}

async function notesOf(points, context) {
  const notes = [];
  const hello = points.filter((p) => p.scenario === 'hello');
  const busiest = hello.reduce(
    (top, p) => (p.generatorBusy > (top?.generatorBusy ?? -1) ? p : top),
    undefined,
  );
  if (busiest) {
    notes.push(
      `Generator check: the bare Fastify server took ${Math.max(...hello.map((p) => p.perSecond))} req/s at best; ` +
        `the generator's event loop was at most ${Math.round(busiest.generatorBusy * 100)} % busy ` +
        `(at ${busiest.connections} connections)` +
        (busiest.generatorBusy >= 0.9
          ? ': it may have limited the hello-world rate, so that rate is a lower bound.'
          : ', so the server, not the generator, set that rate. The API scenarios run one to two orders of magnitude slower.'),
    );
  }
  const stopped = points.filter((p) => p.stoppedEarly);
  if (stopped.length > 0) {
    notes.push(
      `Check-in ran out of fresh members (${options.checkInMembers}) at ${stopped.map((p) => p.connections).join(', ')} connection(s): ` +
        'those points measured a shorter window; raise --check-in-members.',
    );
  }
  if (options.checkInMembers > 0) {
    notes.push(
      `Check-ins used ${context.checkInsUsed} of ${options.checkInMembers} fresh members, each once: every measured check-in is a first one of the business day (201), never a 409.`,
    );
  }
  if (settled) {
    notes.push(
      settled.quiet
        ? `Before the first measurement, MariaDB wrote out the seeding and the registrations (dirty pages ${settled.dirtyAtStart} → ${settled.dirty}, undo history) in ${settled.seconds} s.`
        : `MariaDB was still writing out the seeding and the registrations after ${settled.seconds} s (dirty pages ${settled.dirtyAtStart} → ${settled.dirty}): the figures were measured with that going on.`,
    );
  }
  notes.push(await ledgerNote(context.db));
  notes.push(
    `Outbox rows of point-service not yet published at the end of the run: ${await unpublishedOutboxRows(context.db)}.`,
  );
  notes.push(
    'The raw check-in baseline gives each call its own (member, business day) pair on days long past, so it never meets an "already checked in" row either.',
  );
  if (wants('lot-spend-floor')) {
    notes.push(
      'lot-spend-floor spends 1 point in two round trips per transaction (BEGIN, the account debited if it holds enough, the spendable lots locked in FIFO order; then the lots drawn, the history row, the allocations, the outbox row and COMMIT), on the same schema and members as raw-spend: spend and check-in are also shown as a share of it, with their own target.',
    );
  }
  return notes;
}

async function measure() {
  const context = await prepare();
  bench.budget(
    'measuring',
    pointCount *
      (Math.max(options.duration, options.passes > 0 ? PASSES_TIME_LIMIT_SECONDS : 0) +
        options.warmup +
        5) *
      1000 +
      300_000,
  );
  const points = await measureAll(context);
  const notes = await notesOf(points, context);
  return {
    machine: await describeMachine({ root, env, db: context.db, loadAtStart: bench.loadAtStart }),
    settings: {
      ...options,
      help: undefined,
      serviceSettings:
        'service defaults (MYSQL_POOL_SIZE=24 for point-service and 10 for the others, RPC_PREFETCH=32, Redis caches on); gateway rate limits raised to 10^9 per window',
    },
    points,
    notes,
  };
}

await bench.run({
  title: `API bench ${env.id}: ${options.duration} s per point (+${options.warmup} s warm-up), connections ${options.connections.join(', ')}, ${options.scenarios.length} scenarios`,
  measure,
  stopLabel: 'stop everything, drop the schemas, vhosts, Redis keys and the build',
  finish: async (report) => {
    await writeBenchReports(OUT, report);
    print(`\n${textTable(RESULT_COLUMNS, resultRows(report.points))}\n`);
    print(`Targets:\n${textTable(TARGET_COLUMNS, targetTableRows(report.points))}\n`);
    report.notes.forEach((note) => print(`- ${note}`));
    print(`\nWrote ${OUT.markdownPath}, ${OUT.jsonPath} and ${OUT.svgPath}`);
  },
});

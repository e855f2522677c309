#!/usr/bin/env node
// `npm run bench:events`: how many order.completed.v1 a second the platform turns into points, and
// how fast, on a fleet of its own (schemas, vhost and Redis prefix of the run), open loop.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { mintToken } from '../lib/jwt.mjs';
import { BenchEnvironment } from './environment.mjs';
import { BenchRun, parseCommandLine, print } from './harness.mjs';
import { describeMachine } from './machine.mjs';
import { openPlatformPublisher } from './order-events/publisher.mjs';
import { formatTable, writeReports } from './order-events/report.mjs';
import { runStep } from './order-events/steps.mjs';
import { ArrivalTracker } from './order-events/tracker.mjs';
import { Random } from './scale-seed/random.mjs';
import { seedScale } from './scale-seed/seeder.mjs';

const USAGE = `Usage: npm run bench:events -- [options]

Builds, starts member-service and point-service (and the gateway) on schemas, a RabbitMQ vhost and a
Redis prefix of their own, seeds members with npm run seed:scale's model, then publishes
order.completed.v1 at each rate for some seconds and measures each order's time from publishing
to its points in point-service's ledger. Writes docs/performance/order-events.{json,md}, then stops
the apps and removes what it created.

  --rates <list>      events per second, one step each (default 50,100,200,300,400)
  --seconds <n>       seconds per rate (default 20)
  --members <n>       seeded members the orders go to (default 5000)
  --poll-ms <n>       poll interval of the ledger (default 25)
  --quick             a short smoke run: rates 20,50 for 5 s each, 500 members
  --no-build          use dist/ as it is (default: node tools/build.mjs first)
  -h, --help          show this help`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = {
  jsonPath: join(root, 'docs/performance/order-events.json'),
  markdownPath: join(root, 'docs/performance/order-events.md'),
};
const HISTORY_PER_MEMBER = 10;
/** The settings that bound the path's throughput and latency, with the services' defaults. */
const SERVICE_SETTINGS = [
  ['EVENT_PREFETCH', 64],
  ['EVENT_BATCH_SIZE', 32],
  ['MYSQL_POOL_SIZE', '10, point-service 24'],
  ['OUTBOX_POLL_MS', 100],
  ['OUTBOX_BATCH_SIZE', 200],
];
const DRAIN_MS = 60_000;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rates: { type: 'string', default: '50,100,200,300,400' },
      seconds: { type: 'string', default: '20' },
      members: { type: 'string', default: '5000' },
      'poll-ms': { type: 'string', default: '25' },
      quick: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const whole = (name, value) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1 || n > 1_000_000) {
      throw new Error(`--${name} must be a whole number from 1, got "${value}"`);
    }
    return n;
  };
  const quick = values.quick;
  return {
    help: values.help,
    rates: (quick ? '20,50' : values.rates).split(',').map((rate) => whole('rates', rate.trim())),
    seconds: quick ? 5 : whole('seconds', values.seconds),
    members: quick ? 500 : whole('members', values.members),
    pollMs: whole('poll-ms', values['poll-ms']),
    build: !values['no-build'],
  };
}

const { help: _help, ...options } = parseCommandLine('bench:events', USAGE, parseOptions);
const env = new BenchEnvironment(root);
const bench = new BenchRun(env);
bench.budget('running', options.rates.length * (options.seconds * 1000 + DRAIN_MS) + 240_000);

/**
 * Runs a job now through the gateway as an admin: starts it (202, an admin job) and polls the job
 * until it has finished, for at most two minutes; resolves with its result (or the error answer).
 */
async function runJob(gatewayUrl, job) {
  const token = mintToken({ sub: 1, roles: ['admin'], perms: ['system:write'], ttlSeconds: 600 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = await fetch(`${gatewayUrl}/api/v1/admin/jobs/${job}/run`, {
    method: 'POST',
    headers,
    body: '{}',
    signal: AbortSignal.timeout(10_000),
  });
  let answer = await started.json().catch(() => ({}));
  if (started.status !== 202) return { status: started.status, code: answer.code };
  const deadline = Date.now() + 120_000;
  while (answer.status !== 'succeeded' && answer.status !== 'failed') {
    if (Date.now() > deadline) return { job: answer.id, status: answer.status, timedOut: true };
    await new Promise((resolve) => setTimeout(resolve, 500));
    const read = await fetch(`${gatewayUrl}/api/v1/admin/jobs/${answer.id}`, {
      headers,
      signal: AbortSignal.timeout(10_000),
    });
    answer = await read.json().catch(() => ({}));
  }
  if (answer.status === 'failed') return { job: answer.id, error: answer.error };
  const { accounts, drifted } = answer.result?.result ?? {};
  return { outcome: answer.result?.outcome, accounts, drifted };
}

async function main() {
  const step = (label, work) => bench.step(label, work);
  if (options.build) {
    await step('build', () =>
      promisify(execFile)(process.execPath, [join(root, 'tools/build.mjs')]),
    );
  }
  await step(`RabbitMQ vhost ${env.vhost}`, () => env.createVhost());
  await step('migrate gateway, member-service, point-service', () => env.migrate());
  const schemas = { member: env.schemaOf('member'), point: env.schemaOf('point') };
  const seeded = await step(`seed ${options.members} members`, () =>
    seedScale({
      schemas,
      members: options.members,
      transactions: options.members * HISTORY_PER_MEMBER,
      seed: 1,
      connection: env.mysqlOptions(undefined),
    }),
  );
  const gatewayUrl = await step('start the apps', () => env.start());
  const publisher = await openPlatformPublisher(env.amqpUrl);
  bench.onCleanUp(() => publisher.close());
  const tracker = new ArrivalTracker({
    memberDb: env.mysqlOptions(schemas.member),
    pointDb: env.mysqlOptions(schemas.point),
    pollMs: options.pollMs,
  });
  bench.onCleanUp(() => tracker.stop());
  await tracker.open();
  tracker.start();

  const random = new Random(20_251_125);
  const firstUser = BigInt(seeded.userIds[0]);
  let orderSeq = 9_000_000_000;
  const nextOrder = () => ({
    orderId: String(orderSeq++),
    userId: String(firstUser + BigInt(random.int(0, options.members - 1))),
    amountCents: random.int(2_000, 80_000),
  });
  const run = (rate, seconds) =>
    runStep({
      env,
      publisher,
      tracker,
      rate,
      seconds,
      nextOrder,
      drainMs: DRAIN_MS,
      signal: bench.signal,
    });
  await step('warm up (10 events/s for 3 s)', () => run(10, 3));

  const steps = [];
  for (const rate of options.rates) {
    const result = await step(`${rate} events/s for ${options.seconds} s`, () =>
      run(rate, options.seconds),
    );
    steps.push(result);
    print(
      `    p50 ${result.p50} ms, p99 ${result.p99} ms, backlog at end ${result.backlogAtEnd}, ${result.sustainable ? 'sustainable' : 'NOT sustainable'}`,
    );
    if (result.credited < result.published) {
      print(
        `    ${result.published - result.credited} orders not credited after ${DRAIN_MS / 1000} s: stopping here`,
      );
      break;
    }
  }
  const reconciled = await step('run point-service reconcile-points', () =>
    runJob(gatewayUrl, 'reconcile-points'),
  );
  let maxSustainable = null;
  for (const result of steps) {
    if (!result.sustainable) break;
    maxSustainable = result.rate;
  }
  const db = await mysql.createConnection(env.mysqlOptions(schemas.point));
  try {
    const notes = [
      `Seeded with seed:scale (seed 1): ${options.members} members, ${seeded.tables['point.point_transaction'].rows} point history rows, levels ${JSON.stringify(seeded.levels)}.`,
      `The services' settings: ${SERVICE_SETTINGS.map(([name, fallback]) => `${name}=${process.env[name] || `${fallback} (default)`}`).join(', ')}; one instance each.`,
      ...(bench.loadAtStart[0] > os.cpus().length
        ? [
            `The machine was busy before the bench started (load average ${bench.loadAtStart[0].toFixed(1)} on ${os.cpus().length} cores): the figures are pessimistic.`,
          ]
        : []),
      `point-service's reconcile-points job afterwards (POST /admin/jobs/reconcile-points/run): ${JSON.stringify(reconciled)}.`,
      `The bench polled ${tracker.rounds} rounds; the publisher was at worst ${Math.max(...steps.map((s) => s.publisherWorstLateMs))} ms behind its schedule.`,
    ];
    return {
      machine: await describeMachine({ root, env, db, loadAtStart: bench.loadAtStart }),
      settings: {
        rates: options.rates,
        seconds: options.seconds,
        members: options.members,
        historyPerMember: HISTORY_PER_MEMBER,
        pollMs: options.pollMs,
        services: 'member-service, point-service (gateway idle), one process each',
      },
      steps,
      maxSustainable,
      notes,
    };
  } finally {
    await db.end();
  }
}

await bench.run({
  title: `Order-event bench ${env.id}: rates ${options.rates.join(', ')} events/s, ${options.seconds} s each`,
  measure: main,
  stopLabel: 'stop the apps, drop the schemas, vhost and Redis keys',
  finish: async (report) => {
    await writeReports(OUT, report);
    print(`\n${formatTable(report.steps)}\n`);
    print(`Highest sustainable rate: ${report.maxSustainable ?? 'none'} events/s`);
    print(`Wrote ${OUT.markdownPath} and ${OUT.jsonPath}`);
  },
});

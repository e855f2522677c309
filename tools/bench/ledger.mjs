#!/usr/bin/env node
// `npm run bench:ledger`: spend, earn and balance rates of the points ledger through the gateway, next to a raw-SQL baseline, on a fleet of its own.
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { BenchEnvironment } from './environment.mjs';
import { BenchRun, parseCommandLine, print } from './harness.mjs';
import { httpClient, runLoad } from './load.mjs';
import { rawPool, spendOnce } from './raw-spend.mjs';
import { describeMachine } from './machine.mjs';
import { formatCpu, formatTable, writeReports } from './report.mjs';
import {
  batchEarnScenario,
  earnScenario,
  ledgerNote,
  readBalance,
  spendViaGateway,
  unpublishedOutboxRows,
} from './scenarios.mjs';
import {
  POINTS_PER_CREDIT,
  openPublisher,
  publishCredits,
  registerMembers,
  waitForBalances,
} from './seed.mjs';

const USAGE = `Usage: npm run bench:ledger -- [options]

Builds, starts gateway, member-service and point-service on a schema set, RabbitMQ vhost and Redis
prefix of their own (loopback, free ports), seeds members and points, measures spends (one hot
member, many members), earns (events) and balance reads, plus the same spend SQL run raw, prints a
table, writes docs/performance/ledger.{json,md}, then stops the apps and removes what it created.

  --seconds <n>       measured seconds per scenario (default 10)
  --concurrency <n>   connections / workers per scenario (default 32)
  --members <n>       members for the "many" scenarios (default 200)
  --earn-events <n>   member.order-credited.v1 events in the earn scenario (default 2000)
  --batches <n>       admin batch earns of 5000 items in the batch scenario (default 5)
  --warmup <n>        unmeasured seconds before each timed scenario (default 1)
  -h, --help          show this help`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = {
  jsonPath: join(root, 'docs/performance/ledger.json'),
  markdownPath: join(root, 'docs/performance/ledger.md'),
};
/** The hot member's credited orders: enough points for a raw-SQL run on one row. */
const HOT_CREDITS = 10;
/** Items per admin batch earn: the most one call takes. */
const BATCH_ITEMS = 5000;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '32' },
      members: { type: 'string', default: '200' },
      'earn-events': { type: 'string', default: '2000' },
      batches: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const numbers = Object.fromEntries(
    ['seconds', 'concurrency', 'members', 'earn-events', 'batches', 'warmup'].map((name) => {
      const value = Number(values[name]);
      const min = name === 'warmup' ? 0 : 1;
      if (!Number.isSafeInteger(value) || value < min || value > 100_000) {
        throw new Error(`--${name} must be a whole number from ${min}, got "${values[name]}"`);
      }
      return [name.replace(/-(\w)/g, (_, letter) => letter.toUpperCase()), value];
    }),
  );
  return { help: values.help, ...numbers };
}

const { help: _help, ...options } = parseCommandLine('bench:ledger', USAGE, parseOptions);
const env = new BenchEnvironment(root);
const bench = new BenchRun(env);
bench.budget('running', 6 * (options.seconds + options.warmup) * 1000 + 180_000);
let orderSeq = 1_000_000_000;
const nextOrderId = () => String(orderSeq++);

async function main() {
  const step = (label, work) => bench.step(label, work);
  await step('build', () => promisify(execFile)(process.execPath, [join(root, 'tools/build.mjs')]));
  await step(`RabbitMQ vhost ${env.vhost}`, () => env.createVhost());
  await step('migrate gateway, member-service, point-service', () => env.migrate());
  const gatewayUrl = await step('start them', () => env.start());
  const client = httpClient(gatewayUrl, options.concurrency);
  bench.onCleanUp(() => client.close());

  const userIds = Array.from({ length: options.members + 1 }, (_, i) => 1_000_000 + i);
  const members = await step(`register ${userIds.length} members`, () =>
    registerMembers(client, userIds, Math.min(16, options.concurrency)),
  );
  const hot = members.find((member) => member.userId === String(userIds[0]));
  const many = members.filter((member) => member !== hot);
  const publisher = await openPublisher(env.amqpUrl);
  bench.onCleanUp(() => publisher.close());
  await step('credit their points and wait for the balances', async () => {
    const credits = [
      ...Array.from({ length: HOT_CREDITS }, () => ({ member: hot, orderId: nextOrderId() })),
      ...many.map((member) => ({ member, orderId: nextOrderId() })),
    ];
    await publishCredits(publisher, credits);
    const expected = (member) => (member === hot ? HOT_CREDITS : 1) * POINTS_PER_CREDIT;
    await waitForBalances(client, members, expected, { timeoutMs: 60_000, concurrency: 16 });
  });

  const pointDb = env.mysqlOptions(env.schemaOf('point'));
  const pool = rawPool(pointDb, options.concurrency);
  bench.onCleanUp(() => pool.end());
  const db = await mysql.createConnection({
    ...pointDb,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  try {
    const load = (task) =>
      runLoad({
        task,
        concurrency: options.concurrency,
        seconds: options.seconds,
        warmupSeconds: options.warmup,
        signal: bench.signal,
      });
    // Each raw spend on an order of its own, as the gateway spends.
    const raw = (pick) => (n) => spendOnce(pool, pick(n), nextOrderId());
    const one = () => hot;
    const roundRobin = (n) => many[n % many.length];
    const results = [];
    /** Runs one scenario; adds each process's CPU use over it, in % of one core. */
    const measure = async (name, work) => {
      const { result, cpu } = await bench.withCpu(() => step(name, work));
      const measured = { name, ...result, cpu };
      results.push(measured);
      return measured;
    };

    const gatewayOne = await measure('spend, one member', () =>
      load(spendViaGateway(client, one, nextOrderId)),
    );
    const backlogOne = await unpublishedOutboxRows(db);
    const rawOne = await measure('spend, one member, raw SQL', () => load(raw(one)));
    const gatewayMany = await measure('spend, many members', () =>
      load(spendViaGateway(client, roundRobin, nextOrderId)),
    );
    const backlogMany = await unpublishedOutboxRows(db);
    const rawMany = await measure('spend, many members, raw SQL', () => load(raw(roundRobin)));
    gatewayOne.ratio = gatewayOne.perSecond / rawOne.perSecond;
    gatewayMany.ratio = gatewayMany.perSecond / rawMany.perSecond;
    const earned = await measure('earn (events)', () =>
      earnScenario({
        db,
        publisher,
        members: many,
        count: options.earnEvents,
        nextOrderId,
        timeoutMs: Math.max(60_000, options.seconds * 6000),
        signal: bench.signal,
      }),
    );
    await measure('balance, many members', () => load(readBalance(client, roundRobin)));
    await measure(`earn batch of ${BATCH_ITEMS} (admin)`, () =>
      batchEarnScenario({
        client,
        members: many,
        batches: options.batches,
        items: BATCH_ITEMS,
        runTag: env.id,
      }),
    );

    const notes = [
      await ledgerNote(db),
      `Outbox rows of point-service not yet published right after the spends through the gateway: ${backlogOne} (one member), ${backlogMany} (many members).`,
      `Earn: the broker confirmed the ${options.earnEvents} events at ${earned.publishedPerSecond}/s; ` +
        (earned.errors === 0
          ? `the ledger showed them all after ${earned.seconds} s.`
          : `${earned.errors} were still not in the ledger after ${earned.seconds} s.`),
      'The services keep their default MySQL pool (MYSQL_POOL_SIZE: 24 connections for point-service, 10 for the others) and RPC prefetch (32); the raw-SQL pool has as many connections as the concurrency.',
    ];
    return {
      machine: await describeMachine({ root, env, db, loadAtStart: bench.loadAtStart }),
      settings: { ...options },
      results,
      notes,
    };
  } finally {
    await db.end();
  }
}

await bench.run({
  title: `Ledger bench ${env.id}: ${options.seconds} s per scenario at concurrency ${options.concurrency}`,
  measure: main,
  stopLabel: 'stop the apps, drop the schemas, vhost and Redis keys',
  finish: async (report) => {
    await writeReports(OUT, report);
    print(
      `\n${formatTable(report.results)}\n\nCPU, % of one core:\n${formatCpu(report.results)}\n`,
    );
    report.notes.forEach((note) => print(`- ${note}`));
    print(`\nWrote ${OUT.markdownPath} and ${OUT.jsonPath}`);
  },
});

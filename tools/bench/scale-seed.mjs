#!/usr/bin/env node
// `npm run seed:scale`: fills a fleet's databases with a realistic, ledger-consistent dataset in bulk.
// Importable too: `import { seedScale, fleetSchemas } from './scale-seed.mjs'`.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { dependencySettings } from '../dev/dependencies.mjs';
import mysql from 'mysql2/promise';
import { DEFAULT_SCHEMAS, fleetSchemas, seedScale } from './scale-seed/seeder.mjs';
import { verifySeed } from './scale-seed/verify.mjs';

export { DEFAULT_SCHEMAS, fleetSchemas, seedScale };

const USAGE = `Usage: npm run seed:scale -- [options]

Seeds members (PII sealed as member-service does), their orders and levels, the points ledger
(earns from orders, check-ins, reviews and birthdays, spends, holds, expiries) and the level
projections of benefit-service and event-service, consistent with the ledger's invariants.
Refuses schemas that hold members already unless --append.

  --members <n>        members (default 1000)
  --transactions <n>   point history rows, about (default 20 per member)
  --seed <n>           randomness seed, for the same data again (default 1)
  --run-id <id>        seed a fleet's schemas ms_<id>_member, _point, _benefit, _event
                       (default: npm start's ms_member, ms_point, ms_benefit, ms_event)
  --member-schema, --point-schema, --benefit-schema, --event-schema <name>
                       one schema by name ("-" to leave benefit or event out)
  --append             add to schemas that hold members already
  --method <m>         load (LOAD DATA LOCAL INFILE, default) or insert (multi-row INSERTs)
  --concurrency <n>    connections loading at once (default 4)
  --verify             afterwards, run point-service's reconciliation SQL and cross-table checks
  --no-pii             leave the PII columns NULL (no phone, email or birthday ciphertext)
  --years <n>          years of history up to now (default 3)
  --now <time>         the end of the history, ISO 8601 (default: now); with --seed, the same rows
  -h, --help           show this help`;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      members: { type: 'string', default: '1000' },
      transactions: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'run-id': { type: 'string' },
      'member-schema': { type: 'string' },
      'point-schema': { type: 'string' },
      'benefit-schema': { type: 'string' },
      'event-schema': { type: 'string' },
      append: { type: 'boolean', default: false },
      method: { type: 'string', default: 'load' },
      concurrency: { type: 'string', default: '4' },
      verify: { type: 'boolean', default: false },
      'no-pii': { type: 'boolean', default: false },
      years: { type: 'string', default: '3' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  const whole = (name, value, min) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number ≥ ${min}`);
    return n;
  };
  const members = whole('members', values.members, 1);
  if (values['run-id'] !== undefined && !/^[A-Za-z0-9_]+$/.test(values['run-id'])) {
    throw new Error('--run-id takes letters, digits and _ only');
  }
  const schemas = { ...(values['run-id'] ? fleetSchemas(values['run-id']) : DEFAULT_SCHEMAS) };
  for (const service of Object.keys(DEFAULT_SCHEMAS)) {
    const named = values[`${service}-schema`];
    if (named === '-') delete schemas[service];
    else if (named) schemas[service] = named;
  }
  const now = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (Number.isNaN(now)) throw new Error('--now must be an ISO 8601 time');
  return {
    now,
    schemas,
    members,
    transactions: whole('transactions', values.transactions ?? members * 20, 0),
    seed: whole('seed', values.seed, 0),
    append: values.append,
    method: values.method,
    concurrency: whole('concurrency', values.concurrency, 1),
    pii: !values['no-pii'],
    verify: values.verify,
    years: whole('years', values.years, 1),
  };
}

/** The table of rows and rates per table, for the terminal. */
export function formatSummary(summary) {
  const rows = Object.entries(summary.tables).map(([key, { rows, busySeconds }]) => [
    key,
    String(rows),
    String(Math.round(rows / summary.seconds)),
    busySeconds > 0 ? String(Math.round(rows / busySeconds)) : '–',
  ]);
  const total = rows.reduce((sum, row) => sum + Number(row[1]), 0);
  rows.push(['all tables', String(total), String(Math.round(total / summary.seconds)), '']);
  const header = ['table', 'rows', 'rows/s (wall)', 'rows/s (own load time)'];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const line = (row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const levels = Object.entries(summary.levels)
    .map(([id, n]) => `${id}: ${n} (${((100 * n) / summary.members).toFixed(1)} %)`)
    .join(', ');
  return [
    line(header),
    ...rows.map(line),
    '',
    `${summary.members} members in ${summary.seconds.toFixed(1)} s with ${summary.method}; levels ${levels}`,
    `member ids ${summary.memberIds.join('–')}, user ids ${summary.userIds.join('–')}`,
  ].join('\n');
}

/** Prints the checks of verify.mjs; exits 1 when any finds a disagreeing row. */
async function verify(schemas, connection) {
  const db = await mysql.createConnection({ ...connection, supportBigNumbers: true });
  try {
    const since = performance.now();
    const { checks, samples } = await verifySeed(db, schemas);
    const seconds = ((performance.now() - since) / 1000).toFixed(1);
    console.log(`\nChecks (${seconds} s), rows that disagree:`);
    for (const [name, n] of Object.entries(checks)) console.log(`  ${name.padEnd(26)} ${n}`);
    if (Object.values(checks).some((n) => n > 0)) {
      console.log(JSON.stringify(samples, null, 2));
      process.exitCode = 1;
    }
  } finally {
    await db.end();
  }
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`seed:scale: ${error.message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const { host, port, user, password } = dependencySettings().mysql;
  console.log(
    `Seeding ${options.members} members, ~${options.transactions} history rows into ${Object.values(options.schemas).join(', ')}`,
  );
  try {
    const summary = await seedScale({
      ...options,
      connection: { host, port, user, password },
      log: (text) => console.log(`  ${text}`),
    });
    console.log(`\n${formatSummary(summary)}`);
    if (options.verify) await verify(options.schemas, { host, port, user, password });
  } catch (error) {
    console.error(`seed:scale: ${error.message}`);
    if (!/already hold|lacks|must be/.test(error.message)) {
      console.error(
        'The schemas may hold part of the rows now: drop them and migrate again before seeding anew.',
      );
    }
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

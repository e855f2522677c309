// The scale seeder against fresh schemas of its own (the services' migrations from dist/): the data
// passes point-service's reconciliation with zero drift and the cross-table checks, every level is
// there, a second run is refused unless --append, and an append keeps everything consistent.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import mysql from 'mysql2/promise';
import { dependencySettings } from '../dev/dependencies.mjs';
import { dropSchemas, ensureBuilt, migrateSchemas } from './scale-seed/fleet-schemas.mjs';
import { DEFAULT_LEVELS, expiryOf, levelFor } from './scale-seed/rules.mjs';
import { verifySeed } from './scale-seed/verify.mjs';
import { fleetSchemas, seedScale } from './scale-seed.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const runId = `sd${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const run = { schemas: fleetSchemas(runId), vhost: `ms_${runId}` };
const connection = dependencySettings().mysql;

/** Why the test cannot run here (MySQL or RabbitMQ not answering), or false. */
async function missingDependency() {
  try {
    const db = await mysql.createConnection({ ...connection, connectTimeout: 2000 });
    await db.end();
  } catch {
    return 'MySQL is not reachable';
  }
  try {
    const broker = await amqp.connect(dependencySettings().rabbitmq.url, { timeout: 2000 });
    await broker.close();
  } catch {
    return 'RabbitMQ is not reachable';
  }
  return false;
}

const skip = await missingDependency();

describe('seed:scale rules', () => {
  it('expires at the end of the business day two years on (Asia/Shanghai), 29 Feb on 28 Feb', () => {
    const iso = (text) => new Date(expiryOf(Date.parse(text))).toISOString();
    assert.equal(iso('2026-05-05T15:59:59Z'), '2028-05-05T15:59:59.999Z');
    assert.equal(iso('2026-05-05T16:00:00Z'), '2028-05-06T15:59:59.999Z');
    assert.equal(iso('2024-02-29T04:00:00Z'), '2026-02-28T15:59:59.999Z');
  });

  it('finds the level of a total spent by the thresholds of docs/api/contract.md', () => {
    const level = (cents) => levelFor(DEFAULT_LEVELS, cents).id;
    assert.deepEqual(
      [0, 99_999, 100_000, 499_999, 500_000, 2_000_000, 5_000_000].map(level),
      [1, 1, 2, 2, 3, 4, 5],
    );
  });
});

describe('seed:scale', { skip }, () => {
  let db;

  before(async () => {
    await ensureBuilt(root);
    await migrateSchemas(root, { ...run, services: ['member', 'point', 'benefit', 'event'] });
    db = await mysql.createConnection({ ...connection, supportBigNumbers: true });
  });

  after(async () => {
    await db?.end();
    const problems = await dropSchemas(run);
    assert.deepEqual(problems, []);
  });

  const zeroChecks = (checks) => Object.fromEntries(Object.keys(checks).map((name) => [name, 0]));

  it('seeds a small fleet that reconciles with zero drift and has every level', async () => {
    const summary = await seedScale({
      schemas: run.schemas,
      members: 200,
      transactions: 3000,
      seed: 42,
      connection,
    });
    const history = summary.tables['point.point_transaction'].rows;
    assert.ok(history > 2000 && history < 4000, `${history} history rows for ~3000`);
    assert.equal(summary.tables['member.member'].rows, 200);
    assert.equal(summary.tables['event.member_level'].rows, 200);

    const { checks, levels } = await verifySeed(db, run.schemas);
    assert.deepEqual(checks, zeroChecks(checks));
    assert.deepEqual(Object.keys(levels), ['1', '2', '3', '4', '5']);
    assert.ok(levels[1] + levels[2] > 150, `mostly Regular and Silver: ${JSON.stringify(levels)}`);
    assert.ok(levels[5] < 10, `few Diamond: ${JSON.stringify(levels)}`);
    const [[months]] = await db.query(
      `SELECT COUNT(DISTINCT DATE_FORMAT(created_at, '%Y-%m')) AS n FROM \`${run.schemas.point}\`.point_transaction`,
    );
    assert.ok(Number(months.n) >= 30, `history over ~3 years, got ${months.n} months`);
    const [[sealed]] = await db.query(
      `SELECT COUNT(*) AS n FROM \`${run.schemas.member}\`.member WHERE phone_ciphertext LIKE 'dev1:%' AND phone_blind_index IS NOT NULL`,
    );
    assert.ok(Number(sealed.n) > 150, 'phones sealed with the development key');
  });

  it('refuses schemas that hold members already, and appends on request', async () => {
    const more = { schemas: run.schemas, members: 50, transactions: 500, seed: 7, connection };
    await assert.rejects(seedScale(more), /already hold 200 member\(s\)/);

    const summary = await seedScale({ ...more, append: true });
    assert.deepEqual(summary.memberIds, ['201', '250']);
    const { checks, levels } = await verifySeed(db, run.schemas);
    assert.deepEqual(checks, zeroChecks(checks));
    assert.equal(
      Object.values(levels).reduce((sum, n) => sum + n, 0),
      250,
    );
  });
});

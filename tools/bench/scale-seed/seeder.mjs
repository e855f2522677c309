// seedScale(): fills a fleet's schemas with members, orders, point history, holds and level
// projections, generated member by member (member-model.mjs) and bulk-loaded (loader.mjs).
import { setImmediate as yieldToIo } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { Batches, Loader, METHODS } from './loader.mjs';
import { profileOf, simulateMember } from './member-model.mjs';
import { PiiSealer, piiKeysFrom } from './pii.mjs';
import { DAY_MS } from './rules.mjs';
import {
  checkTables,
  ensureMonthlyPartitions,
  existingMembers,
  levelsOf,
  nextIds,
} from './schemas.mjs';
import { TABLES } from './tables.mjs';

/** The schemas `npm start` uses (`npm run migrate` creates them). */
export const DEFAULT_SCHEMAS = Object.freeze({
  member: 'ms_member',
  point: 'ms_point',
  benefit: 'ms_benefit',
  event: 'ms_event',
});

/** A fleet's schemas as the bench and e2e tools name them: `ms_<runId>_<suffix>`. */
export const fleetSchemas = (runId) =>
  Object.fromEntries(Object.keys(DEFAULT_SCHEMAS).map((s) => [s, `ms_${runId}_${s}`]));

/** Members generated between checks of the loader's backlog. */
const STRIDE = 250;

/**
 * Seeds `members` members and about `transactions` point history rows into `schemas`
 * (`{ member, point, benefit?, event? }`: the last two are optional). Refuses schemas that hold
 * members unless `append`. Resolves with what it wrote: rows and load seconds per table, the level
 * distribution, and the member and user id ranges.
 */
export async function seedScale(options) {
  const {
    schemas,
    members,
    transactions,
    seed = 1,
    append = false,
    method = 'load',
    concurrency = 4,
    pii = true,
    years = 3,
    now = Date.now(),
    connection = { host: '127.0.0.1', port: 3306, user: 'root', password: '' },
    log = () => {},
  } = options;
  if (!schemas?.member || !schemas?.point)
    throw new Error('schemas.member and schemas.point are required');
  if (!METHODS.includes(method)) throw new Error(`method must be one of ${METHODS.join(', ')}`);
  const services = Object.keys(DEFAULT_SCHEMAS).filter((service) => schemas[service]);
  const used = Object.fromEntries(services.map((service) => [service, schemas[service]]));
  const db = await mysql.createConnection({ ...connection, supportBigNumbers: true });
  const loader = new Loader({ connection, method, concurrency });
  try {
    await checkTables(db, used, TABLES);
    const already = await existingMembers(db, used);
    if (already > 0 && !append) {
      throw new Error(
        `${schemas.member} / ${schemas.point} already hold ${already} member(s): pass --append to add more`,
      );
    }
    const levels = await levelsOf(db, used);
    const ids = await nextIds(db, used);
    const partitions = await ensureMonthlyPartitions(db, schemas.point, new Date(now));
    log(`partitions added: ${partitions.length > 0 ? partitions.join(' ') : 'none'}`);
    await loader.open();

    const started = performance.now();
    const start = now - years * 365 * DAY_MS;
    const profiles = Array.from({ length: members }, (_, i) => profileOf(seed, i, { start, now }));
    const totalWeight = profiles.reduce((sum, profile) => sum + profile.weight, 0);
    const targets = new Map(
      services.flatMap((service) =>
        Object.entries(TABLES[service]).map(([table, columns]) => [
          `${service}.${table}`,
          { schema: schemas[service], table, columns },
        ]),
      ),
    );
    const batches = new Batches({ method, targets, onBatch: (batch) => loader.enqueue(batch) });
    const context = {
      seed,
      now,
      levels,
      ids,
      pii: pii ? new PiiSealer(piiKeysFrom()) : undefined,
      memberIdBase: ids.member,
      userIdBase: ids.user,
      withBenefit: Boolean(schemas.benefit),
      withEvent: Boolean(schemas.event),
    };
    const levelCounts = Object.fromEntries(levels.map((level) => [level.id, 0]));
    const add = (key, values) => batches.add(key, values);
    for (let i = 0; i < members; i += 1) {
      const expected = (transactions * profiles[i].weight) / totalWeight;
      levelCounts[simulateMember(context, i, profiles[i], expected, add).level] += 1;
      batches.memberDone();
      if (i % STRIDE === STRIDE - 1) {
        await loader.below(concurrency * 2);
        await yieldToIo();
      }
      if (i % 100_000 === 99_999) log(`${i + 1} members generated`);
    }
    batches.flushAll();
    await loader.drain();
    const seconds = (performance.now() - started) / 1000;
    return {
      seconds,
      method,
      members,
      memberIds: [ids.member, ids.member + members - 1].map(String),
      userIds: [ids.user, ids.user + members - 1].map(String),
      levels: levelCounts,
      tables: Object.fromEntries(
        [...targets.keys()].map((key) => {
          const stat = loader.stats[key] ?? { rows: 0, ms: 0 };
          return [key, { rows: stat.rows, busySeconds: stat.ms / 1000 }];
        }),
      ),
    };
  } finally {
    await loader.close();
    await db.end();
  }
}

// What the seeder reads from the schemas before writing: that they are empty (or appended to), the
// level ladder and its benefits, where the ids go on, and monthly partitions for the seeded dates.
import { DEFAULT_LEVELS } from './rules.mjs';

const q = (name) => `\`${name.replaceAll('`', '``')}\``;

/** Throws unless every table the seeder writes exists in its schema. */
export async function checkTables(db, schemas, tables) {
  for (const [service, schema] of Object.entries(schemas)) {
    const [rows] = await db.query(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
      [schema],
    );
    const present = new Set(rows.map((row) => row.name));
    const missing = Object.keys(tables[service]).filter((table) => !present.has(table));
    if (missing.length > 0) {
      throw new Error(
        `schema ${schema} lacks ${missing.join(', ')}: run the ${service} migrations first (npm run migrate)`,
      );
    }
  }
}

/** How many members the schemas hold already (member-service's or point-service's). */
export async function existingMembers(db, schemas) {
  const [[members]] = await db.query(`SELECT COUNT(*) AS n FROM ${q(schemas.member)}.member`);
  const [[accounts]] = await db.query(
    `SELECT COUNT(*) AS n FROM ${q(schemas.point)}.point_account`,
  );
  return Math.max(Number(members.n), Number(accounts.n));
}

/**
 * The ladder from member-service's `level` table, each level's order multiplier (point-service's
 * `level_multiplier`, else the default) and birthday gift (benefit-service's BIRTHDAY_GIFT benefit
 * when its schema is seeded, else the default).
 */
export async function levelsOf(db, schemas) {
  const [ladder] = await db.query(
    `SELECT id, min_total_spent_cents AS min FROM ${q(schemas.member)}.level ORDER BY min_total_spent_cents`,
  );
  const [multipliers] = await db.query(
    `SELECT level_id, hundredths FROM ${q(schemas.point)}.level_multiplier`,
  );
  const gifts = new Map();
  if (schemas.benefit) {
    const [rows] = await db.query(
      `SELECT id, level_id, params FROM ${q(schemas.benefit)}.benefit
        WHERE type = 'BIRTHDAY_GIFT' AND enabled = 1 AND deleted_at IS NULL
          AND valid_from IS NULL AND valid_until IS NULL ORDER BY id`,
    );
    for (const row of rows) {
      const params = typeof row.params === 'string' ? JSON.parse(row.params) : row.params;
      gifts.set(Number(row.level_id), { benefitId: Number(row.id), points: Number(params.points) });
    }
  }
  return ladder.map((row) => {
    const id = Number(row.id);
    const fallback = DEFAULT_LEVELS.find((level) => level.id === id);
    const multiplier = multipliers.find((m) => Number(m.level_id) === id);
    const gift = schemas.benefit ? gifts.get(id) : undefined;
    return {
      id,
      minCents: Number(row.min),
      multiplier: multiplier ? Number(multiplier.hundredths) : (fallback?.multiplier ?? 100),
      birthdayGift: schemas.benefit ? (gift?.points ?? 0) : (fallback?.birthdayGift ?? 0),
      giftBenefitId: gift?.benefitId ?? null,
    };
  });
}

/** The next free id of each sequence the seeder uses (at least its default start). */
export async function nextIds(db, schemas) {
  const one = async (sql) => Number((await db.query(sql))[0][0].n ?? 0) + 1;
  const m = q(schemas.member);
  const p = q(schemas.point);
  // Order and review ids are opaque strings: the seeder's numeric ones go on after the largest
  // numeric id (compared as numbers, not as text); ids of another shape cannot collide with them.
  const numeric = (column) => `MAX(CAST(${column} AS UNSIGNED)) AS n`;
  const isNumeric = (column) => `${column} REGEXP '^[0-9]{1,20}$'`;
  const order = Math.max(
    await one(
      `SELECT ${numeric('order_id')} FROM ${m}.member_order WHERE ${isNumeric('order_id')}`,
    ),
    await one(
      `SELECT ${numeric('order_id')} FROM ${p}.point_order_earn WHERE ${isNumeric('order_id')}`,
    ),
    await one(`SELECT ${numeric('order_id')} FROM ${p}.point_hold WHERE ${isNumeric('order_id')}`),
    await one(
      `SELECT ${numeric('natural_key')} FROM ${p}.point_operation
        WHERE kind LIKE '%:order' AND ${isNumeric('natural_key')}`,
    ),
  );
  return {
    member: Math.max(
      await one(`SELECT MAX(id) AS n FROM ${m}.member`),
      await one(`SELECT MAX(member_id) AS n FROM ${p}.point_account`),
    ),
    user: Math.max(
      1_000_000_000,
      await one(`SELECT MAX(user_id) AS n FROM ${m}.member`),
      await one(`SELECT MAX(user_id) AS n FROM ${p}.point_account`),
    ),
    lot: await one(`SELECT MAX(id) AS n FROM ${p}.point_lot`),
    transaction: await one(`SELECT MAX(id) AS n FROM ${p}.point_transaction`),
    hold: await one(`SELECT MAX(id) AS n FROM ${p}.point_hold`),
    // Ten digits from the start, so the natural keys (strings) sort like the numbers.
    order: Math.max(1_000_000_000, order),
    review: Math.max(
      1_000_000_000,
      await one(
        `SELECT ${numeric('natural_key')} FROM ${p}.point_operation
          WHERE kind = 'earn:review' AND ${isNumeric('natural_key')}`,
      ),
    ),
  };
}

/**
 * Gives `point_transaction` a partition per month through `asOf`'s month plus `monthsAhead`, as
 * point-service's partition-points-history job does, under the job's lock: splits the MAXVALUE
 * partition (rows before the first monthly bound stay in the migration's p_history). Returns the
 * partitions created.
 */
export async function ensureMonthlyPartitions(db, schema, asOf, monthsAhead = 3) {
  const lock = `${schema}.point-history-partitions`;
  const [[{ acquired }]] = await db.query('SELECT GET_LOCK(?, 120) AS acquired', [lock]);
  if (Number(acquired) !== 1) throw new Error(`${schema}: another run is changing the partitions`);
  try {
    const [rows] = await db.query(
      `SELECT PARTITION_NAME AS name, PARTITION_DESCRIPTION AS bound FROM information_schema.PARTITIONS
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'point_transaction' ORDER BY PARTITION_ORDINAL_POSITION`,
      [schema],
    );
    const add = monthsToAdd(schema, rows, asOf, monthsAhead);
    if (add.length === 0) return [];
    const catchAll = q(rows.find((row) => row.bound === 'MAXVALUE').name);
    const months = add.map((p) => `PARTITION ${p.name} VALUES LESS THAN ('${p.lessThan}')`);
    await db.query(
      `ALTER TABLE ${q(schema)}.point_transaction REORGANIZE PARTITION ${catchAll} INTO (` +
        `${months.join(', ')}, PARTITION ${catchAll} VALUES LESS THAN (MAXVALUE))`,
    );
    return add.map((p) => p.name);
  } finally {
    await db.query('SELECT RELEASE_LOCK(?)', [lock]);
  }
}

/** The job's plan (apps/point-service/src/partitions/partition-plan.ts), for first-of-month bounds. */
function monthsToAdd(schema, rows, asOf, monthsAhead) {
  const catchAlls = rows.filter((row) => row.bound === 'MAXVALUE');
  if (catchAlls.length !== 1 || rows.some((row) => row.name === null)) {
    throw new Error(`${schema}.point_transaction is not partitioned with one MAXVALUE partition`);
  }
  const bounds = rows
    .filter((row) => row.bound !== 'MAXVALUE')
    .map((row) => /^'(\d{4})-(\d{2})/.exec(row.bound))
    .map((match) => Number(match[1]) * 12 + Number(match[2]) - 1);
  const text = (index) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  const last = asOf.getUTCFullYear() * 12 + asOf.getUTCMonth() + monthsAhead;
  const first = bounds.length > 0 ? Math.max(...bounds) : last - monthsAhead;
  const names = new Set(rows.map((row) => row.name));
  const add = [];
  for (let month = first; month <= last; month += 1) {
    const name = `p${text(month).replace('-', '')}`;
    if (names.has(name))
      throw new Error(`${schema}: partition ${name} does not end where expected`);
    add.push({ name, lessThan: `${text(month + 1)}-01` });
  }
  return add;
}

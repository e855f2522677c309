// Checks a seeded fleet the way the platform would: point-service's reconcile-points SQL (verbatim,
// apps/point-service/src/ledger/commands/reconcile-points/reconcile-points.handler.ts) and a few
// cross-table sums. Resolves with counts of disagreeing rows, all 0 when the data is consistent.

const q = (name) => `\`${name.replaceAll('`', '``')}\``;

/** The reconciliation job's drift query, run against `schema`. */
export const RECONCILE_SQL = (schema) => `
      SELECT a.member_id, a.available, COALESCE(l.remaining, 0) AS lots_remaining,
             a.held, COALESCE(h.points, 0) AS reserved, a.frozen, COALESCE(f.points, 0) AS freezes,
             a.lifetime_earned AS earned, COALESCE(l.amount, 0) AS lots_amount
        FROM ${schema}.point_account a
        LEFT JOIN (SELECT member_id, SUM(remaining) AS remaining, SUM(amount) AS amount FROM ${schema}.point_lot GROUP BY member_id) l
               ON l.member_id = a.member_id
        LEFT JOIN (SELECT member_id, SUM(points) AS points FROM ${schema}.point_hold WHERE status = 'reserved' GROUP BY member_id) h
               ON h.member_id = a.member_id
        LEFT JOIN (SELECT member_id, SUM(points) AS points FROM ${schema}.point_freeze WHERE status = 'frozen' GROUP BY member_id) f
               ON f.member_id = a.member_id
       WHERE a.available <> COALESCE(l.remaining, 0) OR a.held <> COALESCE(h.points, 0)
          OR a.frozen <> COALESCE(f.points, 0) OR a.lifetime_earned <> COALESCE(l.amount, 0)
          OR a.available < 0 OR a.held < 0 OR a.frozen < 0 OR a.debt < 0`;

export async function verifySeed(db, schemas) {
  const p = q(schemas.point);
  const m = q(schemas.member);
  const count = async (sql) => Number((await db.query(sql))[0][0].n);
  const [drifts] = await db.query(RECONCILE_SQL(p));
  const checks = {
    reconcileDrift: drifts.length,
    // The history adds up to what the account has, held points included (a hold writes no row).
    historySum: await count(`SELECT COUNT(*) AS n FROM ${p}.point_account a
        LEFT JOIN (SELECT member_id, SUM(points) AS points, SUM(GREATEST(points, 0)) AS earned FROM ${p}.point_transaction
                    WHERE type IN ('earn', 'use', 'expire') GROUP BY member_id) t ON t.member_id = a.member_id
       WHERE COALESCE(t.points, 0) <> a.available + a.held OR COALESCE(t.earned, 0) <> a.lifetime_earned`),
    // Every change of the balance has its natural key, pointing at its history row.
    unkeyedHistory: await count(`SELECT COUNT(*) AS n FROM ${p}.point_transaction t
        LEFT JOIN ${p}.point_operation o
               ON o.kind = CONCAT(t.type, ':', t.source) AND o.natural_key = t.source_id AND o.transaction_id = t.id
       WHERE t.type IN ('earn', 'use') AND o.kind IS NULL`),
    spendsWithoutAllocations: await count(`SELECT COUNT(*) AS n FROM ${p}.point_transaction t
       WHERE t.type = 'use' AND -t.points <> (SELECT COALESCE(SUM(points), 0) FROM ${p}.point_allocation a WHERE a.transaction_id = t.id)`),
    totalSpent: await count(`SELECT COUNT(*) AS n FROM ${m}.member x
        LEFT JOIN (SELECT member_id, SUM(amount_cents) AS cents FROM ${m}.member_order GROUP BY member_id) o ON o.member_id = x.id
       WHERE x.total_spent_cents <> COALESCE(o.cents, 0)`),
    levelBySpend: await count(`SELECT COUNT(*) AS n FROM ${m}.member x
       WHERE x.level_id <> (SELECT id FROM ${m}.level WHERE min_total_spent_cents <= x.total_spent_cents
                             ORDER BY min_total_spent_cents DESC LIMIT 1)`),
    levelVersions: await count(`SELECT COUNT(*) AS n FROM ${m}.member x
       WHERE x.level_version <> 1 + (SELECT COUNT(*) FROM ${m}.level_history h WHERE h.member_id = x.id)`),
  };
  for (const service of ['benefit', 'event']) {
    if (!schemas[service]) continue;
    checks[`${service}Projection`] = await count(`SELECT COUNT(*) AS n FROM ${m}.member x
        LEFT JOIN ${q(schemas[service])}.member_level l ON l.member_id = x.id
       WHERE l.level_id IS NULL OR l.level_id <> x.level_id OR l.version <> x.level_version OR l.user_id <> x.user_id`);
  }
  const [levels] = await db.query(
    `SELECT level_id AS level, COUNT(*) AS members FROM ${m}.member GROUP BY level_id ORDER BY level_id`,
  );
  return {
    checks,
    samples: drifts.slice(0, 5),
    levels: Object.fromEntries(levels.map((row) => [row.level, Number(row.members)])),
  };
}

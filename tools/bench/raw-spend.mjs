// The raw-SQL baseline: the statements one spend of 1 point runs (UsePointsHandler + Ledger.spend, as they ran before they took two round trips), straight on a mysql2 pool,
// sent in the same round trips. Keep it in step with apps/point-service/src/ledger/core/ledger.ts when the spend path changes.
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { benchEnvelope } from './bench-envelope.mjs';

/**
 * One pool like the service's (UTC, BIGINT as strings, sessions at READ COMMITTED, several
 * statements per query allowed), `size` connections.
 */
export function rawPool(options, size) {
  const pool = mysql.createPool({
    ...options,
    connectionLimit: size,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    charset: 'utf8mb4_unicode_ci',
    multipleStatements: true,
  });
  // As the service's pool (pinnedSessionMysql2): set once per connection, not per transaction.
  pool.on('connection', (connection) =>
    connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', (error) => {
      if (error) console.error(`raw pool: cannot set READ COMMITTED: ${error.message}`);
    }),
  );
  return pool;
}

/**
 * Sends `statements` ([sql, params] pairs) in one round trip, as the service's queryTogether
 * does, and resolves with each one's answer.
 */
export async function together(connection, statements) {
  const [answer] = await connection.query(
    statements.map(([sql]) => sql).join(';\n'),
    statements.flatMap(([, params]) => params),
  );
  return statements.length === 1 ? [answer] : answer;
}

/**
 * Spends 1 point of `member` on order `key` (an order id no member paid on yet) in one
 * transaction, statement for statement and round trip for round trip as the service does, outbox
 * row included. Resolves with null or an error key.
 */
export async function spendOnce(pool, member, key) {
  const connection = await pool.getConnection();
  try {
    // The service remembers each account's member id (AccountDirectory): no lookup by user id.
    const at = new Date();
    // BEGIN (sent with the first statement, as the service's pool does), lock the account, claim
    // the member's key, the lots, claim the order for the member, and who owns the order, whether
    // the member cancelled it (never, here) and whether it has a reserved hold (never, here).
    const [, [account], , lots] = await together(connection, [
      ['START TRANSACTION', []],
      [
        'SELECT available, frozen, held, debt FROM point_account WHERE member_id = ? FOR UPDATE',
        [member.memberId],
      ],
      [
        'INSERT IGNORE INTO point_operation (kind, natural_key, member_id) VALUES (?, ?, ?)',
        ['use:order', key, member.memberId],
      ],
      [
        `SELECT id, remaining FROM point_lot
          WHERE member_id = ? AND remaining > 0 AND available_from <= ? AND expires_at > ?
          ORDER BY expires_at, earned_at, id FOR UPDATE`,
        [member.memberId, at, at],
      ],
      [
        'INSERT IGNORE INTO point_order_owner (order_id, member_id) VALUES (?, ?)',
        [key, member.memberId],
      ],
      [
        `SELECT (SELECT member_id FROM point_order_owner WHERE order_id = ?) AS owner,
                EXISTS (SELECT 1 FROM point_operation WHERE member_id = ? AND kind = ? AND natural_key = ?) AS cancelled,
                EXISTS (SELECT 1 FROM point_hold WHERE order_id = ? AND member_id = ? AND status = 'reserved') AS reserved_hold`,
        [key, member.memberId, 'restore:order', key, key, member.memberId],
      ],
    ]);
    const available = Number(account?.available ?? 0);
    if (lots.length === 0 || available < 1) {
      await connection.query('ROLLBACK');
      return 'insufficient';
    }
    const lotId = lots[0].id;
    const [, , transaction] = await together(connection, [
      ['UPDATE point_lot SET remaining = remaining - ? WHERE id = ?', [1, lotId]],
      [
        `UPDATE point_account SET available = available - ?, lifetime_used = lifetime_used + ?
          WHERE member_id = ? AND available >= ?`,
        [1, 1, member.memberId, 1],
      ],
      [
        `INSERT INTO point_transaction
           (member_id, type, points, balance_after, frozen_after, held_after, debt_after, source, source_id, lot_id, expires_at, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          member.memberId,
          'use',
          -1,
          available - 1,
          Number(account.frozen),
          Number(account.held),
          Number(account.debt),
          'order',
          key,
          null,
          null,
          null,
        ],
      ],
    ]);
    const transactionId = String(transaction.insertId);
    const eventId = randomUUID();
    const envelope = benchEnvelope('points.used.v1', eventId, at, {
      memberId: member.memberId,
      userId: member.userId,
      points: 1,
      source: 'order',
      sourceId: key,
      transactionId,
      balanceAfter: available - 1,
    });
    await together(connection, [
      [
        'INSERT INTO point_allocation (transaction_id, lot_id, points) VALUES (?, ?, ?)',
        [transactionId, lotId, 1],
      ],
      [
        'UPDATE point_operation SET transaction_id = ? WHERE member_id = ? AND kind = ? AND natural_key = ?',
        [transactionId, member.memberId, 'use:order', key],
      ],
      [
        'INSERT INTO outbox_message (event_id, event_type, exchange, envelope) VALUES (?, ?, ?, ?)',
        [eventId, envelope.type, 'member-system.events', JSON.stringify(envelope)],
      ],
    ]);
    await connection.query('COMMIT');
    return null;
  } catch (error) {
    await connection.query('ROLLBACK').catch(() => {});
    return error.code ?? error.message;
  } finally {
    connection.release();
  }
}

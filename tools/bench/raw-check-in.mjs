// The raw-SQL baseline of a check-in: the statements CheckInHandler + Ledger.earn ran before they took two round trips, straight on a mysql2 pool,
// sent in the same round trips. Keep it in step with apps/point-service/src/ledger/commands/check-in/check-in.handler.ts and core/ledger.ts.
import { randomUUID } from 'node:crypto';
import { together } from './raw-spend.mjs';
import { benchEnvelope } from './bench-envelope.mjs';

const DAY_MS = 86_400_000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * Checks `member` in on business date `dayMs` (UTC midnight, as a number), 5 points, in one
 * transaction, statement for statement and round trip for round trip as the service does,
 * outbox row included. The bench gives each call its own (member, day) pair, so no call meets the
 * "already checked in" path. Resolves with null or an error key.
 */
export async function checkInOnce(pool, member, dayMs) {
  const connection = await pool.getConnection();
  try {
    // The pool's sessions are at READ COMMITTED, and the service remembers each account's member
    // id (AccountDirectory): neither a SET TRANSACTION nor a lookup by user id.
    const at = new Date();
    const today = isoDate(dayMs);
    const key = `${member.memberId}:${today}`;
    // BEGIN (sent with the first statement, as the service's pool does), lock the account, read
    // yesterday's streak, claim the day's key.
    const [, [account], previous] = await together(connection, [
      ['START TRANSACTION', []],
      [
        'SELECT available, frozen, held, debt FROM point_account WHERE member_id = ? FOR UPDATE',
        [member.memberId],
      ],
      [
        'SELECT streak FROM check_in WHERE member_id = ? AND business_date = ?',
        [member.memberId, isoDate(dayMs - DAY_MS)],
      ],
      [
        'INSERT IGNORE INTO point_operation (kind, natural_key, member_id) VALUES (?, ?, ?)',
        ['earn:check-in', key, member.memberId],
      ],
    ]);
    const streak = (previous[0]?.streak ?? 0) + 1;
    const points = 5;
    const expiresAt = new Date(at.getTime() + 2 * 366 * DAY_MS);
    const balanceAfter = Number(account?.available ?? 0) + points;
    // The day, the lot, its history row (the lot's id by LAST_INSERT_ID()), the balance.
    const [, , transaction] = await together(connection, [
      [
        'INSERT INTO check_in (member_id, business_date, streak, points) VALUES (?, ?, ?, ?)',
        [member.memberId, today, streak, points],
      ],
      [
        `INSERT INTO point_lot (member_id, source, source_id, amount, remaining, earned_at, available_from, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [member.memberId, 'check-in', key, points, points, at, at, expiresAt],
      ],
      [
        `INSERT INTO point_transaction
           (member_id, type, points, balance_after, frozen_after, held_after, debt_after, source, source_id, lot_id, expires_at, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, LAST_INSERT_ID(), ?, ?)`,
        [
          member.memberId,
          'earn',
          points,
          balanceAfter,
          Number(account?.frozen ?? 0),
          Number(account?.held ?? 0),
          Number(account?.debt ?? 0),
          'check-in',
          key,
          expiresAt,
          null,
        ],
      ],
      [
        `UPDATE point_account SET available = available + ?, debt = debt - ?, lifetime_earned = lifetime_earned + ?
          WHERE member_id = ?`,
        [points, 0, points, member.memberId],
      ],
    ]);
    const transactionId = String(transaction.insertId);
    const eventId = randomUUID();
    const envelope = benchEnvelope('points.earned.v1', eventId, at, {
      memberId: member.memberId,
      userId: member.userId,
      points,
      source: 'check-in',
      sourceId: key,
      transactionId,
      expiresAt: expiresAt.toISOString(),
      balanceAfter,
    });
    await together(connection, [
      [
        'UPDATE point_operation SET transaction_id = ? WHERE member_id = ? AND kind = ? AND natural_key = ?',
        [transactionId, member.memberId, 'earn:check-in', key],
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

/**
 * The (member, business day) of raw check-in number `n` of run `runIndex`: members round-robin,
 * the day moving on once per round, each run in a year of its own long ago. Pure.
 */
export function rawCheckInSlot(members, n, runIndex) {
  const member = members[n % members.length];
  const dayMs = Date.UTC(1990 + runIndex, 0, 1) + Math.floor(n / members.length) * DAY_MS;
  return { member, dayMs };
}

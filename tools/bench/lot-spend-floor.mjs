// The physical floor of a spend: the same ledger rows a FIFO-lot spend writes (account, lots,
// history, allocations, outbox row), on the bench's own point schema, in the fewest round trips
// one transaction can take: two. It is what a spend would cost if the service did nothing but
// this SQL, so `spend` and `check-in` are also reported as a share of it (results.mjs).
import { randomUUID } from 'node:crypto';
import { together } from './raw-spend.mjs';
import { benchEnvelope } from './bench-envelope.mjs';

/** Points each floor spend takes (the spend scenario's `{points: 1}`): members never run out. */
export const LOT_SPEND_POINTS = 1;

/**
 * Draws `points` from `lots` (`{ id, remaining }`, already in spending order: earliest expiry,
 * then earliest earned, then id, as the lots query sorts them), each lot as far as it goes.
 * Resolves with `[{ lotId, points }]`, or null when the lots hold fewer than `points`. Pure.
 */
export function allocateFifo(lots, points) {
  const draws = [];
  let left = points;
  for (const lot of lots) {
    if (left <= 0) break;
    const take = Math.min(left, Number(lot.remaining));
    if (take > 0) {
      draws.push({ lotId: String(lot.id), points: take });
      left -= take;
    }
  }
  return left > 0 ? null : draws;
}

/** Placeholders that JSON.stringify leaves as they are and no real value contains. */
const TRANSACTION_ID = '\u0001transactionId\u0001';
const BALANCE_AFTER = '\u0001balanceAfter\u0001';

/**
 * The points.used.v1 envelope raw-spend.mjs writes to the outbox, in three pieces around the two
 * values only the database knows before COMMIT (the history row's id and the balance after):
 * `head + transactionId + middle + balanceAfter + tail` is, byte for byte, JSON.stringify of
 * raw-spend's envelope with those values (transactionId a string, balanceAfter a number). Pure.
 */
export function spendEnvelopeParts({ eventId, at, member, points, key }) {
  const envelope = benchEnvelope('points.used.v1', eventId, at, {
    memberId: member.memberId,
    userId: member.userId,
    points,
    source: 'order',
    sourceId: key,
    transactionId: TRANSACTION_ID,
    balanceAfter: BALANCE_AFTER,
  });
  const text = JSON.stringify(envelope);
  const [head, rest] = text.split(JSON.stringify(TRANSACTION_ID).slice(1, -1));
  const [middle, tail] = rest.split(JSON.stringify(BALANCE_AFTER));
  return { type: envelope.type, head, middle, tail };
}

/**
 * The statements of round trip 2 for `draws` (allocateFifo's answer): each drawn lot, the history
 * row, its allocations, the outbox row, COMMIT. The history row takes every balance after it from
 * the account row this transaction already holds (its own update included), so it is exact
 * whatever the member has frozen, held or owes. Its id reaches the allocations and the envelope
 * as LAST_INSERT_ID(), which within a statement is the id the previous statement generated
 * (point_allocation generates none, so it still holds the history row's in the outbox insert);
 * the envelope's balance after is `@balance`, set by round trip 1's account update. Pure.
 */
export function settleStatements({ member, key, points, draws, eventId, envelope }) {
  return [
    ...draws.map((draw) => [
      'UPDATE point_lot SET remaining = remaining - ? WHERE id = ?',
      [draw.points, draw.lotId],
    ]),
    [
      `INSERT INTO point_transaction
         (member_id, type, points, balance_after, frozen_after, held_after, debt_after, source, source_id, lot_id, expires_at, note)
       SELECT member_id, ?, ?, available, frozen, held, debt, ?, ?, NULL, NULL, NULL
         FROM point_account WHERE member_id = ?`,
      ['use', -points, 'order', key, member.memberId],
    ],
    [
      `INSERT INTO point_allocation (transaction_id, lot_id, points) VALUES ${draws
        .map(() => '(LAST_INSERT_ID(), ?, ?)')
        .join(', ')}`,
      draws.flatMap((draw) => [draw.lotId, draw.points]),
    ],
    [
      `INSERT INTO outbox_message (event_id, event_type, exchange, envelope)
       VALUES (?, ?, ?, CONCAT(?, LAST_INSERT_ID(), ?, @balance, ?))`,
      [
        eventId,
        envelope.type,
        'member-system.events',
        envelope.head,
        envelope.middle,
        envelope.tail,
      ],
    ],
    ['COMMIT', []],
  ];
}

/**
 * Spends `points` of `member` under order key `key` in one READ COMMITTED transaction of two
 * round trips on `pool` (rawPool: several statements per query). Resolves with null or an error
 * key.
 *
 * 1. BEGIN; debit the account if it holds enough (`@balance` keeps what it holds after); lock
 *    the member's spendable lots in spending order.
 * 2. The lots drawn, the history row, the allocations, the outbox row (as raw-spend's), COMMIT.
 */
export async function lotSpendOnce(pool, member, key, points = LOT_SPEND_POINTS) {
  const connection = await pool.getConnection();
  try {
    const at = new Date();
    const [, debit, lots] = await together(connection, [
      ['START TRANSACTION', []],
      [
        `UPDATE point_account SET available = (@balance := available - ?), lifetime_used = lifetime_used + ?
          WHERE member_id = ? AND available >= ?`,
        [points, points, member.memberId, points],
      ],
      [
        `SELECT id, remaining FROM point_lot
          WHERE member_id = ? AND remaining > 0 AND available_from <= ? AND expires_at > ?
          ORDER BY expires_at, earned_at, id FOR UPDATE`,
        [member.memberId, at, at],
      ],
    ]);
    const draws = debit.affectedRows === 1 ? allocateFifo(lots, points) : null;
    if (!draws) {
      await connection.query('ROLLBACK');
      return debit.affectedRows === 1 ? 'lots short of the balance' : 'insufficient';
    }
    const eventId = randomUUID();
    const envelope = spendEnvelopeParts({ eventId, at, member, points, key });
    await together(connection, settleStatements({ member, key, points, draws, eventId, envelope }));
    return null;
  } catch (error) {
    await connection.query('ROLLBACK').catch(() => {});
    return error.code ?? error.message;
  } finally {
    connection.release();
  }
}

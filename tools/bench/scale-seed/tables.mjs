// The tables the scale seeder fills, per service schema, with the columns it writes (in row order).

export const TABLES = Object.freeze({
  member: {
    member: [
      'id',
      'user_id',
      'nickname',
      'gender',
      'phone_ciphertext',
      'phone_blind_index',
      'email_ciphertext',
      'email_blind_index',
      'birthday_ciphertext',
      'birthday_month_day',
      'level_id',
      'level_version',
      'total_spent_cents',
      'registered_via',
      'created_at',
      'updated_at',
    ],
    level_history: [
      'member_id',
      'version',
      'old_level_id',
      'new_level_id',
      'reason',
      'source_id',
      'total_spent_cents',
      'created_at',
    ],
    member_order: [
      'order_id',
      'member_id',
      'amount_cents',
      'level_before_id',
      'level_after_id',
      'completed_at',
      'created_at',
    ],
    birthday_greeting: ['member_id', 'year', 'greeted_on', 'created_at'],
  },
  point: {
    point_account: [
      'member_id',
      'user_id',
      'available',
      'held',
      'lifetime_earned',
      'lifetime_used',
      'lifetime_expired',
      'created_at',
      'updated_at',
    ],
    point_lot: [
      'id',
      'member_id',
      'source',
      'source_id',
      'amount',
      'remaining',
      'earned_at',
      'available_from',
      'expires_at',
      'created_at',
    ],
    point_transaction: [
      'id',
      'member_id',
      'type',
      'points',
      'balance_after',
      'source',
      'source_id',
      'lot_id',
      'expires_at',
      'created_at',
    ],
    point_allocation: ['transaction_id', 'lot_id', 'points'],
    point_operation: ['kind', 'natural_key', 'member_id', 'transaction_id', 'created_at'],
    point_order_earn: ['order_id', 'member_id', 'amount_cents', 'points', 'created_at'],
    point_hold: [
      'id',
      'member_id',
      'order_id',
      'points',
      'status',
      'expires_at',
      'settled_at',
      'created_at',
    ],
    point_hold_allocation: ['hold_id', 'lot_id', 'points'],
    check_in: ['member_id', 'business_date', 'streak', 'points', 'created_at'],
  },
  benefit: {
    member_level: ['member_id', 'user_id', 'level_id', 'version', 'updated_at'],
    birthday_gift: ['member_id', 'year', 'benefit_id', 'points', 'granted_at'],
  },
  event: {
    member_level: ['member_id', 'user_id', 'level_id', 'version', 'updated_at'],
  },
});

/** `service.table` of every table, in the order above. */
export const TABLE_KEYS = Object.freeze(
  Object.entries(TABLES).flatMap(([service, tables]) =>
    Object.keys(tables).map((table) => `${service}.${table}`),
  ),
);

/** DATETIME(3) text of a UTC instant in ms (the services store UTC). */
export function sqlTime(ms) {
  return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
}
